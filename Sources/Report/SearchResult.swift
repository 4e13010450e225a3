import Metrics
import Workload

/// A capacity search in result.json (`search`): the answer — the highest rate that held — why the
/// search ended, and every step with its judgement and full per-operation histograms (a report can
/// plot latency against the offered rate).
public struct SearchResult: Codable, Sendable, Equatable {
    /// One step: the rate offered, what was achieved and measured, and what broke.
    public struct Step: Codable, Sendable, Equatable {
        public var offeredRate: Double
        public var achievedRate: Double
        /// Arrivals measured in the step's window.
        public var arrivals: UInt64
        /// held, broke, clientLimit or interrupted.
        public var result: CapacitySearch.StepResult
        /// The conditions that broke (empty: held).
        public var broke: [StepJudgement.Condition]
        public var thresholds: ThresholdVerdict
        public var steadiness: StepJudgement.Steadiness?
        /// The busiest load thread's CPU over the step's wall time (0–1).
        public var busiestLoadThread: Double
        public var errorRate: Double?
        /// Every operation merged: corrected total latency p50 and p99 (ms; nil when none answered).
        public var p50Ms: Double?
        public var p99Ms: Double?
        /// The measured window (warm-up excluded), ns.
        public var durationNs: UInt64
        public var warnings: [String]
        /// Per operation: counters, percentiles and full histograms of this step alone.
        public var operations: [OperationSummary]

        public init(result: CapacitySearch.StepResult, judgement: StepJudgement, metrics: WorkerMetrics, durationNs: UInt64, warnings: [String]) {
            offeredRate = judgement.offeredRate
            achievedRate = judgement.achievedRate
            arrivals = judgement.arrivals
            self.result = result
            broke = judgement.broke
            thresholds = judgement.verdict
            steadiness = judgement.steadiness
            busiestLoadThread = judgement.busiestLoadThread
            errorRate = judgement.errorRate
            self.durationNs = durationNs
            self.warnings = warnings
            operations = metrics.operations.map { OperationSummary($0, durationNs: durationNs) }
            var all = OperationMetrics(name: Threshold.allOperations)
            for op in metrics.operations { all.merge(op) }
            let total = all.histogram(.total)
            p50Ms = total.totalCount > 0 ? Double(total.percentileValue(50)) / 1000 : nil
            p99Ms = total.totalCount > 0 ? Double(total.percentileValue(99)) / 1000 : nil
        }
    }

    /// The highest offered rate (arrivals/s) that held; nil when none did.
    public var maxSustainableRate: Double?
    /// Why the search ended: found, reached_to, nothing_held, client_limit, out_of_time, interrupted.
    public var conclusion: String
    /// The conclusion as a person reads it.
    public var summary: String
    /// What an arrival's latency includes about connections (handshakes or not).
    public var connections: String
    public var steps: [Step]

    public init(conclusion: CapacitySearch.Conclusion, plan: SearchPlan, connections: String, steps: [Step]) {
        maxSustainableRate = conclusion.maxSustainableRate
        self.conclusion = conclusion.key
        summary = Self.sentence(conclusion, plan: plan)
        self.connections = connections
        self.steps = steps
    }

    /// The search held at a rate of at least `from`: the run's exit status is 0, else 1.
    public var passed: Bool { maxSustainableRate != nil }

    static func sentence(_ conclusion: CapacitySearch.Conclusion, plan: SearchPlan) -> String {
        let r = SearchTable.rate
        switch conclusion {
        case .found(let held, let broke):
            return "maximum sustainable rate: \(r(held)) arrivals/s (\(r(broke))/s broke; within the \(r(plan.resolution * 100))% resolution)"
        case .reachedTo(let held):
            return "every step held up to load.search.to: the capacity is at least \(r(held)) arrivals/s (raise to to search further)"
        case .nothingHeld(let broke):
            return "no rate held: the first step (from = \(r(broke))/s) already broke; lower load.search.from"
        case .clientLimit(let rate, let held):
            return "estbench was the limit at \(r(rate))/s (a load thread over 90% busy) — not the server's capacity; "
                + (held.map { "the highest rate that held: \(r($0)) arrivals/s" } ?? "no rate held before it")
                + "; add --threads or cores, or shard the load"
        case .outOfTime(let held, let broke):
            return "stop.durationSeconds ended the search before the resolution: "
                + (held.map { "the highest rate that held: \(r($0)) arrivals/s" } ?? "no rate held")
                + (broke.map { " (\(r($0))/s broke)" } ?? "") + "; give the search more time"
        case .interrupted(let held):
            return "interrupted: " + (held.map { "the highest rate that held so far: \(r($0)) arrivals/s" } ?? "no rate held so far")
        }
    }
}
