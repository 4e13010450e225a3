import EST
import Foundation
import Server

/// What `serve` tells when it stops: per operation, the requests and the faults it injected — the
/// figures a client run's error counters are checked against — as lines and, with --stats-json, a file.
extension ServeCommand {
    /// Operations worth a line: requested, or with a fault configured.
    func statsOperations(_ tally: FaultTally, _ plan: FaultPlan) -> [ESTOperation] {
        ESTOperation.allCases.filter { op in tally.requests(op) > 0 || plan.entries.contains { $0.operation == op } }
    }

    /// The faults configured for `op`, each once, in the order given.
    func configuredFaults(_ op: ESTOperation, _ plan: FaultPlan) -> [FaultPlan.Fault] {
        var out: [FaultPlan.Fault] = []
        for e in plan.entries where e.operation == op && !out.contains(e.fault) { out.append(e.fault) }
        return out
    }

    /// One line per faulted operation: `cacerts: 120 requests; injected 503 6, delay:250 4`.
    func faultLines(_ tally: FaultTally, _ plan: FaultPlan) -> [String] {
        statsOperations(tally, plan).compactMap { op in
            let faults = configuredFaults(op, plan)
            guard !faults.isEmpty else { return nil }
            return "estbench serve: \(op): \(tally.requests(op)) request(s); injected "
                + faults.map { "\($0) \(tally.count($0, on: op))" }.joined(separator: ", ")
        }
    }

    /// `{"events": {...}, "operations": {"cacerts": {"requests": N, "faults": {"503": N}}}}`.
    func writeStats(to path: String, events: [ServerEvent: Int], tally: FaultTally, plan: FaultPlan) throws {
        var operations: [String: Any] = [:]
        for op in statsOperations(tally, plan) {
            var faults: [String: Int] = [:]
            for f in configuredFaults(op, plan) { faults[f.description] = tally.count(f, on: op) }
            operations[op.rawValue] = ["requests": tally.requests(op), "faults": faults]
        }
        var eventCounts: [String: Int] = [:]
        for e in ServerEvent.allCases { eventCounts[e.rawValue] = events[e] ?? 0 }
        let object: [String: Any] = ["events": eventCounts, "operations": operations]
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.failed("--stats-json \(path): \(error)")
        }
    }
}
