/// The capacity search's decisions as plain state: which rate to try next, given how the steps so far
/// went. Grows geometrically from `from` while steps hold, then bisects between the last rate that
/// held and the first that broke until they are within the resolution. No clock, no I/O: the runner
/// reports each step's result and the time spent; `next` says what to do.
public struct CapacitySearch: Sendable, Equatable {
    /// How a step went.
    public enum StepResult: String, Sendable, Equatable, Codable {
        /// Every condition held.
        case held
        /// A condition broke: the server did not sustain this rate.
        case broke
        /// estbench itself was the limit (a load thread saturated): nothing is learned about the server.
        case clientLimit = "client_limit"
        /// Stopped by a signal before it was judged.
        case interrupted
    }

    /// Why the search ended, with the highest rate that held (nil: none).
    public enum Conclusion: Sendable, Equatable {
        /// Bisected to the resolution: `held` held and `broke` (within the resolution above it) did not.
        case found(held: Double, broke: Double)
        /// Every step held up to and including `to`: the server's capacity is at least that.
        case reachedTo(held: Double)
        /// The first step (`from`) broke already.
        case nothingHeld(broke: Double)
        /// estbench saturated at `rate`: the server's capacity was not reached (at least `held`).
        case clientLimit(rate: Double, held: Double?)
        /// stop.durationSeconds left no time for another step.
        case outOfTime(held: Double?, broke: Double?)
        /// A signal stopped the search.
        case interrupted(held: Double?)

        /// The highest rate that held, the search's answer.
        public var maxSustainableRate: Double? {
            switch self {
            case .found(let held, _), .reachedTo(let held): return held
            case .nothingHeld: return nil
            case .clientLimit(_, let held), .outOfTime(let held, _), .interrupted(let held): return held
            }
        }

        /// A stable name for result.json.
        public var key: String {
            switch self {
            case .found: return "found"
            case .reachedTo: return "reached_to"
            case .nothingHeld: return "nothing_held"
            case .clientLimit: return "client_limit"
            case .outOfTime: return "out_of_time"
            case .interrupted: return "interrupted"
            }
        }
    }

    /// Where the search is.
    public enum State: Sendable, Equatable {
        /// Trying `rate`, reached by growth from the steps before (all held).
        case growing(rate: Double)
        /// Trying the midpoint of `held` (held) and `broke` (broke).
        case bisecting(held: Double, broke: Double)
        case done(Conclusion)
    }

    public let plan: SearchPlan
    /// The whole search's time (stop.durationSeconds).
    public let budgetSeconds: Double
    public private(set) var state: State
    /// One step taken: its rate and result.
    public struct Step: Sendable, Equatable {
        public var rate: Double
        public var result: StepResult
    }

    /// Every step so far, in order.
    public private(set) var steps: [Step] = []

    public init(plan: SearchPlan, budgetSeconds: Double) {
        self.plan = plan
        self.budgetSeconds = budgetSeconds
        state = .growing(rate: plan.from)
    }

    /// The rate of the next step, or nil when the search is done (`state` says why). A step that would
    /// not end within the budget is not started.
    public mutating func next(elapsedSeconds: Double) -> Double? {
        let rate: Double
        switch state {
        case .done: return nil
        case .growing(let r): rate = r
        case .bisecting(let held, let broke): rate = Self.midpoint(held, broke)
        }
        if elapsedSeconds + plan.stepSeconds > budgetSeconds + 1e-9 {
            state = .done(.outOfTime(held: highestHeld, broke: lowestBroke))
            return nil
        }
        return rate
    }

    /// Records the result of the step at `rate` (the one `next` returned) and moves on.
    public mutating func record(rate: Double, _ result: StepResult) {
        if case .done = state { return }
        steps.append(Step(rate: rate, result: result))
        state = advance(rate: rate, result)
    }

    private func advance(rate: Double, _ result: StepResult) -> State {
        switch result {
        case .interrupted: return .done(.interrupted(held: highestHeld))
        case .clientLimit: return .done(.clientLimit(rate: rate, held: highestHeld))
        case .held, .broke: break
        }
        switch state {
        case .done: return state
        case .growing:
            if result == .broke {
                guard let held = highestHeld else { return .done(.nothingHeld(broke: rate)) }
                return narrowed(held: held, broke: rate)
            }
            if rate >= plan.to { return .done(.reachedTo(held: rate)) }
            return .growing(rate: min(rate * plan.growth, plan.to))
        case .bisecting(let held, let broke):
            return result == .held ? narrowed(held: rate, broke: broke) : narrowed(held: held, broke: rate)
        }
    }

    /// Bisect further, or done when the gap is within the resolution.
    private func narrowed(held: Double, broke: Double) -> State {
        (broke - held) / held <= plan.resolution + 1e-12 ? .done(.found(held: held, broke: broke)) : .bisecting(held: held, broke: broke)
    }

    /// The next rate between `held` and `broke`: the arithmetic midpoint, rounded to a tenth.
    static func midpoint(_ held: Double, _ broke: Double) -> Double {
        let mid = ((held + broke) / 2 * 10).rounded() / 10
        return mid > held && mid < broke ? mid : (held + broke) / 2
    }

    /// The highest rate that held so far.
    public var highestHeld: Double? { steps.filter { $0.result == .held }.map(\.rate).max() }

    /// The lowest rate that broke so far.
    public var lowestBroke: Double? { steps.filter { $0.result == .broke }.map(\.rate).min() }

    /// The conclusion, once done.
    public var conclusion: Conclusion? {
        if case .done(let conclusion) = state { return conclusion }
        return nil
    }
}
