import Histogram

/// The one histogram layout every latency histogram shares, so any two merge exactly:
/// values in microseconds, 1 us .. 60 s tracked, 3 significant digits (larger values are clamped to 60 s).
public enum LatencyScale {
    /// Lowest discernible value: 1 us.
    public static let lowestUs: UInt64 = 1
    /// Highest tracked value: 60 s in us; larger latencies are recorded as this value.
    public static let highestUs: UInt64 = 60_000_000
    /// Precision: 3 significant digits (0.1% value resolution).
    public static let digits: SignificantDigits = .three
    /// Divide recorded values by this to print milliseconds (.hgrm output).
    public static let usPerMs: Double = 1_000

    /// A new, empty histogram in the shared layout.
    public static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: lowestUs, highestTrackableValue: highestUs, numberOfSignificantValueDigits: digits)
    }

    /// Nanoseconds to the recorded microsecond value (truncating), clamped to `highestUs`.
    @inlinable
    public static func us(fromNs ns: UInt64) -> UInt64 {
        Swift.min(ns / 1_000, highestUs)
    }
}
