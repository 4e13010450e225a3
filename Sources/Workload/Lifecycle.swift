import EST

/// What one device does: an ordered list of steps, or operations drawn by weight
/// (a mix runs until the run stops).
public enum Lifecycle: Sendable, Equatable, Encodable {
    case steps([LifecycleStep])
    /// Weights in profile order; each draw picks an operation with probability weight / total.
    case mix([WeightedOperation])

    /// An operation and its relative weight in a mix.
    public struct WeightedOperation: Sendable, Equatable, Encodable {
        public var operation: ESTOperation
        public var weight: Int

        public init(operation: ESTOperation, weight: Int) {
            self.operation = operation
            self.weight = weight
        }

        enum CodingKeys: String, CodingKey { case operation = "op", weight }
    }

    /// Operations one pass of an ordered lifecycle performs (nil for a mix: unbounded).
    public var operationsPerPass: Int? {
        guard case .steps(let steps) = self else { return nil }
        return steps.reduce(0) { $0 + $1.repeatCount }
    }

    /// The operation for a mix draw `u` in [0, 1): cumulative weights, so pure and testable.
    public func mixOperation(draw u: Double) -> ESTOperation? {
        guard case .mix(let entries) = self else { return nil }
        let total = entries.reduce(0) { $0 + $1.weight }
        var threshold = u * Double(total)
        for entry in entries {
            if threshold < Double(entry.weight) { return entry.operation }
            threshold -= Double(entry.weight)
        }
        return entries.last?.operation
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .steps(let steps): try container.encode(steps, forKey: .steps)
        case .mix(let entries): try container.encode(entries, forKey: .mix)
        }
    }

    private enum Key: String, CodingKey { case steps, mix }
}
