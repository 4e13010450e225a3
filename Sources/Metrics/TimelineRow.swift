/// One line of timeline.csv: one operation in one second of the run.
/// Percentiles are of the corrected total latency of the operations that ended in that second.
public struct TimelineRow: Codable, Sendable, Equatable {
    /// Seconds since the run start.
    public var second: Int
    public var operation: String
    public var completions: UInt64
    public var errors: UInt64
    /// Interval median latency in us (0 when no response ended in this second).
    public var p50Us: UInt64
    /// Interval p99 latency in us (0 when no response ended in this second).
    public var p99Us: UInt64

    public init(second: Int, operation: String, completions: UInt64, errors: UInt64, p50Us: UInt64, p99Us: UInt64) {
        self.second = second
        self.operation = operation
        self.completions = completions
        self.errors = errors
        self.p50Us = p50Us
        self.p99Us = p99Us
    }

    /// Header line of timeline.csv, matching `csvLine`.
    public static let csvHeader = "second,operation,completions,errors,p50_us,p99_us"

    /// This row as a CSV line (no newline); operation names are plain identifiers, so no quoting is needed.
    public var csvLine: String {
        "\(second),\(operation),\(completions),\(errors),\(p50Us),\(p99Us)"
    }
}
