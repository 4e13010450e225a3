/// Dense handle for an operation name inside one `WorkerMetrics`, resolved once so recording never hashes a string.
public struct OperationID: Hashable, Sendable {
    /// Index into `WorkerMetrics.operations` and the timeline series.
    public let index: Int

    public init(index: Int) {
        self.index = index
    }
}
