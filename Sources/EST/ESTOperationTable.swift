/// A value per EST operation, kept by the operation's ordinal: the lookups the load loop makes for every
/// operation (its request template, its timeout, its metrics) without hashing. A Dictionary keyed by
/// the operation hashes the key through SipHash on every lookup: ~250 instructions, three per operation.
public struct ESTOperationTable<Value> {
    private var values: [Value?] = Array(repeating: nil, count: ESTOperation.allCases.count)

    public init() {}

    public init(_ entries: [ESTOperation: Value]) {
        for (operation, value) in entries { values[operation.ordinal] = value }
    }

    public subscript(_ operation: ESTOperation) -> Value? {
        get { values[operation.ordinal] }
        set { values[operation.ordinal] = newValue }
    }

    /// Operations that have a value.
    public var count: Int { values.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
}

extension ESTOperationTable: Sendable where Value: Sendable {}
