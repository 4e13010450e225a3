/// The exit status of `estbench probe`, from its records: 0 every request answered 2xx · 1 any
/// other answer or failure after the connection was up (timeout, bad HTTP) · 3 nothing answered
/// and every failure was a connect or TLS failure (the target could not be reached) · 2 bad input
/// is decided before any request.
enum ProbeExit {
    static func code(_ records: [ProbeRecord]) -> Int32 {
        if !records.isEmpty && records.allSatisfy(\.failedConnecting) { return 3 }
        return records.allSatisfy { ($0.status.map { (200..<300).contains($0) } ?? false) } ? 0 : 1
    }
}

extension ProbeRecord {
    /// Failed before the request could be written: on connect or in the TLS handshake.
    var failedConnecting: Bool { status == nil && error != nil && writtenNs == 0 }
}
