import Foundation
import Metrics
import Report
import XCTest

/// Results folders for the HTML report: the `ReportFixture` run with hostile strings in its failure
/// examples and findings (markup a server could send), plus hand-written `verdict`, `abortReason` and
/// `search` sections as the verdict and capacity-search work adds them to result.json.
enum ReportPageFixture {
    static let hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"

    static let extras = """
        {
          "abortReason": "error rate 0.5 > 0.2 over 5 s <b>bold</b>",
          "verdict": {"passed": false, "why": "2 of 3 threshold(s) failed", "thresholds": [
            {"operation": "simpleenroll", "metric": "p99Ms", "limit": 500, "uncorrected": false, "measured": 1.85, "passed": true},
            {"operation": "cacerts", "metric": "errorRate", "limit": 0.01, "uncorrected": false, "measured": 0.1, "passed": false},
            {"operation": "all", "metric": "minRate", "limit": 100, "uncorrected": false, "measured": null, "passed": false}
          ]},
          "search": {"maxSustainableRate": 150, "steps": [
            {"offeredRate": 50, "achievedRate": 50, "errorRate": 0, "passed": true,
             "operations": {"simpleenroll": {"p50Ms": 20, "p99Ms": 80}, "cacerts": {"p50Ms": 2, "p99Ms": 9}}},
            {"offeredRate": 100, "achievedRate": 99.5, "errorRate": 0.001, "passed": true,
             "operations": {"simpleenroll": {"p50Ms": 25, "p99Ms": 120}, "cacerts": {"p50Ms": 2, "p99Ms": 10}}},
            {"offeredRate": 150, "achievedRate": 147, "errorRate": 0.004, "passed": true,
             "operations": {"simpleenroll": {"p50Ms": 40, "p99Ms": 300}, "cacerts": {"p50Ms": 3, "p99Ms": 14}}},
            {"offeredRate": 200, "achievedRate": 160, "errorRate": 0.05, "passed": false, "broke": "simpleenroll p99Ms 900 > 500 <i>",
             "operations": {"simpleenroll": {"p50Ms": 300, "p99Ms": 900}, "cacerts": {"p50Ms": 5, "p99Ms": 40}}}
          ]}
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
