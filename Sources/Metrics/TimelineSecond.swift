/// One closed second of one operation in the timeline: counts and the interval latency histogram (sparse, exact).
/// Kept per worker and added second by second when workers merge, so interval percentiles stay exact.
public struct TimelineSecond: Codable, Sendable, Equatable {
    /// Seconds since the run start.
    public var second: Int
    /// Operations that ended without error in this second.
    public var completions: UInt64
    /// Operations that ended with an error in this second.
    public var errors: UInt64
    /// Corrected total latencies (us) of operations that got a response in this second.
    public var latency: EncodedHistogram

    public init(second: Int, completions: UInt64, errors: UInt64, latency: EncodedHistogram) {
        self.second = second
        self.completions = completions
        self.errors = errors
        self.latency = latency
    }

    /// Adds another worker's figures for the same second.
    public mutating func merge(_ other: TimelineSecond) {
        completions &+= other.completions
        errors &+= other.errors
        latency.merge(other.latency)
    }
}
