/// When a run stops scheduling: after a duration, after a number of operations, or at whichever
/// comes first when both are set (at least one is).
public struct StopCondition: Sendable, Equatable, Encodable {
    public var durationSeconds: Double?
    public var operations: Int?

    public init(durationSeconds: Double? = nil, operations: Int? = nil) {
        self.durationSeconds = durationSeconds
        self.operations = operations
    }
}
