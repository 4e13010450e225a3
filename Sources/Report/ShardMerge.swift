import Foundation
import Metrics

/// `estbench merge`: the results of N shards of one plan added into one run's results, exactly —
/// histograms bucket by bucket, counters, reasons, findings and TLS facts summed, the timeline lined
/// up on the wall clock (each shard's second 0 is its `clockStartedAt`), the verdict judged again on
/// the merged figures. Refuses shards of different plans, and duplicate or (unless partial) missing ones.
public struct ShardMerge: Sendable {
    /// One shard's folder, read.
    public struct Part: Sendable {
        public let folder: URL
        public let result: RunResult
        public let shard: ShardRecord
        public let operations: [OperationMetrics]
        public let timeline: Timeline
    }

    /// Why shards cannot be merged: every case is bad input (exit 2).
    public enum MergeError: Error, Sendable, Equatable, CustomStringConvertible {
        case unreadable(folder: String, reason: String)
        case notAShard(folder: String)
        case differentPlans(String)
        case differentShardCounts(String)
        case duplicate(index: Int, folders: [String])
        case missing([Int], count: Int)
        case nothing

        public var description: String {
            switch self {
            case let .unreadable(folder, reason): return "\(folder): \(reason)"
            case let .notAShard(folder): return "\(folder): not a shard's result (result.json has no `shard`: run with --shard I/N)"
            case let .differentPlans(s): return "the shards ran different plans (plan hashes differ): \(s)"
            case let .differentShardCounts(s): return "the shards were split differently: \(s)"
            case let .duplicate(index, folders): return "shard \(index) given twice: \(folders.joined(separator: ", "))"
            case let .missing(indices, count):
                return "shard(s) \(indices.map(String.init).joined(separator: ", ")) of \(count) missing (merge what is there with --partial)"
            case .nothing: return "no shard folders given"
            }
        }
    }

    public let parts: [Part]
    /// Shards of the plan not given (only with `partial`).
    public let missing: [Int]
    public let shardCount: Int

    /// Reads and checks the shards in `folders`.
    public init(folders: [URL], partial: Bool) throws(MergeError) {
        guard !folders.isEmpty else { throw .nothing }
        var parts: [Part] = []
        for folder in folders { parts.append(try Self.read(folder)) }
        let hashes = Set(parts.map { $0.result.planHash ?? "none" })
        if hashes.count > 1 {
            throw .differentPlans(parts.map { "\($0.folder.lastPathComponent) \(($0.result.planHash ?? "none").prefix(12))" }.joined(separator: ", "))
        }
        let counts = Set(parts.map(\.shard.count))
        if counts.count > 1 {
            throw .differentShardCounts(parts.map { "\($0.folder.lastPathComponent) \($0.shard.index)/\($0.shard.count)" }.joined(separator: ", "))
        }
        let count = parts[0].shard.count
        for (index, group) in Dictionary(grouping: parts, by: \.shard.index) where group.count > 1 {
            throw .duplicate(index: index, folders: group.map(\.folder.path))
        }
        let present = Set(parts.map(\.shard.index))
        let missing = (0..<count).filter { !present.contains($0) }
        if !missing.isEmpty && !partial { throw .missing(missing, count: count) }
        self.parts = parts.sorted { $0.shard.index < $1.shard.index }
        self.missing = missing
        shardCount = count
    }

    static func read(_ folder: URL) throws(MergeError) -> Part {
        let path = folder.path
        let resultURL = folder.appendingPathComponent(ResultsFolder.resultFile)
        let data: Data
        do { data = try Data(contentsOf: resultURL) } catch { throw .unreadable(folder: path, reason: "cannot read \(ResultsFolder.resultFile): \(error.localizedDescription)") }
        let result: RunResult
        do { result = try RunResult.decode(from: data, what: resultURL.path) } catch { throw .unreadable(folder: path, reason: error.description) }
        guard let shard = result.shard else { throw .notAShard(folder: path) }
        do throws(ReportError) {
            let operations: [OperationMetrics]
            do { operations = try result.metrics.operationMetrics() } catch { throw .metrics(path: resultURL.path, error) }
            return Part(folder: folder, result: result, shard: shard, operations: operations,
                        timeline: try timeline(folder, operations: operations.map(\.name)))
        } catch {
            throw .unreadable(folder: path, reason: error.description)
        }
    }

