/// Why a histogram or summary read back from result.json cannot be reconstructed exactly.
/// Each case names the offending piece so `estbench merge` can say which file and operation is bad.
public enum MetricsDecodingError: Error, Sendable, Equatable {
    /// The encoded layout differs from `LatencyScale`, so exact merging is impossible.
    case layoutMismatch(lowestDiscernibleValue: UInt64, significantDigits: Int)
    /// `values` and `counts` arrays differ in length.
    case lengthMismatch(values: Int, counts: Int)
    /// A value lies outside the trackable range.
    case valueOutOfRange(UInt64)
    /// The counts do not add up to the stated total.
    case totalMismatch(stated: UInt64, actual: UInt64)
    /// A counter key that is not an `Outcome.key`.
    case unknownOutcomeKey(String)
    /// A histogram key that is not a phase name or "total_uncorrected".
    case unknownHistogramKey(operation: String, key: String)
}
