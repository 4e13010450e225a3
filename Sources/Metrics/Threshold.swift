/// One service-level limit a run is judged by: an operation (or `all`, the merged figures of every
/// operation), a metric and its limit. Parsed from a profile's `thresholds`; evaluated by
/// `ThresholdVerdict.evaluate` — live (abort rules, search steps) and at the end.
public struct Threshold: Sendable, Equatable, Codable {
    /// What is measured. Latencies are milliseconds (the corrected total unless `uncorrected`),
    /// `errorRate` the fraction of operations that were not a valid 2xx, `minRate` valid 2xx per second.
    public enum Metric: String, CaseIterable, Sendable, Codable {
        case p50Ms, p90Ms, p99Ms, p999Ms, maxMs, errorRate, minRate

        public static let allowedNames = allCases.map(\.rawValue).joined(separator: ", ")

        /// The percentile a latency metric reads (nil: not a percentile latency).
        public var percentile: Double? {
            switch self {
            case .p50Ms: return 50
            case .p90Ms: return 90
            case .p99Ms: return 99
            case .p999Ms: return 99.9
            case .maxMs: return 100
            case .errorRate, .minRate: return nil
            }
        }

        /// The limit is a floor (`minRate`), not a ceiling.
        public var isFloor: Bool { self == .minRate }
    }

    /// The scope that judges every operation's figures merged.
    public static let allOperations = "all"

    public var operation: String
    public var metric: Metric
    public var limit: Double
    /// Latency from the actual start instead of the intended one (coordinated omission not corrected).
    public var uncorrected: Bool

    public init(operation: String, metric: Metric, limit: Double, uncorrected: Bool = false) {
        self.operation = operation
        self.metric = metric
        self.limit = limit
        self.uncorrected = uncorrected
    }

    /// "simpleenroll p99Ms ≤ 500" as a person reads it.
    public var description: String {
        "\(operation) \(metric.rawValue)\(uncorrected ? " (uncorrected)" : "") \(metric.isFloor ? "≥" : "≤") \(ThresholdVerdict.format(limit))"
    }
}
