import Histogram

/// Headline figures of one latency histogram, in microseconds, for result.json and the console table.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: UInt64
    public var minUs: UInt64
    public var meanUs: Double
    public var p50Us: UInt64
    public var p90Us: UInt64
    public var p99Us: UInt64
    public var p999Us: UInt64
    public var maxUs: UInt64

    /// Reads the figures off `histogram` (all zero when it is empty).
    public init(_ histogram: Histogram<UInt64>) {
        count = histogram.totalCount
        let empty = histogram.totalCount == 0
        minUs = empty ? 0 : histogram.min
        meanUs = histogram.mean
        p50Us = histogram.valueAtPercentile(50)
        p90Us = histogram.valueAtPercentile(90)
        p99Us = histogram.valueAtPercentile(99)
        p999Us = histogram.valueAtPercentile(99.9)
        maxUs = empty ? 0 : histogram.max
    }
}
