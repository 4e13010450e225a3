import Foundation
import Metrics

/// `estbench compare`'s answer: BASE against HEAD per operation, phase and metric, with 95% intervals.
/// Several runs on either side: Mann-Whitney U over the per-run values and the Hodges–Lehmann interval
/// of the shift (as benchstat). One run on each side: a block bootstrap over seconds (`BlockBootstrap`).
public struct Comparison: Sendable {
    /// How the intervals were made.
    public enum Method: String, Sendable, Encodable {
        case rankTest = "mann-whitney-hodges-lehmann"
        case blockBootstrap = "block-bootstrap-over-seconds"
    }

    /// One `--fail-on` rule's outcome.
    public struct Gate: Sendable, Encodable {
        public var rule: String
        /// Rows the rule judged (operation.metricName) that failed, and those it could not judge.
        public var failed: [String]
        public var undecided: [String]
        public var passed: Bool { failed.isEmpty }
    }

    public static let phases: [Phase] = [.total, .connect, .tls, .firstByte, .complete]
    public static let confidence = 0.95

    public var base: ComparisonSide
    public var head: ComparisonSide
    public var method: Method
    public var rows: [ComparisonRow]
    /// Operations on one side only, and other things a reader must know.
    public var notes: [String]

    /// Compares `head` with `base`; `bootstrap` sets the one-run method's resampling.
    public init(base: ComparisonSide, head: ComparisonSide, bootstrap: BlockBootstrap = BlockBootstrap()) {
        self.base = base
        self.head = head
        method = base.runs.count == 1 && head.runs.count == 1 ? .blockBootstrap : .rankTest
        rows = []
        notes = []
        let baseNames = base.operationNames, headNames = head.operationNames
        var names = baseNames.filter(headNames.contains)
        for name in baseNames where !headNames.contains(name) { notes.append("\(name): BASE only, not compared") }
        for name in headNames where !baseNames.contains(name) { notes.append("\(name): HEAD only, not compared") }
        if names.count > 1 { names.append(Threshold.allOperations) }
        for name in names {
            let offsets: BlockBootstrap.Offsets?
            if method == .blockBootstrap, let b = base.runs[0].seconds[name], let h = head.runs[0].seconds[name], b.count > 1, h.count > 1 {
                offsets = bootstrap.offsets(base: b, head: h)
            } else {
                offsets = nil
            }
            for phase in Self.phases {
                for metric in RegressionRule.Metric.allCases {
                    let isLatency = metric.statistic.percentile != nil
                    if !isLatency, phase != .total { continue }
                    if let row = row(name, phase, metric, offsets: phase == .total ? offsets : nil) { rows.append(row) }
                }
            }
        }
        if method == .blockBootstrap {
            notes.append("one run per side: intervals resample blocks of seconds within each run (total latency, rate, error rate); "
                         + "they show these two runs differ, not that the builds do — repeat (--repeat 5) to see run-to-run variation")
        } else if base.runs.count < 4 || head.runs.count < 4 {
            notes.append("fewer than 4 runs on a side: the rank test cannot reach 95% (\"?\"); 5 or more per side are recommended")
        }
    }

    /// One metric's value in one run, in display units (nil when the run did not measure it).
    static func value(_ figures: ComparisonSide.OperationFigures?, _ phase: Phase, _ metric: RegressionRule.Metric) -> Double? {
        guard let figures else { return nil }
        switch metric {
        case .rate: return figures.rate
        case .errorRate: return figures.count == 0 ? nil : Double(figures.errors) / Double(figures.count)
        default:
            guard let latency = figures.latency[phase.rawValue], latency.count > 0 else { return nil }
            let us: UInt64 = switch metric {
            case .p50: latency.p50Us
            case .p90: latency.p90Us
            case .p99: latency.p99Us
            default: latency.p999Us
            }
            return Double(us) / LatencyScale.usPerMs
        }
    }

    static func unit(_ metric: RegressionRule.Metric) -> String {
        switch metric {
        case .rate: "/s"
        case .errorRate: "fraction"
        default: "ms"
        }
    }

