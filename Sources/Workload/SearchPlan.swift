/// A capacity search (`load.search`): open-model steps at constant rates from `from` arrivals/s,
/// growing by `growth` until a step breaks the thresholds, then bisecting between the last rate that
/// held and the first that broke until they are within `resolution` of each other. Each step runs
/// `stepSeconds`, of which the first `warmupSeconds` are not measured.
public struct SearchPlan: Sendable, Equatable, Encodable {
    public var from: Double
    public var to: Double
    public var stepSeconds: Double
    public var warmupSeconds: Double
    /// Bisection ends when (broke − held) / held ≤ this fraction.
    public var resolution: Double
    /// Factor from one step's rate to the next while every step holds.
    public var growth: Double

    public static let defaultStepSeconds = 20.0
    public static let defaultWarmupSeconds = 5.0
    public static let defaultResolution = 0.05
    public static let defaultGrowth = 2.0
    /// Rates above this are not a search on one machine's loops (and would overflow nothing useful).
    public static let maxRate = 1_000_000.0

    public init(from: Double, to: Double, stepSeconds: Double = SearchPlan.defaultStepSeconds,
                warmupSeconds: Double = SearchPlan.defaultWarmupSeconds, resolution: Double = SearchPlan.defaultResolution,
                growth: Double = SearchPlan.defaultGrowth) {
        self.from = from
        self.to = to
        self.stepSeconds = stepSeconds
        self.warmupSeconds = warmupSeconds
        self.resolution = resolution
        self.growth = growth
    }

    /// The measured part of each step.
    public var windowSeconds: Double { stepSeconds - warmupSeconds }
}
