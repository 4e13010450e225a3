import Foundation
import Histogram

extension OperationMetrics {
    /// `<operation>.hgrm`: HdrHistogram's percentile distribution text for the total latency, values in milliseconds
    /// ("Value Percentile TotalCount 1/(1-Percentile)" table, then the #[Mean ...] footer).
    public func hgrm(corrected: Bool = true, percentileTicksPerHalfDistance: Int = 5) -> String {
        PercentileDistribution.text(histogram(.total, corrected: corrected), scaling: LatencyScale.usPerMs,
                                    ticksPerHalfDistance: percentileTicksPerHalfDistance)
    }
}

/// HdrHistogram's percentile distribution text (the `.hgrm` format every HdrHistogram plotter reads),
/// the same text, byte for byte, as the package's `outputPercentileDistribution(…format: .plainText)`,
/// written from a specialised walk (`HistogramFigures` says why the package's own is slow).
public enum PercentileDistribution {
    public static func text(_ histogram: Histogram<UInt64>, scaling: Double, ticksPerHalfDistance: Int = 5) -> String {
        let digits = histogram.numberOfSignificantValueDigits.rawValue
        var text = "       Value     Percentile TotalCount 1/(1-Percentile)\n\n"
        for step in histogram.percentiles(ticksPerHalfDistance: ticksPerHalfDistance) {
            let value = Double(step.value) / scaling, level = step.percentileLevelIteratedTo / 100
            if step.percentileLevelIteratedTo != 100 {
                text += String(format: "%12.\(digits)f %2.12f %10d %14.2f\n", value, level, step.totalCountToThisValue, 1 / (1 - level))
            } else {
                text += String(format: "%12.\(digits)f %2.12f %10d\n", value, level, step.totalCountToThisValue)
            }
        }
        let figures = HistogramFigures(histogram)
        text += String(format: "#[Mean    = %12.\(digits)f, StdDeviation   = %12.\(digits)f]\n", figures.mean / scaling, figures.stdDeviation / scaling)
        text += String(format: "#[Max     = %12.\(digits)f, Total count    = %12d]\n", Double(figures.max) / scaling, figures.totalCount)
        let layout = layout(histogram)
        text += String(format: "#[Buckets = %12d, SubBuckets     = %12d]\n", layout.buckets, layout.subBuckets)
        return text
    }

    /// The counts array's shape, as HdrHistogram derives it from the histogram's range and precision: sub-buckets
    /// enough for single-unit resolution up to 2×10^digits, then buckets doubling until the highest trackable value.
    static func layout(_ histogram: Histogram<UInt64>) -> (buckets: Int, subBuckets: Int) {
        let singleUnitUpTo = 2 * pow(10, Double(histogram.numberOfSignificantValueDigits.rawValue))
        let subBucketMagnitude = Int(ceil(log2(singleUnitUpTo)))
        let subBuckets = 1 << max(subBucketMagnitude, 1)
        let unitMagnitude = UInt64.bitWidth - 1 - histogram.lowestDiscernibleValue.leadingZeroBitCount
        var smallestUntrackable = UInt64(subBuckets) << unitMagnitude
        var buckets = 1
        while smallestUntrackable <= histogram.highestTrackableValue {
            if smallestUntrackable > UInt64.max / 2 { return (buckets + 1, subBuckets) }
            smallestUntrackable <<= 1
            buckets += 1
        }
        return (buckets, subBuckets)
    }
}
