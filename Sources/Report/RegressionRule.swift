import Foundation
import Metrics

/// One `--fail-on` rule of `estbench compare`: how far a metric may move from BASE to HEAD before the
/// comparison fails. `simpleenroll.p99:+10%` — HEAD's p99 may be at most 10% above BASE's;
/// `rate:-5%` — the rate may drop at most 5%; `errorRate:+0.01` — the error rate may rise at most
/// 0.01 (absolute: latencies in ms, rates per second, error rates as fractions).
public struct RegressionRule: Sendable, Equatable, CustomStringConvertible {
    /// The metrics a rule can name; latencies are of `phase`.
    public enum Metric: String, CaseIterable, Sendable {
        case rate, errorRate, p50, p90, p99, p999 = "p99.9"

        public var statistic: SecondSeries.Statistic {
            switch self {
            case .rate: .rate
            case .errorRate: .errorRate
            case .p50: .p50
            case .p90: .p90
            case .p99: .p99
            case .p999: .p999
            }
        }
    }

    public static let syntax = "[OPERATION.][PHASE.]METRIC:(+|-)LIMIT[%] with METRIC one of rate, errorRate, p50, p90, p99, p99.9 "
        + "(e.g. simpleenroll.p99:+10%, rate:-5%, errorRate:+0.01, all.p50:+5%, simpleenroll.tls.p99:+2)"

    /// nil: every operation (each row on its own, `all` included); "all": the every-operation row.
    public var operation: String?
    /// The latency phase (`Phase.rawValue`); nil means total.
    public var phase: String?
    public var metric: Metric
    /// +: HEAD may rise by at most `limit`; −: HEAD may fall by at most `limit`.
    public var upward: Bool
    public var limit: Double
    /// `limit` is a percentage of BASE (else absolute, in the metric's unit).
    public var relative: Bool
    public var text: String

    public var description: String { text }

    /// Parses a rule; throws a message naming the syntax.
    public init(parsing text: String) throws(CompareError) {
        self.text = text
        func bad(_ why: String) -> CompareError { .badRule(rule: text, reason: why, syntax: Self.syntax) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw bad("expected one ':' between the metric and the limit") }
        let name = String(parts[0]), bound = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard let metric = Metric.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
            .first(where: { name == $0.rawValue || name.hasSuffix("." + $0.rawValue) })
        else { throw bad("no metric named in '\(name)'") }
        self.metric = metric
        let scope = name.dropLast(metric.rawValue.count).split(separator: ".", omittingEmptySubsequences: false).map(String.init).dropLast()
        switch scope.count {
        case 0: operation = nil; phase = nil
        case 1: operation = scope[0]; phase = nil
        case 2: operation = scope[scope.startIndex]; phase = scope[scope.startIndex + 1]
        default: throw bad("too many dots in '\(name)'")
        }
        if let operation, operation.isEmpty { throw bad("empty operation name") }
        if let phase {
            guard Phase(rawValue: phase) != nil else {
                throw bad("unknown phase '\(phase)' (phases: \(Phase.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard metric.statistic.percentile != nil else { throw bad("\(metric.rawValue) has no phase") }
            if phase == Phase.total.rawValue { self.phase = nil }
        }
        guard let sign = bound.first, sign == "+" || sign == "-" else { throw bad("the limit must start with + or -") }
        upward = sign == "+"
        relative = bound.hasSuffix("%")
        let number = bound.dropFirst().dropLast(relative ? 1 : 0)
        guard let limit = Double(number), limit.isFinite, limit >= 0 else { throw bad("'\(bound)' is not a signed number") }
        self.limit = limit
    }

    /// Whether `operation` (a table row's) is one this rule judges.
    public func applies(to operation: String) -> Bool {
        self.operation == nil || self.operation == operation
    }

    /// The rule's decision on one row's confidence interval of HEAD − BASE (absolute in the row's unit:
    /// ms, per second, fraction; relative as a fraction): fails only when the whole interval lies beyond the tolerance.
    /// nil: the interval needed is missing, so nothing can be said.
    public func fails(absolute: ClosedRange<Double>?, relative: ClosedRange<Double>?) -> Bool? {
        guard let interval = self.relative ? relative.map({ $0.lowerBound * 100 ... $0.upperBound * 100 }) : absolute else { return nil }
        return upward ? interval.lowerBound > limit : interval.upperBound < -limit
    }
}
