/// Everything one worker measures: `OperationMetrics` per operation name plus its `Timeline`.
/// Confined to the worker's thread while running; after join the coordinator merges workers with `merge(_:)`.
public struct WorkerMetrics: Sendable {
    /// Per-operation figures, indexed by `OperationID.index`.
    public private(set) var operations: [OperationMetrics]
    /// Per-second series, same indices as `operations`.
    public private(set) var timeline: Timeline

    /// Metrics for the given operation names (IDs follow their order); `runStartNs` is the timeline's time zero.
    public init(runStartNs: UInt64, operations names: [String] = []) {
        operations = []
        timeline = Timeline(runStartNs: runStartNs)
        for name in names { register(name) }
    }

    /// The ID for `name`, adding the operation if it is new. Resolve once, before the clock starts.
    @discardableResult
    public mutating func register(_ name: String) -> OperationID {
        if let existing = id(of: name) { return existing }
        operations.append(OperationMetrics(name: name))
        timeline.addOperation(name)
        return OperationID(index: operations.count - 1)
    }

    /// The ID of an already registered operation.
    public func id(of name: String) -> OperationID? {
        operations.firstIndex { $0.name == name }.map(OperationID.init(index:))
    }

    /// The figures of a registered operation.
    public subscript(_ id: OperationID) -> OperationMetrics { operations[id.index] }

    /// The figures of `name`, if registered.
    public subscript(_ name: String) -> OperationMetrics? { id(of: name).map { operations[$0.index] } }

    /// Records one finished operation in its histograms, counters and timeline. No heap allocation
    /// (except once per operation per second, when the timeline closes a second).
    public mutating func record(_ id: OperationID, stamps: OperationPhaseStamps, outcome: Outcome, reason: FailureReason? = nil) {
        operations[id.index].record(stamps: stamps, outcome: outcome, reason: reason)
        var latencyUs: UInt64?
        if outcome.receivedResponse, let ns = stamps.correctedTotalNs { latencyUs = LatencyScale.us(fromNs: ns) }
        let endNs = stamps.completeNs != 0 ? stamps.completeNs : stamps.startNs
        timeline.record(operation: id.index, endNs: endNs, latencyUs: latencyUs, isError: outcome.isError)
    }

    /// Closes the open timeline seconds; call when the worker stops.
    public mutating func close() {
        timeline.close()
    }

    /// Adds another worker's metrics, matching operations by name: exact histogram and counter addition.
    public mutating func merge(_ other: WorkerMetrics) {
        for operation in other.operations {
            let id = register(operation.name)
            operations[id.index].merge(operation)
        }
        timeline.merge(other.timeline)
    }
}
