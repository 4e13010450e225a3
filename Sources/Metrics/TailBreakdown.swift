/// Where the slowest operations spent their time: for operations whose corrected total latency
/// reached a running p99 estimate of their operation, the sum of each phase's duration (and of
/// the wait before an open-model start). Phase histograms cannot say this — their p99s belong to
/// different operations — so the sums are taken per operation, in the tail only. The estimate is
/// refreshed from the total histogram at 8, 16, … 1024 operations and every 1024 after (the
/// first 7 are not judged; in a short run the estimate is near the maximum so far), so "tail" is
/// ~the slowest 1%, not exactly it.
/// Mergeable by addition; a fixed array, so recording allocates nothing.
public struct TailBreakdown: Sendable, Equatable, Codable {
    /// What the sums are indexed by: the request path's phases, then `wait` (intended → actual start).
    public static let parts: [String] = [Phase.connect, .tls, .signing, .requestWritten, .firstByte, .complete].map(\.rawValue) + ["wait"]

    /// Operations counted in the tail.
    public var count: UInt64 = 0
    /// Per part (`parts` order), the summed microseconds of the tail operations.
    public var sumsUs: [UInt64] = Array(repeating: 0, count: TailBreakdown.parts.count)

    public init() {}

    mutating func add(_ stamps: OperationPhaseStamps) {
        count &+= 1
        for (index, phase) in [Phase.connect, .tls, .signing, .requestWritten, .firstByte, .complete].enumerated() {
            if let ns = stamps.durationNs(phase) { sumsUs[index] &+= ns / 1000 }
        }
        if let lag = stamps.startLagNs { sumsUs[sumsUs.count - 1] &+= lag / 1000 }
    }

    public mutating func merge(_ other: TailBreakdown) {
        count &+= other.count
        for index in sumsUs.indices where index < other.sumsUs.count { sumsUs[index] &+= other.sumsUs[index] }
    }

    /// The part that took most of the tail's time, with its share of the summed time; nil when empty.
    public var dominant: (part: String, share: Double)? {
        let total = sumsUs.reduce(0, &+)
        guard count > 0, total > 0, let index = sumsUs.indices.max(by: { sumsUs[$0] < sumsUs[$1] }) else { return nil }
        return (Self.parts[index], Double(sumsUs[index]) / Double(total))
    }

    enum CodingKeys: String, CodingKey { case count, sumsUs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(UInt64.self, forKey: .count)
        let byPart = try c.decode([String: UInt64].self, forKey: .sumsUs)
        sumsUs = Self.parts.map { byPart[$0] ?? 0 }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        var byPart: [String: UInt64] = [:]
        for (index, part) in Self.parts.enumerated() where sumsUs[index] != 0 { byPart[part] = sumsUs[index] }
        try c.encode(byPart, forKey: .sumsUs)
    }
}
