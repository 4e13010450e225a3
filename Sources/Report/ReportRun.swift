import Foundation
import Metrics

/// One run as the HTML report reads it from its results folder: result.json (the known model, plus its
/// verdict, abortReason and search sections kept as JSON, read loosely, so that what other builds wrote
/// there renders when present) and timeline.csv (per-second counts and interval percentiles; empty when
/// the file is missing).
public struct ReportRun: Sendable {
    /// How the run is named in legends: its folder's name.
    public var label: String
    public var result: RunResult
    /// result.json's `verdict`, `abortReason` and `search`, as written (an object of those present).
    public var sections: JSONValue
    public var timeline: [TimelineRow]

    public init(label: String, result: RunResult, sections: JSONValue, timeline: [TimelineRow]) {
        self.label = label
        self.result = result
        self.sections = sections
        self.timeline = timeline
    }

    /// Reads `folder`/result.json and, if present, `folder`/timeline.csv.
    public static func load(folder: URL) throws(ReportError) -> ReportRun {
        let resultURL = folder.appendingPathComponent(ResultsFolder.resultFile)
        let data: Data
        do {
            data = try Data(contentsOf: resultURL)
        } catch {
            throw .system(operation: "read", path: resultURL.path, reason: error.localizedDescription)
        }
        let result = try RunResult.decode(from: data, what: resultURL.path)
        let sections: JSONValue
        do {
            sections = try JSONDecoder().decode(Sections.self, from: data).json
        } catch {
            throw .notJSON(what: resultURL.path, reason: String(describing: error))
        }
        let timelineURL = folder.appendingPathComponent(ResultsFolder.timelineFile)
        var rows: [TimelineRow] = []
        if let text = try? String(contentsOf: timelineURL, encoding: .utf8) { // a folder without timeline.csv plots no timeline
            rows = try timelineRows(csv: text, path: timelineURL.path)
        }
        return ReportRun(label: folder.standardizedFileURL.lastPathComponent, result: result, sections: sections, timeline: rows)
    }

    /// The sections read loosely: only these three, so the histograms (most of the file) are never built
    /// into a `JSONValue` tree — that was most of the cost of rendering a run's report.
    private struct Sections: Decodable {
        let verdict: JSONValue?
        let abortReason: JSONValue?
        let search: JSONValue?

        var json: JSONValue {
            var object: [String: JSONValue] = [:]
            if let verdict { object["verdict"] = verdict }
            if let abortReason { object["abortReason"] = abortReason }
            if let search { object["search"] = search }
            return .object(object)
        }
    }

    /// Parses timeline.csv text (`TimelineRow.csvHeader` then rows).
    public static func timelineRows(csv: String, path: String) throws(ReportError) -> [TimelineRow] {
        var lines = csv.split(separator: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let header = lines.first, header == TimelineRow.csvHeader else {
            throw .notJSON(what: path, reason: "not a timeline.csv (header \(lines.first ?? "missing"))")
        }
        lines.removeFirst()
        var rows: [TimelineRow] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 6, let second = Int(f[0]), let completions = UInt64(f[2]), let errors = UInt64(f[3]),
                  let p50 = UInt64(f[4]), let p99 = UInt64(f[5]) else {
                throw .notJSON(what: path, reason: "line \(index + 2) is not a timeline row: \(line.prefix(80))")
            }
            rows.append(TimelineRow(second: second, operation: String(f[1]), completions: completions, errors: errors, p50Us: p50, p99Us: p99))
        }
        return rows
    }

    /// The profile name.
    public var profileName: String { result.profileName }

    /// The target as a person names it: the URL, or "built-in server".
    public var target: String {
        let target = result.plan["profile"]?["target"]
        if let url = target?["url"]?.string { return url }
        return target?["builtInServer"]?.bool == true || target?["url"] == nil ? "built-in server" : "?"
    }

