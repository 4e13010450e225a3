import Foundation
import Metrics
import Report
import XCTest

/// Results folders for the HTML report: the `ReportFixture` run with hostile strings in its failure
/// examples and findings (markup a server could send), plus hand-written `verdict`, `abortReason` and
/// `search` sections as the verdict and capacity-search work adds them to result.json.
enum ReportPageFixture {
    static let hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"

    /// The capacity search's steps: 50, 100 and 150/s held, 200/s broke on thresholds and achieved rate.
    static let steps = [
        step(offered: 50, achieved: 50, arrivals: 400, broke: [], errorRate: 0, p50Ms: 15, p99Ms: 70,
             enroll: (20_000, 80_000), cacerts: (2_000, 9_000)),
        step(offered: 100, achieved: 99.5, arrivals: 796, broke: [], errorRate: 0.001, p50Ms: 20, p99Ms: 110,
             enroll: (25_000, 120_000), cacerts: (2_000, 10_000)),
        step(offered: 150, achieved: 147, arrivals: 1176, broke: [], errorRate: 0.004, p50Ms: 30, p99Ms: 280,
             enroll: (40_000, 300_000), cacerts: (3_000, 14_000)),
        step(offered: 200, achieved: 160, arrivals: 1280, broke: ["thresholds", "achieved_rate"], errorRate: 0.05, p50Ms: 250, p99Ms: 880,
             enroll: (300_000, 900_000), cacerts: (5_000, 40_000)),
    ].joined(separator: ",\n")

    /// One search step as result.json writes it: each operation 100 answered, its p50 also its mean, its
    /// p99 also p90, p99.9 and max; a step that broke on thresholds has failed thresholds.
    static func step(offered: Int, achieved: Double, arrivals: Int, broke: [String], errorRate: Double, p50Ms: Int, p99Ms: Int,
                     enroll: (p50Us: Int, p99Us: Int), cacerts: (p50Us: Int, p99Us: Int)) -> String {
        func operation(_ name: String, _ latency: (p50Us: Int, p99Us: Int)) -> String {
            """
            {"name": "\(name)", "count": 100, "errors": 0, "ratePerSecond": 10, "counters": {"2xx": 100},
             "latency": {"total": {"count": 100, "minUs": 100, "meanUs": \(latency.p50Us), "p50Us": \(latency.p50Us),
                                   "p90Us": \(latency.p99Us), "p99Us": \(latency.p99Us), "p999Us": \(latency.p99Us), "maxUs": \(latency.p99Us)}},
             "histograms": {}}
            """
        }
        return """
            {"offeredRate": \(offered), "achievedRate": \(achieved), "arrivals": \(arrivals),
             "result": "\(broke.isEmpty ? "held" : "broke")", "broke": [\(broke.map { "\"\($0)\"" }.joined(separator: ", "))],
             "thresholds": {"passed": \(!broke.contains("thresholds")), "thresholds": []},
             "busiestLoadThread": 0.3, "errorRate": \(errorRate), "p50Ms": \(p50Ms), "p99Ms": \(p99Ms), "durationNs": 8000000000,
             "warnings": [], "operations": [\(operation("simpleenroll", enroll)), \(operation("cacerts", cacerts))]}
            """
    }

    static let extras = """
        {
          "abortReason": "error rate 0.5 > 0.2 over 5 s <b>bold</b>",
          "verdict": {"passed": false, "why": "2 of 3 threshold(s) failed", "thresholds": [
            {"operation": "simpleenroll", "metric": "p99Ms", "limit": 500, "uncorrected": false, "measured": 1.85, "passed": true},
            {"operation": "cacerts", "metric": "errorRate", "limit": 0.01, "uncorrected": false, "measured": 0.1, "passed": false},
            {"operation": "all", "metric": "minRate", "limit": 100, "uncorrected": false, "measured": null, "passed": false}
          ]},
          "search": {
            "maxSustainableRate": 150,
            "conclusion": "found",
            "summary": "150/s held; 200/s broke <i>",
            "connections": "kept alive",
            "steps": [\(steps)]
          }
        }
        """

    /// A results folder written by `ResultsFolder.write`, then result.json given the extra sections
    /// (when `extras`) and report.html rewritten; `name` makes the folder name (and label) differ between runs.
    static func folder(_ test: XCTestCase, extras withExtras: Bool = true, name: String = "quickstart", slower: UInt64 = 0) throws -> URL {
        let base = try ReportFixture.temporaryDirectory(test)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: name)
        var result = try ReportFixture.result()
        var reasons = FailureReasons()
        reasons.add(.timeout, FailureReason(hostile, example: "no response within 100 ms " + hostile), count: 2)
        let cacerts = try XCTUnwrap(result.metrics.operations.firstIndex { $0.name == "cacerts" })
        result.metrics.operations[cacerts].reasons = reasons
        result.findings = ["trailing_nul": InteropFinding(count: 3, example: "body ended in NUL " + hostile)]
        result.warnings.append("a warning with " + hostile)
        result.tool = ToolUsage(threads: 1, cpuNs: 40_000_000, operations: 50, peakRSSBytes: 40 << 20, endRSSBytes: 30 << 20)
        if slower > 0 {
            for index in result.metrics.operations.indices {
                for key in result.metrics.operations[index].latency.keys { result.metrics.operations[index].latency[key]!.p99Us += slower }
            }
        }
        try folder.write(result, metrics: ReportFixture.metrics())
        guard withExtras else { return folder.url }
        var document = try JSONDecoder().decode(JSONValue.self, from: try result.jsonData())
        let added = try JSONValue(parsing: extras)
        guard case .object(var members) = document, case .object(let more) = added else { throw XCTSkip("fixture is not an object") }
        for (key, value) in more { members[key] = value }
        document = .object(members)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(document).write(to: folder.url.appendingPathComponent(ResultsFolder.resultFile))
        try folder.writeReport()
        return folder.url
    }
}
