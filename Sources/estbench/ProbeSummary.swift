
/// The closing lines of a probe: counts, rate, and medians per phase.
struct ProbeSummary {
    let records: [ProbeRecord]
    let elapsedNs: UInt64

    func print() {
        let ok = records.filter { $0.status != nil }
        let failed = records.count - ok.count
        let rate = elapsedNs > 0 ? Double(records.count) * 1e9 / Double(elapsedNs) : 0
        var statuses: [Int: Int] = [:]
        for r in ok { statuses[r.status!, default: 0] += 1 }
        let statusText = statuses.keys.sorted().map { "\($0)×\(statuses[$0]!)" }.joined(separator: " ")
        Console.out("--- \(records.count) request(s) in \(Format.seconds(elapsedNs)) (\(Format.fixed(rate, 1))/s): "
                    + "\(ok.count) answered [\(statusText)], \(failed) failed")
        func median(_ values: [UInt64]) -> String {
            guard !values.isEmpty else { return "-" }
            return ProbeRecord.ms(values.sorted()[values.count / 2])
        }
        Console.out("median: connect \(median(ok.compactMap(\.connectNs)))  tls \(median(ok.compactMap(\.tlsNs)))  "
                    + "first byte \(median(ok.compactMap(\.firstByteNs_)))  complete \(median(ok.compactMap(\.transferNs)))  "
                    + "total \(median(ok.compactMap(\.totalNs)))")
        let handshakes = ok.filter(\.newConnection)
        if !handshakes.isEmpty {
            let versions = Set(handshakes.map(\.tlsVersion)).sorted().joined(separator: ", ")
            Console.out("tls: \(handshakes.count) handshake(s) [\(versions)], \(handshakes.filter(\.resumed).count) resumed, "
                        + "\(handshakes.filter(\.helloRetryRequest).count) HelloRetryRequest(s)")
        }
    }
}
