import Histogram

/// Whether a run (or a window of it, or a search step) held its thresholds: each threshold with its
/// measured value. A pure function of the metrics, so the live abort rules, the capacity search and
/// the final report judge alike. A threshold that cannot be measured (no operation of its scope, no
/// successful one for a latency) did not hold: nothing was shown to meet it.
public struct ThresholdVerdict: Sendable, Equatable, Codable {
    /// One threshold's outcome.
    public struct Result: Sendable, Equatable, Codable {
        public var operation: String
        public var metric: Threshold.Metric
        public var limit: Double
        public var uncorrected: Bool
        /// nil when there was nothing to measure.
        public var measured: Double?
        public var passed: Bool

        public var threshold: Threshold { Threshold(operation: operation, metric: metric, limit: limit, uncorrected: uncorrected) }
    }

    public var passed: Bool
    public var thresholds: [Result]

    public init(passed: Bool, thresholds: [Result]) {
        self.passed = passed
        self.thresholds = thresholds
    }

    /// Judges `operations` (measured over `durationNs`) against `thresholds`.
    public static func evaluate(_ thresholds: [Threshold], operations: [OperationMetrics], durationNs: UInt64) -> ThresholdVerdict {
        var results: [Result] = []
        var merged: OperationMetrics?
        for threshold in thresholds {
            let scope: OperationMetrics?
            if threshold.operation == Threshold.allOperations {
                if merged == nil {
                    var all = OperationMetrics(name: Threshold.allOperations)
                    for op in operations { all.merge(op) }
                    merged = all
                }
                scope = merged
            } else {
                scope = operations.first { $0.name == threshold.operation }
            }
            let measured = scope.flatMap { measure(threshold, $0, durationNs: durationNs) }
            let passed = measured.map { threshold.metric.isFloor ? $0 >= threshold.limit : $0 <= threshold.limit } ?? false
            results.append(Result(operation: threshold.operation, metric: threshold.metric, limit: threshold.limit,
                                  uncorrected: threshold.uncorrected, measured: measured, passed: passed))
        }
        return ThresholdVerdict(passed: results.allSatisfy(\.passed), thresholds: results)
    }

    /// The figure `threshold` reads from one operation's metrics; nil when there is none.
    static func measure(_ threshold: Threshold, _ metrics: OperationMetrics, durationNs: UInt64) -> Double? {
        let count = metrics.count
        let successes = metrics.outcomes[.success2xx]
        switch threshold.metric {
        case .errorRate:
            guard count > 0 else { return nil }
            return Double(count - successes) / Double(count)
        case .minRate:
            guard durationNs > 0 else { return nil }
            return Double(successes) / (Double(durationNs) / 1e9)
        case .p50Ms, .p90Ms, .p99Ms, .p999Ms, .maxMs:
            let histogram = metrics.histogram(.total, corrected: !threshold.uncorrected)
            guard histogram.totalCount > 0, let percentile = threshold.metric.percentile else { return nil }
            let us = percentile >= 100 ? histogram.max : histogram.percentileValue(percentile)
            return Double(us) / 1000
        }
    }

    /// A limit or measurement as printed: up to three decimals, no trailing zeros.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        var text = String(Double((value * 1000).rounded()) / 1000)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