    /// A shard's timeline from its timeline.csv (counts per second) and `<operation>.hlog` files
    /// (the per-second latency histograms).
    static func timeline(_ folder: URL, operations: [String]) throws(ReportError) -> Timeline {
        let csvURL = folder.appendingPathComponent(ResultsFolder.timelineFile)
        let text: String
        do { text = try String(contentsOf: csvURL, encoding: .utf8) } catch {
            throw .system(operation: "read", path: csvURL.path, reason: error.localizedDescription)
        }
        let rows = try ReportRun.timelineRows(csv: text, path: csvURL.path)
        var names = operations
        for row in rows where !names.contains(row.operation) { names.append(row.operation) }
        var seconds: [[TimelineSecond]] = []
        for name in names {
            let hlogURL = folder.appendingPathComponent(ResultsFolder.hlogFile(name))
            var histograms: [Int: EncodedHistogram] = [:]
            if let hlogText = try? String(contentsOf: hlogURL, encoding: .utf8) { // no .hlog: an operation without responses
                let log: IntervalLog
                do { log = try IntervalLog(parsing: hlogText) } catch {
                    throw .notJSON(what: hlogURL.path, reason: error.description)
                }
                for interval in log.intervals { histograms[Int(interval.startSeconds.rounded())] = interval.histogram }
            }
            let empty = EncodedHistogram(LatencyScale.makeHistogram())
            var series: [TimelineSecond] = []
            for row in rows where row.operation == name && (row.completions > 0 || row.errors > 0 || histograms[row.second] != nil) {
                series.append(TimelineSecond(second: row.second, completions: row.completions, errors: row.errors,
                                             latency: histograms[row.second] ?? empty))
            }
            seconds.append(series)
        }
        return Timeline(runStartNs: 0, operations: names, seconds: seconds)
    }

    /// Each shard's whole-second shift onto the earliest shard's clock start.
    public var offsets: [Int] {
        let base = parts.map(\.shard.clockStartedAt).min() ?? 0
        return parts.map { Int(($0.shard.clockStartedAt - base).rounded()) }
    }

    /// The merged figures: operations (in first-seen order), timeline, and the measured span in ns
    /// (from the earliest measured start to the latest measured end).
    public func merged() -> (operations: [OperationMetrics], timeline: Timeline, durationNs: UInt64) {
        var operations: [OperationMetrics] = []
        var timeline = Timeline(runStartNs: 0)
        let base = parts.map(\.shard.clockStartedAt).min() ?? 0
        var durationNs: UInt64 = 0
        for (part, offset) in zip(parts, offsets) {
            for operation in part.operations {
                if let index = operations.firstIndex(where: { $0.name == operation.name }) {
                    operations[index].merge(operation)
                } else {
                    operations.append(operation)
                }
            }
            var shifted = part.timeline.seconds
            for i in shifted.indices { for j in shifted[i].indices { shifted[i][j].second += offset } }
            timeline.merge(Timeline(runStartNs: 0, operations: part.timeline.operations, seconds: shifted))
            let end = UInt64(max(0, (part.shard.clockStartedAt - base) * 1e9)) + part.result.durationNs
            durationNs = max(durationNs, end)
        }
        return (operations, timeline, durationNs)
    }

    /// Every shard's per-target summaries added up by URL (first-seen order); nil when no shard had any.
    private func mergedTargets(durationNs: UInt64) throws(MergeError) -> [TargetResult]? {
        var targets: [(url: String, address: String, operations: [OperationMetrics])] = []
        for part in parts {
            for target in part.result.targets ?? [] {
                let operations: [OperationMetrics]
                do { operations = try target.metrics.operationMetrics() } catch {
                    throw .unreadable(folder: part.folder.path, reason: "targets[\(target.url)].metrics: \(error)")
                }
                guard let i = targets.firstIndex(where: { $0.url == target.url }) else {
                    targets.append((target.url, target.address, operations))
                    continue
                }
                for operation in operations {
                    if let j = targets[i].operations.firstIndex(where: { $0.name == operation.name }) {
                        targets[i].operations[j].merge(operation)
                    } else {
                        targets[i].operations.append(operation)
                    }
                }
            }
        }
        if targets.isEmpty { return nil }
        return targets.map { target in
            var summary = MetricsSummary(WorkerMetrics(runStartNs: 0), durationNs: durationNs)
            summary.operations = target.operations.map { OperationSummary($0, durationNs: durationNs) }
            return TargetResult(url: target.url, address: target.address, summary: summary)
        }
    }

