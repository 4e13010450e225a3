import Histogram

/// The summary figures of one histogram — count, min, max, mean, standard deviation and any percentile —
/// read off its non-zero buckets in one walk, by HdrHistogram's own rules (`Histogram.mean`,
/// `.stdDeviation`, `.valueAtPercentile`, `.min`, `.max` give the same values, bit for bit).
///
/// Why not ask the histogram: the package's figures are compiled once, generically, in its own module,
/// and each walks the whole counts array up to the largest value through unspecialised code (about
/// 6M instructions per walk: a one-operation run spent 0.3G instructions summarising and writing its
/// histograms). Its iterators are inlinable, so the walk here is specialised for `UInt64` counts.
public struct HistogramFigures: Sendable, Equatable {
    public let totalCount: UInt64
    /// Smallest value recorded (exact), 0 when a zero was recorded or the histogram is empty.
    public let min: UInt64
    /// Largest value recorded (exact), 0 when empty.
    public let maxRecorded: UInt64
    /// Highest value equivalent to `maxRecorded` (HdrHistogram's `max`), 0 when empty.
    public let max: UInt64
    /// Mean of the buckets' median-equivalent values, 0 when empty.
    public let mean: Double
    /// Population standard deviation about `mean`, over the same values.
    public let stdDeviation: Double
    /// Highest equivalent value of each non-zero bucket, ascending, with the running count up to it.
    private let highest: [UInt64]
    private let cumulative: [UInt64]

    public init(_ histogram: Histogram<UInt64>) {
        var highest: [UInt64] = []
        var cumulative: [UInt64] = []
        var medians: [(value: Double, count: Double)] = []
        var running: UInt64 = 0
        for item in histogram.recordedValues() {
            running &+= item.count
            highest.append(item.value)
            cumulative.append(running)
            let median = histogram.lowestEquivalentForValue(item.value) + (histogram.sizeOfEquivalentRangeForValue(item.value) >> 1)
            medians.append((Double(median), Double(item.count)))
        }
        totalCount = histogram.totalCount
        min = histogram.min
        maxRecorded = histogram.maxRecorded
        max = maxRecorded == 0 ? 0 : histogram.highestEquivalentForValue(maxRecorded)
        var total = 0.0
        for bucket in medians { total += bucket.value * bucket.count }
        let mean = totalCount == 0 ? 0 : total / Double(totalCount)
        var squares = 0.0
        for bucket in medians {
            let deviation = bucket.value - mean
            squares += (deviation * deviation) * bucket.count
        }
        self.mean = mean
        stdDeviation = totalCount == 0 ? 0 : (squares / Double(totalCount)).squareRoot()
        self.highest = highest
        self.cumulative = cumulative
    }

    /// HdrHistogram's `valueAtPercentile`: the highest value equivalent to the bucket in which the
    /// running count first reaches `percentile`% of the total (rounded up, at least the first value),
    /// kept within min…maxRecorded; `min` at 0, `maxRecorded` at 100 and above, 0 when empty.
    public func value(atPercentile percentile: Double) -> UInt64 {
        if percentile == 0 { return min }
        if percentile >= 100 { return maxRecorded }
        let wanted = Self.countAtPercentile(percentile, totalCount: totalCount)
        var low = 0, high = cumulative.count
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] >= wanted { high = middle } else { low = middle + 1 }
        }
        guard low < highest.count else { return 0 }
        return Swift.max(Swift.min(highest[low], maxRecorded), min)
    }

    /// The running count at which `percentile` (0 < p < 100) is reached, as HdrHistogram computes it:
    /// one ulp below the percentile, times the total, rounded up, at least 1.
    @usableFromInline
    static func countAtPercentile(_ percentile: Double, totalCount: UInt64) -> UInt64 {
        let requested = Swift.min(Swift.max(percentile.nextDown, 0), 100)
        return Swift.max(1, UInt64(((requested * Double(totalCount)) / 100).rounded(.up)))
    }
}

extension Histogram where Count == UInt64 {
    /// `valueAtPercentile` through a specialised walk that stops at the bucket it needs (same value).
    @inlinable
    public func percentileValue(_ percentile: Double) -> UInt64 {
        if percentile == 0 { return self.min }
        if percentile >= 100 { return maxRecorded }
        let wanted = HistogramFigures.countAtPercentile(percentile, totalCount: totalCount)
        var running: UInt64 = 0
        for item in recordedValues() {
            running &+= item.count
            if running >= wanted { return Swift.max(Swift.min(item.value, maxRecorded), self.min) }
        }
        return 0
    }
}
