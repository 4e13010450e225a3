/// One line of a comparison: one metric of one operation (and phase), BASE and HEAD, the delta with its
/// confidence interval and what it means. Values are in `unit`: ms for latencies, per second, fraction.
public struct ComparisonRow: Sendable, Equatable, Encodable {
    /// better / worse: the interval excludes 0; same (`~`): it holds 0; unknown (`?`): no interval.
    public enum Verdict: String, Sendable, Encodable {
        case better, worse, same = "~", unknown = "?"
    }

    public var operation: String
    /// `Phase.rawValue` (total for rate and error rate).
    public var phase: String
    public var metric: RegressionRule.Metric
    public var unit: String
    /// Median over the side's runs (one run: its value).
    public var base: Double
    public var head: Double
    /// HEAD − BASE (several runs: the Hodges–Lehmann shift; one run: the difference).
    public var delta: Double
    /// `delta` as a fraction of `base` (nil when base is 0).
    public var relative: Double?
    public var interval: ClosedRange<Double>?
    public var relativeInterval: ClosedRange<Double>?
    /// The rank test's two-sided p (several runs per side).
    public var p: Double?
    public var verdict: Verdict
    /// Runs (several per side) or seconds (one run per side) behind each side.
    public var baseSamples: Int
    public var headSamples: Int

    /// Metric name as rules and the table say it: `p99`, `tls.p99`, `rate`.
    public var metricName: String {
        phase == "total" ? metric.rawValue : "\(phase).\(metric.rawValue)"
    }

    /// better / worse from the interval: higher is better only for the rate.
    static func verdict(_ interval: ClosedRange<Double>?, metric: RegressionRule.Metric) -> Verdict {
        guard let interval else { return .unknown }
        if interval.lowerBound <= 0 && interval.upperBound >= 0 { return .same }
        let up = interval.lowerBound > 0
        return up == (metric == .rate) ? .better : .worse
    }

    enum CodingKeys: String, CodingKey {
        case operation, phase, metric, unit, base, head, delta, relative, interval, relativeInterval, p, verdict, baseSamples, headSamples
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(operation, forKey: .operation)
        try c.encode(phase, forKey: .phase)
        try c.encode(metric.rawValue, forKey: .metric)
        try c.encode(unit, forKey: .unit)
        try c.encode(base, forKey: .base)
        try c.encode(head, forKey: .head)
        try c.encode(delta, forKey: .delta)
        try c.encodeIfPresent(relative, forKey: .relative)
        try c.encodeIfPresent(interval.map { [$0.lowerBound, $0.upperBound] }, forKey: .interval)
        try c.encodeIfPresent(relativeInterval.map { [$0.lowerBound, $0.upperBound] }, forKey: .relativeInterval)
        try c.encodeIfPresent(p, forKey: .p)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(baseSamples, forKey: .baseSamples)
        try c.encode(headSamples, forKey: .headSamples)
    }
}
