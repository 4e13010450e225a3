/// Counts of operations per `Outcome`: a fixed array for the payload-free cases, a small map for TLS alerts.
/// Recording an already-seen outcome never allocates.
public struct OutcomeCounters: Sendable, Equatable {
    var fixed: [UInt64]
    var tlsAlerts: [String: UInt64]

    public init() {
        fixed = [UInt64](repeating: 0, count: Outcome.fixed.count)
        tlsAlerts = [:]
    }

    /// Adds `count` operations that ended with `outcome`.
    public mutating func add(_ outcome: Outcome, count: UInt64 = 1) {
        if let index = outcome.fixedIndex {
            fixed[index] &+= count
        } else if case let .tlsError(alert) = outcome {
            tlsAlerts[alert, default: 0] &+= count
        }
    }

    /// Operations that ended with `outcome`.
    public subscript(_ outcome: Outcome) -> UInt64 {
        if let index = outcome.fixedIndex { return fixed[index] }
        if case let .tlsError(alert) = outcome { return tlsAlerts[alert] ?? 0 }
        return 0
    }

    /// All operations counted.
    public var total: UInt64 { fixed.reduce(0, &+) &+ tlsAlerts.values.reduce(0, &+) }

    /// Operations whose outcome is an error (`Outcome.isError`).
    public var errors: UInt64 { nonZero.reduce(0) { $1.0.isError ? $0 &+ $1.1 : $0 } }

    /// Every outcome with a non-zero count, fixed cases first then TLS alerts by name.
    public var nonZero: [(Outcome, UInt64)] {
        var result: [(Outcome, UInt64)] = []
        for (index, outcome) in Outcome.fixed.enumerated() where fixed[index] != 0 {
            result.append((outcome, fixed[index]))
        }
        for alert in tlsAlerts.keys.sorted() where tlsAlerts[alert] != 0 {
            result.append((.tlsError(alert: alert), tlsAlerts[alert] ?? 0))
        }
        return result
    }

    /// Counts keyed by `Outcome.key`, for result.json.
    public var byKey: [String: UInt64] {
        var result: [String: UInt64] = [:]
        for (outcome, count) in nonZero { result[outcome.key] = count }
        return result
    }

    /// Adds every count of `other`.
    public mutating func merge(_ other: OutcomeCounters) {
        for index in fixed.indices { fixed[index] &+= other.fixed[index] }
        for (alert, count) in other.tlsAlerts { tlsAlerts[alert, default: 0] &+= count }
    }
}
