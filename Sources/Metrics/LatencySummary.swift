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
        self.init(HistogramFigures(histogram))
    }

    /// The figures of a histogram already summarised.
    public init(_ figures: HistogramFigures) {
        count = figures.totalCount
        minUs = figures.min
        meanUs = figures.mean
        p50Us = figures.value(atPercentile: 50)
        p90Us = figures.value(atPercentile: 90)
        p99Us = figures.value(atPercentile: 99)
        p999Us = figures.value(atPercentile: 99.9)
        maxUs = figures.max
    }
}
