import Foundation
import Metrics
import Workload

/// Everything result.json holds about one run: what was asked (the redacted plan), where it ran, what
/// was measured (full histograms, mergeable later) and what went wrong on the way (warnings).
public struct RunResult: Codable, Sendable, Equatable {
    /// Version of this layout; bumped when a field changes meaning or disappears.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// estbench's version string.
    public var estbenchVersion: String
    /// Wall-clock start of the measured run, UTC ISO-8601 (e.g. "2026-11-30T14:32:42Z").
    public var startTime: String
    /// Measured duration (warm-up excluded) in ns.
    public var durationNs: UInt64
    /// True when SIGINT/SIGTERM cut the run short.
    public var interrupted: Bool
    /// `RunPlan.redactedJSON()` as a JSON object: secret sources named, never secret values.
    public var plan: JSONValue
    public var environment: RunEnvironment
    public var tls: TLSFacts
    /// Counters, percentiles and full histograms per operation.
    public var metrics: MetricsSummary
    /// Several targets (`target.urls`): each server's own per-operation summary, in the profile's
    /// order; nil for a run against one target.
    public var targets: [TargetResult]?
    /// Saturated workers, schedule lag and the like, as sentences.
    public var warnings: [String]
    /// Server deviations accepted leniently, by kind (e.g. "trailing_nul"), counted, one example each.
    public var findings: [String: InteropFinding] = [:]
    /// What the load generator itself used (nil in results written before it was recorded).
    public var tool: ToolUsage?
    /// Whether the run passed, and each threshold with its measured value (nil in older results).
    public var verdict: RunVerdict?
    /// The abort rule that stopped the run early (targetUnusable, errorRate) and why; nil when none fired.
    public var abortRule: AbortPolicy.Rule?
    public var abortReason: String?
    /// A capacity search's answer and steps (nil: not a search).
    public var search: SearchResult?
    /// SHA-256 of the redacted plan: the same for every shard of one plan (nil in older results).
    public var planHash: String?
    /// Which shard of the plan this run was (nil: the whole plan in one process).
    public var shard: ShardRecord?
    /// A merged result: the shards it was made from (nil: one run).
    public var merge: MergeRecord?
    /// True in a checkpoint written while the run went on (metrics and findings so far; no TLS
    /// facts, warnings or verdict); nil once the run has ended and written its result.
    public var partial: Bool?

    /// A result for merged, closed `metrics` of a run that ran `plan`.
    public init(
        estbenchVersion: String, startTime: String, durationNs: UInt64, interrupted: Bool,
        plan: RunPlan, environment: RunEnvironment, metrics: WorkerMetrics,
        tls: TLSFacts = TLSFacts(), warnings: [String] = []
    ) throws(ReportError) {
        schemaVersion = Self.currentSchemaVersion
        self.estbenchVersion = estbenchVersion
        self.startTime = startTime
        self.durationNs = durationNs
        self.interrupted = interrupted
        self.plan = try JSONValue(parsing: plan.redactedJSON())
        self.environment = environment
        self.tls = tls
        self.metrics = MetricsSummary(metrics, durationNs: durationNs)
        self.warnings = warnings
        planHash = plan.planHash
    }

    /// The plan's profile name (`plan.name`), used for the results folder.
    public var profileName: String {
        if case .string(let name)? = plan["name"] { return name }
        return "run"
    }

    /// Pretty, key-sorted JSON, newline-terminated (stable for diffs).
    public func jsonData() throws(ReportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self) + Data("\n".utf8)
        } catch {
            throw .encoding(path: ResultsFolder.resultFile, reason: String(describing: error))
        }
    }

    /// Reads result.json text; `what` names the source in the error (usually its path).
    public static func decode(from data: Data, what: String = ResultsFolder.resultFile) throws(ReportError) -> RunResult {
        do {
            return try JSONDecoder().decode(RunResult.self, from: data)
        } catch {
            throw .notJSON(what: what, reason: String(describing: error))
        }
    }
}
