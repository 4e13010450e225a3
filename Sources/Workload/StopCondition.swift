/// When a run stops scheduling: after a duration, after a number of operations, or at whichever
/// comes first when both are set (at least one is).
public struct StopCondition: Sendable, Equatable, Encodable {
    public var durationSeconds: Double?
    public var operations: Int?
    /// After a stop (the duration, the operation count, a first SIGINT), operations on the wire
    /// have this long to finish before they are cut off (counted, not measured).
    public var drainSeconds: Double = StopCondition.defaultDrainSeconds

    public static let defaultDrainSeconds = 5.0
    public static let maxDrainSeconds = 600.0

    public init(durationSeconds: Double? = nil, operations: Int? = nil, drainSeconds: Double = StopCondition.defaultDrainSeconds) {
        self.durationSeconds = durationSeconds
        self.operations = operations
        self.drainSeconds = drainSeconds
    }
}
