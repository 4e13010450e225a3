/// Measured operations per server when a run spreads devices over several (`target.urls`): how
/// many went to it and how many were a valid 2xx — the per-target view beside the totals.
public struct TargetTally: Sendable, Equatable {
    /// The target's URL.
    public let target: String
    public var operations = 0
    public var succeeded = 0

    public init(target: String) { self.target = target }

    mutating func merge(_ other: TargetTally) {
        operations += other.operations
        succeeded += other.succeeded
    }
}