    /// The merged result.json: the first shard's plan and environment; summed tool usage with each
    /// shard's own listed; the verdict judged again on the merged figures.
    public func result(operations: [OperationMetrics], durationNs: UInt64) throws(MergeError) -> RunResult {
        var result = parts[0].result
        let base = parts.min { $0.shard.clockStartedAt < $1.shard.clockStartedAt }!
        result.startTime = base.result.startTime
        result.durationNs = durationNs
        result.interrupted = parts.contains { $0.result.interrupted }
        result.metrics.durationNs = durationNs
        result.metrics.operations = operations.map { OperationSummary($0, durationNs: durationNs) }
        result.shard = nil
        var tls = TLSFacts()
        var findings: [String: InteropFinding] = [:]
        var warnings: [String] = []
        var tool: ToolUsage?
        var records: [MergeRecord.Part] = []
        for (part, offset) in zip(parts, offsets) {
            tls.merge(part.result.tls)
            for (kind, finding) in part.result.findings {
                if findings[kind] == nil { findings[kind] = finding } else { findings[kind]!.merge(finding) }
            }
            warnings += part.result.warnings.map { "shard \(part.shard.index): \($0)" }
            if part.shard.lateSeconds > 0 {
                warnings.append("shard \(part.shard.index) started \(String(format: "%.3f", part.shard.lateSeconds)) s late for the common start \(part.shard.startAt ?? "?")")
            }
            let count = part.operations.reduce(UInt64(0)) { $0 + $1.count }
            if let t = part.result.tool {
                let sum = tool.map { ($0.threads + t.threads, $0.cpuNs + t.cpuNs, max($0.peakRSSBytes, t.peakRSSBytes), max($0.endRSSBytes, t.endRSSBytes)) }
                    ?? (t.threads, t.cpuNs, t.peakRSSBytes, t.endRSSBytes)
                tool = ToolUsage(threads: sum.0, cpuNs: sum.1, operations: 0, peakRSSBytes: sum.2, endRSSBytes: sum.3)
            }
            records.append(MergeRecord.Part(index: part.shard.index, folder: part.folder.path, startTime: part.result.startTime,
                                            lateSeconds: part.shard.lateSeconds, offsetSeconds: offset, durationNs: part.result.durationNs,
                                            operations: count, tool: part.result.tool))
        }
        if !missing.isEmpty {
            warnings.insert("partial merge: shard(s) \(missing.map(String.init).joined(separator: ", ")) of \(shardCount) missing — the figures are not the whole plan's", at: 0)
        }
        let total = operations.reduce(UInt64(0)) { $0 + $1.count }
        if let t = tool { tool = ToolUsage(threads: t.threads, cpuNs: t.cpuNs, operations: total, peakRSSBytes: t.peakRSSBytes, endRSSBytes: t.endRSSBytes) }
        result.targets = try mergedTargets(durationNs: durationNs)
        result.tls = tls
        result.findings = findings
        result.warnings = warnings
        result.tool = tool
        result.abortRule = parts.lazy.compactMap(\.result.abortRule).first
        result.abortReason = parts.lazy.compactMap(\.result.abortReason).first
        result.merge = MergeRecord(shardCount: shardCount, shards: records, missing: missing)
        let thresholds: [Threshold]
        do { thresholds = try Self.thresholds(result.plan) } catch {
            throw .unreadable(folder: parts[0].folder.path, reason: "plan.profile.thresholds: \(error)")
        }
        let verdict = ThresholdVerdict.evaluate(thresholds, operations: operations, durationNs: durationNs)
        result.verdict = RunVerdict(thresholds: verdict, counts: RunExit.Counts(operations), abort: result.abortRule, interrupted: result.interrupted)
        return result
    }

    /// The thresholds the plan in result.json names.
    static func thresholds(_ plan: JSONValue) throws -> [Threshold] {
        guard case .object(let plan) = plan, case .object(let profile)? = plan["profile"], let list = profile["thresholds"] else { return [] }
        return try JSONDecoder().decode([Threshold].self, from: JSONEncoder().encode(list))
    }

    /// Writes the merged folder `out` (made if missing): result.json, timeline.csv, .hgrm, .hlog, report.html.
    public func write(to out: URL) throws(ReportError) -> RunResult {
        do { try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true) } catch {
            throw .system(operation: "mkdir", path: out.path, reason: error.localizedDescription)
        }
        let (operations, timeline, durationNs) = merged()
        let result: RunResult
        do { result = try self.result(operations: operations, durationNs: durationNs) } catch {
            throw .notJSON(what: out.path, reason: error.description)
        }
        try ResultsFolder(existing: out).write(result, operations: operations, timeline: timeline,
                                               startTime: parts.map(\.shard.clockStartedAt).min() ?? 0)
        return result
    }
}