    func row(_ name: String, _ phase: Phase, _ metric: RegressionRule.Metric, offsets: BlockBootstrap.Offsets?) -> ComparisonRow? {
        let b = base.runs.compactMap { Self.value($0.operations[name], phase, metric) }
        let h = head.runs.compactMap { Self.value($0.operations[name], phase, metric) }
        guard !b.isEmpty, !h.isEmpty else { return nil }
        let baseMedian = RankTest.median(sorted: b.sorted()), headMedian = RankTest.median(sorted: h.sorted())
        var row = ComparisonRow(operation: name, phase: phase.rawValue, metric: metric, unit: Self.unit(metric), base: baseMedian, head: headMedian,
                                delta: headMedian - baseMedian, relative: baseMedian == 0 ? nil : headMedian / baseMedian - 1,
                                interval: nil, relativeInterval: nil, p: nil, verdict: .unknown, baseSamples: b.count, headSamples: h.count)
        switch method {
        case .rankTest:
            let test = RankTest(base: b, head: h, confidence: Self.confidence)
            row.delta = test.shift
            row.p = test.p
            row.interval = test.interval
            if baseMedian != 0 {
                row.relative = test.shift / baseMedian
                row.relativeInterval = test.interval.map { $0.lowerBound / baseMedian ... $0.upperBound / baseMedian }
            }
        case .blockBootstrap:
            let statistic = metric.statistic.rawValue
            let scale = metric.statistic.percentile == nil ? 1 : 1 / LatencyScale.usPerMs
            if let offsets {
                row.interval = offsets.absolute[statistic].map { row.delta + $0.lowerBound * scale ... row.delta + $0.upperBound * scale }
                if let relative = row.relative {
                    row.relativeInterval = offsets.relative[statistic].map { relative + $0.lowerBound ... relative + $0.upperBound }
                }
            }
            row.baseSamples = base.runs[0].seconds[name]?.count ?? 1
            row.headSamples = head.runs[0].seconds[name]?.count ?? 1
        }
        row.verdict = ComparisonRow.verdict(row.interval, metric: metric)
        return row
    }

    /// What samples the counts are: runs or seconds.
    public var sampleUnit: String { method == .rankTest ? "runs" : "seconds" }

    /// Judges every rule against the rows it names; throws when a rule names no row.
    public func gates(_ rules: [RegressionRule]) throws(CompareError) -> [Gate] {
        var gates: [Gate] = []
        for rule in rules {
            let phase = rule.phase ?? Phase.total.rawValue
            let judged = rows.filter { rule.applies(to: $0.operation) && $0.phase == phase && $0.metric == rule.metric }
            guard !judged.isEmpty else {
                throw .ruleMatchesNothing(rule: rule.text, operations: Array(Set(rows.map(\.operation))).sorted())
            }
            var gate = Gate(rule: rule.text, failed: [], undecided: [])
            for row in judged {
                switch rule.fails(absolute: row.interval, relative: row.relativeInterval) {
                case true?: gate.failed.append("\(row.operation).\(row.metricName)")
                case nil: gate.undecided.append("\(row.operation).\(row.metricName)")
                case false?: break
                }
            }
            gates.append(gate)
        }
        return gates
    }

    /// Exit status: 1 when a rule failed; 3 when none failed but one could not be judged; else 0.
    public static func exitCode(_ gates: [Gate]) -> Int32 {
        if gates.contains(where: { !$0.passed }) { return RunExit.failed }
        if gates.contains(where: { !$0.undecided.isEmpty }) { return RunExit.unmeasurable }
        return RunExit.passed
    }

    /// The plans' differences beyond the target, first run of each side against every other run.
    public static func planDifferences(base: ComparisonSide, head: ComparisonSide) -> (String, String, [String])? {
        guard let reference = base.runs.first ?? head.runs.first else { return nil }
        for (side, run) in base.runs.map({ (base.label, $0) }) + head.runs.map({ (head.label, $0) }) {
            let paths = PlanComparability.differences(reference.report.result.plan, run.report.result.plan)
            if !paths.isEmpty { return (reference.report.label, "\(side)/\(run.report.label)", paths) }
        }
        return nil
    }
}
