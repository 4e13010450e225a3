import EST

/// Per operation: the requests that met the fault draw and the faults injected into them — counted
/// when a fault actually changes the response (a late fault on a refused request changes nothing),
/// so a client's error counters can be checked against it exactly. One per worker, summed after join.
public struct FaultTally: Sendable, Equatable {
    /// One fault kind on one operation.
    public struct Key: Sendable, Hashable {
        public var operation: ESTOperation
        public var fault: FaultPlan.Fault
    }

    /// Requests per operation that reached the fault draw (routed, right method), by `allCases` index.
    private var requestCounts = [Int](repeating: 0, count: ESTOperation.allCases.count)
    /// Faults injected per operation and kind.
    public private(set) var injected: [Key: Int] = [:]

    public init() {}

    /// Requests of `operation` that met the fault draw.
    public func requests(_ operation: ESTOperation) -> Int { requestCounts[Self.index(operation)] }

    mutating func request(_ operation: ESTOperation) { requestCounts[Self.index(operation)] += 1 }

    private static func index(_ operation: ESTOperation) -> Int {
        switch operation {
        case .cacerts: 0
        case .simpleenroll: 1
        case .simplereenroll: 2
        case .fullcmc: 3
        case .serverkeygen: 4
        case .csrattrs: 5
        }
    }

    mutating func inject(_ fault: FaultPlan.Fault, on operation: ESTOperation) {
        injected[Key(operation: operation, fault: fault), default: 0] += 1
    }

    /// Faults injected of `fault` on `operation`.
    public func count(_ fault: FaultPlan.Fault, on operation: ESTOperation) -> Int {
        injected[Key(operation: operation, fault: fault)] ?? 0
    }

    public mutating func add(_ other: FaultTally) {
        for i in requestCounts.indices { requestCounts[i] += other.requestCounts[i] }
        for (key, n) in other.injected { injected[key, default: 0] += n }
    }
}
