/// One operation's figures in result.json: counts, rate, percentiles per phase, counters, and the
/// full histograms (`EncodedHistogram`) so runs and shards can be merged exactly later.
public struct OperationSummary: Codable, Sendable, Equatable {
    public var name: String
    /// Operations finished, every outcome.
    public var count: UInt64
    /// Operations whose outcome is an error.
    public var errors: UInt64
    /// `count` per second of run duration.
    public var ratePerSecond: Double
    /// Percentiles keyed by `Phase.rawValue`, plus "total_uncorrected" and "start_lag"; empty phases omitted.
    public var latency: [String: LatencySummary]
    /// Operations per `Outcome.key`; zero counts omitted.
    public var counters: [String: UInt64]
    /// Why operations failed: outcome key → reason → count and one example (nil when none failed).
    public var reasons: FailureReasons?
    /// Where the slowest ~1% of operations spent their time, per phase (nil when none was judged).
    public var tail: TailBreakdown?
    /// Full histograms, same keys as `latency`.
    public var histograms: [String: EncodedHistogram]

    /// Summarises `metrics` over a run of `durationNs`.
    public init(_ metrics: OperationMetrics, durationNs: UInt64) {
        name = metrics.name
        count = metrics.count
        errors = metrics.outcomes.errors
        ratePerSecond = durationNs == 0 ? 0 : Double(count) / (Double(durationNs) / 1_000_000_000)
        counters = metrics.outcomes.byKey
        reasons = metrics.reasons.isEmpty ? nil : metrics.reasons
        tail = metrics.tail.count == 0 ? nil : metrics.tail
        latency = [:]
        histograms = [:]
        var keyed = Phase.allCases.map { ($0.rawValue, metrics.histogram($0)) }
        keyed.append((OperationMetrics.uncorrectedTotalKey, metrics.totalUncorrected))
        keyed.append((OperationMetrics.startLagKey, metrics.startLag))
        for (key, histogram) in keyed where histogram.totalCount != 0 {
            latency[key] = LatencySummary(histogram)
            histograms[key] = EncodedHistogram(histogram)
        }
    }
}
