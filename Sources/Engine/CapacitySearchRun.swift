import Foundation
import EventLoop
import Metrics
import PKI
import Synchronization
import Workload

/// A capacity search (`load.search`): the devices are made once, then each step is one open-model run
/// at a constant rate (a `RunCoordinator` with a new worker set), judged by `StepJudgement` against the
/// profile's thresholds; `CapacitySearch` picks the next rate. The profile's stop.durationSeconds
/// bounds the whole search. Starts no server and prints nothing but through `say`.
public final class CapacitySearchRun: Sendable {
    /// One finished step.
    public struct Step: Sendable {
        public let rate: Double
        public let result: CapacitySearch.StepResult
        public let judgement: StepJudgement
        public let outcome: RunCoordinator.Outcome
    }

    /// What a finished search hands to the report.
    public struct Outcome: Sendable {
        public let search: SearchPlan
        public let conclusion: CapacitySearch.Conclusion
        public let steps: [Step]
        /// What one arrival's latency includes about connections, as a sentence.
        public let connections: String
        /// When the search's first step began (wall clock).
        public let startedAt: Date
        public let target: String
        public let usedBuiltInServer: Bool

        /// The step whose figures stand for the search: the last one at the highest rate that held
        /// (or the last step, when none held).
        public var answerStep: Step? {
            guard let rate = conclusion.maxSustainableRate else { return steps.last }
            return steps.last { $0.rate == rate && $0.result == .held } ?? steps.last
        }
    }

    let plan: RunPlan
    let search: SearchPlan
    let target: RunTarget
    let threads: Int
    let say: @Sendable (String) -> Void
    let generationProgress: RunCoordinator.GenerationProgress
    /// A stop asked for, and the step running now (to pass the stop on).
    private let state = Locked<(stopped: Bool, current: RunCoordinator?)>((false, nil))

    /// - Throws: `RunCoordinator.RunError.unsupported` when the plan's load is not a search.
    public init(plan: RunPlan, target: RunTarget, threads: Int, say: @escaping @Sendable (String) -> Void,
                generationProgress: @escaping RunCoordinator.GenerationProgress = { _, _ in {} }) throws(RunCoordinator.RunError) {
        guard case .search(let search) = plan.profile.load else { throw .unsupported("not a capacity search: the profile's load has no search") }
        self.plan = plan
        self.search = search
        self.target = target
        self.threads = max(1, threads)
        self.say = say
        self.generationProgress = generationProgress
    }

    /// From any thread (a signal handler's): the step running is stopped (first call drains, second
    /// aborts) and no further step starts.
    public func stop() {
        let current = state.withLock { state -> RunCoordinator? in
            state.stopped = true
            return state.current
        }
        current?.stop()
    }

    /// The plan of one step: the profile with a constant open-model rate, the search's warm-up, and
    /// stepSeconds as its duration.
    public static func stepPlan(_ plan: RunPlan, search: SearchPlan, rate: Double) -> RunPlan {
        var step = plan
        step.profile.load = .open(.rate(ramp: nil, steps: [], hold: rate))
        step.profile.warmupSeconds = search.warmupSeconds
        step.profile.stop = StopCondition(durationSeconds: search.stepSeconds, operations: nil, drainSeconds: plan.profile.stop.drainSeconds)
        return step
    }

    /// What an arrival's latency includes about connections (the SLO includes handshakes or not).
    public static func connections(_ policy: ConnectionPolicy) -> String {
        switch policy.reuse {
        case .newPerOperation:
            return "connection.newPerOperation: every operation opens a new connection — the SLO includes a TCP+TLS handshake per operation"
        case .keepAlive:
            return "connection.keepAlive: each device keeps its connection — handshakes only on a device's first arrival of a step"
        case .perConnection(let n):
            return "connection.perConnection \(n): a new connection every \(n) operation(s) — the SLO includes those handshakes"
        }
    }

    /// Runs the search; `stepDone` is called on this thread after each step.
    public func run(stepDone: (Step) -> Void = { _ in }) throws(RunCoordinator.RunError) -> Outcome {
        let profile = plan.profile
        let maker = RunCoordinator(plan: plan, target: target, threads: threads, say: say,
                                   generationProgress: generationProgress, pool: nil)
        if let problem = plan.shardProblem { throw .unsupported(problem) }
        let (pool, _) = try maker.devices(range: 0..<profile.devices.count)
        var decisions = CapacitySearch(plan: search, budgetSeconds: profile.stop.durationSeconds ?? search.stepSeconds)
        let startNs = MonotonicTime.nowNs()
        let startedAt = Date()
        var steps: [Step] = []
        say("search: from \(Self.format(search.from))/s to \(Self.format(search.to))/s, ×\(Self.format(search.growth)) while steps hold, "
            + "then bisecting to \(Self.format(search.resolution * 100))%; steps of \(Self.format(search.stepSeconds)) s "
            + "(\(Self.format(search.warmupSeconds)) s warm-up), at most \(Self.format(decisions.budgetSeconds)) s in all")
        say("search: \(Self.connections(profile.connection))")
        while let rate = decisions.next(elapsedSeconds: Double(MonotonicTime.nowNs() - startNs) / 1e9) {
            let stepPlan = Self.stepPlan(plan, search: search, rate: rate)
            // The first step says what a run says (target, TLS verification); the others would repeat it.
            let quiet: @Sendable (String) -> Void = { _ in }
            let coordinator = RunCoordinator(plan: stepPlan, target: target, threads: threads, say: steps.isEmpty ? say : quiet,
                                             generationProgress: generationProgress, pool: pool)
            let stopped = state.withLock { state -> Bool in
                if !state.stopped { state.current = coordinator }
                return state.stopped
            }
            if stopped {
                decisions.record(rate: rate, .interrupted)
                break
            }
            let stepStart = MonotonicTime.nowNs()
            let outcome = try coordinator.run()
            let wallNs = MonotonicTime.nowNs() - stepStart
            state.withLock { $0.current = nil }
            let judgement = StepJudgement(
                StepJudgement.Step(offeredRate: rate, stepSeconds: search.stepSeconds, warmupSeconds: search.warmupSeconds,
                                   measuredNs: outcome.durationNs, arrivals: UInt64(outcome.measuredArrivals), operations: outcome.metrics.operations,
                                   timeline: outcome.metrics.timeline, loadThreadCPUNs: outcome.workerCPUNs, wallNs: wallNs),
                thresholds: profile.thresholds)
            let result: CapacitySearch.StepResult
            if outcome.interrupted {
                result = .interrupted
            } else if judgement.broke.contains(.clientLimit) {
                result = .clientLimit
            } else {
                result = judgement.held ? .held : .broke
            }
            let step = Step(rate: rate, result: result, judgement: judgement, outcome: outcome)
            steps.append(step)
            stepDone(step)
            decisions.record(rate: rate, result)
        }
        // `next` returned nil, so the search is done; an interrupt before the first step also lands here.
        let conclusion = decisions.conclusion ?? .interrupted(held: decisions.highestHeld)
        return Outcome(search: search, conclusion: conclusion, steps: steps, connections: Self.connections(profile.connection),
                       startedAt: startedAt, target: target.description, usedBuiltInServer: target.isBuiltInServer)
    }

    /// A rate or a number of seconds as printed: integers without decimals, others with one or two.
    public static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return String(format: value * 10 == (value * 10).rounded() ? "%.1f" : "%.2f", value)
    }
}
