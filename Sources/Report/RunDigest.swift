import Foundation
import Metrics

/// What `estbench run --json` prints on standard output: the verdict, the per-operation summary
/// (attempted and successful rates, success %, corrected latency in ms, errors and their reasons)
/// and the results folder's path — small enough for a CI step to read, the full figures are in
/// result.json.
public struct RunDigest: Encodable, Sendable {
    /// One operation's line of the console table, as numbers.
    public struct Operation: Encodable, Sendable {
        public var name: String
        public var count: UInt64
        public var succeeded: UInt64
        public var attemptedPerSecond: Double
        public var succeededPerSecond: Double
        public var successPercent: Double?
        /// Corrected total latency (ms) at p50, p90, p99, p99.9 and max; absent without a response.
        public var latencyMs: [String: Double]
        /// Failed operations per outcome key, and their reasons (outcome → reason → count).
        public var errors: [String: UInt64]
        public var reasons: [String: [String: UInt64]]
        /// The part of the request path that took most of the slowest ~1% operations' time, and its share.
        public var slowestPercentIn: String?
        public var slowestPercentShare: Double?
    }

    public var verdict: RunVerdict?
    public var abortReason: String?
    public var interrupted: Bool
    public var durationSeconds: Double
    public var operations: [Operation]
    /// The run's results folder (nil when it could not be written).
    public var results: String?
    public var exitCode: Int32

    public init(_ result: RunResult, results: String?, exitCode: Int32) {
        verdict = result.verdict
        abortReason = result.abortReason
        interrupted = result.interrupted
        let seconds = Double(result.metrics.durationNs) / 1e9
        durationSeconds = seconds
        operations = result.metrics.operations.map { op in
            let succeeded = ConsoleSummary.succeeded(op)
            var latency: [String: Double] = [:]
            if let total = op.latency[Phase.total.rawValue], total.count > 0 {
                latency = ["p50": Double(total.p50Us) / 1000, "p90": Double(total.p90Us) / 1000, "p99": Double(total.p99Us) / 1000,
                           "p99.9": Double(total.p999Us) / 1000, "max": Double(total.maxUs) / 1000]
            }
            var reasons: [String: [String: UInt64]] = [:]
            for (outcome, byReason) in op.reasons?.byOutcome ?? [:] { reasons[outcome] = byReason.mapValues(\.count) }
            let dominant = op.tail?.dominant
            return Operation(name: op.name, count: op.count, succeeded: succeeded, attemptedPerSecond: op.ratePerSecond,
                             succeededPerSecond: seconds > 0 ? Double(succeeded) / seconds : 0,
                             successPercent: op.count == 0 ? nil : Double(succeeded) * 100 / Double(op.count),
                             latencyMs: latency, errors: op.counters.filter { Outcome(key: $0.key)?.isError ?? true },
                             reasons: reasons, slowestPercentIn: dominant?.part, slowestPercentShare: dominant?.share)
        }
        self.results = results
        self.exitCode = exitCode
    }

    /// Pretty, key-sorted JSON, newline-terminated.
    public func jsonText() throws(ReportError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        } catch {
            throw .encoding(path: "--json", reason: String(describing: error))
        }
    }
}
