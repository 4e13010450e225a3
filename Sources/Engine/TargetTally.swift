import Metrics

/// Measured operations per server when a run spreads devices over several (`target.urls`): how
/// many went to it, how many were a valid 2xx, and its own per-operation metrics — the per-target
/// view beside the totals.
public struct TargetTally: Sendable {
    /// The target's URL.
    public let target: String
    /// The address connected to (`ip:port`).
    public let address: String
    public var operations = 0
    public var succeeded = 0
    /// This target's histograms and counters, per operation (the same names as the totals).
    public var metrics: WorkerMetrics

    public init(target: String, address: String, metrics: WorkerMetrics) {
        self.target = target
        self.address = address
        self.metrics = metrics
    }

    mutating func merge(_ other: TargetTally) {
        operations += other.operations
        succeeded += other.succeeded
        metrics.merge(other.metrics)
    }
}
