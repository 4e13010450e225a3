/// Why one operation failed, beside its outcome class: a short key that groups failures
/// ("ECONNREFUSED", "unable to get local issuer certificate", "truncated body", "503 Service
/// Unavailable") and an example with the details of this one. Made only on the failure path.
public struct FailureReason: Sendable, Equatable {
    public var key: String
    public var example: String

    public init(_ key: String, example: String) {
        self.key = key
        self.example = example
    }
}

/// Failure reasons of one operation: outcome key → reason key → count and first example. Small
/// (a handful of reasons per class); a reason seen before costs a dictionary update, no allocation.
public struct FailureReasons: Sendable, Equatable, Codable {
    public private(set) var byOutcome: [String: [String: CountedExample]] = [:]

    public init() {}

    public init(_ byOutcome: [String: [String: CountedExample]]) { self.byOutcome = byOutcome }

    /// Reason keys beyond this many per outcome land in "other" (a server cannot blow up the tables).
    public static let maxReasonsPerOutcome = 32

    public mutating func add(_ outcome: Outcome, _ reason: FailureReason, count: UInt64 = 1) {
        add(outcomeKey: outcome.key, reasonKey: reason.key, CountedExample(count: count, example: reason.example))
    }

    mutating func add(outcomeKey: String, reasonKey: String, _ tally: CountedExample) {
        if byOutcome[outcomeKey]?[reasonKey] != nil {
            byOutcome[outcomeKey]![reasonKey]!.merge(tally)
            return
        }
        let key = (byOutcome[outcomeKey]?.count ?? 0) >= Self.maxReasonsPerOutcome ? "other" : reasonKey
        if byOutcome[outcomeKey]?[key] != nil {
            byOutcome[outcomeKey]![key]!.merge(tally)
        } else {
            byOutcome[outcomeKey, default: [:]][key] = tally
        }
    }

    public var isEmpty: Bool { byOutcome.isEmpty }

    /// Adds every count of `other` (first examples kept).
    public mutating func merge(_ other: FailureReasons) {
        for (outcome, reasons) in other.byOutcome {
            for (reason, tally) in reasons { add(outcomeKey: outcome, reasonKey: reason, tally) }
        }
    }

    /// The reasons of one outcome class, most frequent first (ties by key).
    public func ranked(_ outcomeKey: String) -> [(reason: String, tally: CountedExample)] {
        (byOutcome[outcomeKey] ?? [:]).map { (reason: $0.key, tally: $0.value) }
            .sorted { $0.tally.count != $1.tally.count ? $0.tally.count > $1.tally.count : $0.reason < $1.reason }
    }

    public init(from decoder: any Decoder) throws {
        byOutcome = try decoder.singleValueContainer().decode([String: [String: CountedExample]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(byOutcome)
    }
}