    /// Why the run was aborted (`abortReason`), when it was.
    public var abortReason: String? {
        sections.first("abortReason")?.text
    }

    /// The verdict (`verdict`: passed, thresholds with measured values), when the run had thresholds.
    public var verdict: ReportVerdict? {
        sections["verdict"].flatMap(ReportVerdict.init(json:))
    }

    /// The capacity search (`search`: maxSustainableRate and its steps), when one ran.
    public var search: ReportSearch? {
        sections["search"].flatMap(ReportSearch.init(json:))
    }
}

/// A run's verdict as the report shows it, read loosely from result.json's `verdict`
/// (`ThresholdVerdict`'s encoding: passed, thresholds [{operation, metric, limit, uncorrected, measured, passed}]).
public struct ReportVerdict: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var threshold: String
        public var measured: String
        public var passed: Bool?

        public init(threshold: String, measured: String, passed: Bool?) {
            self.threshold = threshold
            self.measured = measured
            self.passed = passed
        }
    }

    public var passed: Bool?
    public var rows: [Row]

    public init?(json: JSONValue) {
        guard json.object != nil else { return nil }
        passed = json["passed"]?.bool
        rows = (json.first("thresholds", "results")?.array ?? []).map { item in
            let metric = item["metric"]?.text ?? "?"
            let floor = metric == "minRate"
            let uncorrected = item["uncorrected"]?.bool == true ? " (uncorrected)" : ""
            let limit = item["limit"]?.number.map(ThresholdVerdict.format) ?? item["limit"]?.text ?? "?"
            let text = item["description"]?.string ?? "\(item["operation"]?.text ?? "all") \(metric)\(uncorrected) \(floor ? "≥" : "≤") \(limit)"
            let measured = item["measured"]?.number.map(ThresholdVerdict.format) ?? "not measured"
            return Row(threshold: text, measured: measured, passed: item["passed"]?.bool)
        }
    }
}

/// A capacity search as the report plots it, read from result.json's `search` (`SearchResult`):
/// `maxSustainableRate` and `steps`, each with its offered and achieved rate, error rate, whether it
/// held, what broke, p50/p99 of every operation merged (`all`) and per operation (from each step's
/// `operations[]` summaries: `latency.total`, µs).
public struct ReportSearch: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var offered: Double
        public var achieved: Double?
        public var errorRate: Double?
        public var passed: Bool?
        public var broke: String?
        /// Operation name → (p50 ms, p99 ms); "all" when the step gives one figure for every operation.
        public var p50Ms: [String: Double]
        public var p99Ms: [String: Double]
    }

    public var maxSustainableRate: Double?
    public var steps: [Step]

    public init?(json: JSONValue) {
        guard json.object != nil else { return nil }
        maxSustainableRate = json["maxSustainableRate"]?.number
        steps = (json["steps"]?.array ?? []).compactMap { item -> Step? in
            guard let offered = item["offeredRate"]?.number else { return nil }
            var p50: [String: Double] = [:]
            var p99: [String: Double] = [:]
            p50[Threshold.allOperations] = item["p50Ms"]?.number
            p99[Threshold.allOperations] = item["p99Ms"]?.number
            for summary in item["operations"]?.array ?? [] {
                guard let name = summary["name"]?.text, let total = summary["latency"]?["total"] else { continue }
                p50[name] = total["p50Us"]?.number.map { $0 / 1000 }
                p99[name] = total["p99Us"]?.number.map { $0 / 1000 }
            }
            let result = item["result"]?.text
            return Step(offered: offered, achieved: item["achievedRate"]?.number,
                        errorRate: item["errorRate"]?.number, passed: result.map { $0 == "held" },
                        broke: item["broke"]?.array.map { $0.compactMap(\.text).joined(separator: "; ") }.flatMap { $0.isEmpty ? nil : $0 },
                        p50Ms: p50, p99Ms: p99)
        }.sorted { $0.offered < $1.offered }
    }
}
