import Foundation
import Metrics

/// One side of a comparison (BASE or HEAD): its runs as read from their results folders, each with
/// its per-operation figures (and `all`, every operation merged) and, when the folder has interval
/// logs, its second-by-second series for the one-run-per-side method.
public struct ComparisonSide: Sendable {
    /// One run's figures per operation, `all` included.
    public struct Run: Sendable {
        public var report: ReportRun
        public var operations: [String: OperationFigures]
        /// Operation → its measured seconds; empty when the folder has no .hlog files.
        public var seconds: [String: SecondSeries]
    }

    /// What the table reads of one operation in one run.
    public struct OperationFigures: Sendable {
        public var count: UInt64
        public var errors: UInt64
        public var rate: Double
        /// Phase key → latency summary (µs).
        public var latency: [String: LatencySummary]
    }

    /// How the side is named: the path given.
    public var label: String
    public var runs: [Run]

    public init(label: String, runs: [Run]) {
        self.label = label
        self.runs = runs
    }

    /// Reads the runs in `folders` (each holding result.json).
    public static func load(label: String, folders: [URL]) throws(ReportError) -> ComparisonSide {
        var runs: [Run] = []
        for folder in folders {
            let report = try ReportRun.load(folder: folder)
            runs.append(Run(report: report, operations: try figures(report.result, path: folder.path),
                            seconds: try seconds(report, folder: folder)))
        }
        return ComparisonSide(label: label, runs: runs)
    }

    /// Operation names in the order the first run lists them.
    public var operationNames: [String] {
        var names: [String] = []
        for run in runs { for op in run.report.result.metrics.operations where !names.contains(op.name) { names.append(op.name) } }
        return names
    }

    /// Per operation, plus `all` (every operation's histograms merged, counts added).
    static func figures(_ result: RunResult, path: String) throws(ReportError) -> [String: OperationFigures] {
        var figures: [String: OperationFigures] = [:]
        var merged: [String: EncodedHistogram] = [:]
        var all = OperationFigures(count: 0, errors: 0, rate: 0, latency: [:])
        for op in result.metrics.operations {
            figures[op.name] = OperationFigures(count: op.count, errors: op.errors, rate: op.ratePerSecond, latency: op.latency)
            all.count += op.count
            all.errors += op.errors
            all.rate += op.ratePerSecond
            for (key, histogram) in op.histograms {
                if merged[key] == nil { merged[key] = histogram } else { merged[key]!.merge(histogram) }
            }
        }
        for (key, histogram) in merged {
            do {
                all.latency[key] = LatencySummary(try histogram.histogram())
            } catch {
                throw .metrics(path: path, error)
            }
        }
        figures[Threshold.allOperations] = all
        return figures
    }

    /// A second in which nothing answered.
    static let empty = EncodedHistogram(lowestDiscernibleValue: LatencyScale.lowestUs, highestTrackableValue: LatencyScale.highestUs,
                                        significantDigits: Int(LatencyScale.digits.rawValue), minNonZero: 0, maxRecorded: 0, values: [], counts: [])

    /// The run's complete measured seconds per operation (and `all`), from timeline.csv and the .hlog files.
    static func seconds(_ report: ReportRun, folder: URL) throws(ReportError) -> [String: SecondSeries] {
        let count = max(1, Int((Double(report.result.durationNs) / 1e9).rounded())) // a last second short by a few ms still counts
        let first = report.timeline.map(\.second).min() ?? 0
        var series: [String: SecondSeries] = [:]
        var allLatency = [EncodedHistogram?](repeating: nil, count: count)
        var allOps = [UInt64](repeating: 0, count: count), allErrors = [UInt64](repeating: 0, count: count)
        var complete = true
        for op in report.result.metrics.operations {
            let url = folder.appendingPathComponent(ResultsFolder.hlogFile(op.name))
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { // no interval log: this run has no per-second data
                complete = false
                continue
            }
            let log: IntervalLog
            do { log = try IntervalLog(parsing: text) } catch { throw .notJSON(what: url.path, reason: error.description) }
            var latency = [EncodedHistogram?](repeating: nil, count: count)
            for interval in log.intervals {
                let index = Int(interval.startSeconds.rounded(.down)) - first
                guard latency.indices.contains(index) else { continue }
                if latency[index] == nil { latency[index] = interval.histogram } else { latency[index]!.merge(interval.histogram) }
            }
            var ops = [UInt64](repeating: 0, count: count), errors = [UInt64](repeating: 0, count: count)
            for row in report.timeline where row.operation == op.name {
                let index = row.second - first
                guard ops.indices.contains(index) else { continue }
                ops[index] += row.completions + row.errors
                errors[index] += row.errors
            }
            series[op.name] = SecondSeries(latencies: latency.map { $0 ?? empty }, operations: ops, errors: errors)
            for index in 0 ..< count {
                allOps[index] += ops[index]
                allErrors[index] += errors[index]
                if let h = latency[index] { if allLatency[index] == nil { allLatency[index] = h } else { allLatency[index]!.merge(h) } }
            }
        }
        if complete, !series.isEmpty {
            series[Threshold.allOperations] = SecondSeries(latencies: allLatency.map { $0 ?? empty }, operations: allOps, errors: allErrors)
        }
        return series
    }
}
