import Foundation
import Metrics
import Report
import XCTest

/// report.html's content, read as text: every section, the hand-written verdict and search, and no
/// unescaped string from result.json.
final class HTMLReportTests: XCTestCase {
    func testEverySectionRendersAndHostileStringsAreEscaped() throws {
        let folder = try ReportPageFixture.folder(self)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("<script"), "markup from result.json reached the page unescaped")
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("<b>bold</b>") || html.contains("500 <i>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"), "nothing may load from the network")
        for id in ["runs", "operations", "errors", "tls", "search", "time", "percentiles", "phases"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id)
        }
        for plot in ["throughput-simpleenroll", "latency-cacerts", "percentiles-simpleenroll", "phases-cacerts", "search-rate", "search-p99"] {
            XCTAssertTrue(html.contains("data-plot=\"\(plot)\""), plot)
        }
        XCTAssertTrue(html.contains("FAIL"))
        XCTAssertTrue(html.contains("cacerts errorRate ≤ 0.01"))
        XCTAssertTrue(html.contains("not measured"))
        XCTAssertTrue(html.contains("error rate 0.5 &gt; 0.2"))
        XCTAssertTrue(html.contains("max sustainable 150/s"))
        XCTAssertTrue(html.contains("OpenSSL 3.0.13"))
        XCTAssertTrue(html.contains("peak RSS 40 MiB"))
        XCTAssertTrue(html.contains("worker 1 saturated"))
        XCTAssertTrue(html.contains("<tr data-operation=\"cacerts\">"))
    }

    /// A phase measured on under a tenth of the answered operations (connect and TLS on kept-alive
    /// connections) is named under the phases chart with its count, not stacked; one measured on every
    /// operation (simpleenroll's, on new connections) is stacked.
    func testRarePhasesAreNamedNotStacked() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "keepalive")
        var result = try ReportFixture.result()
        let cacerts = try XCTUnwrap(result.metrics.operations.firstIndex { $0.name == "cacerts" })
        let answered = try XCTUnwrap(result.metrics.operations[cacerts].latency["total"]?.count)
        var once = LatencyScale.makeHistogram()
        once.record(2_500)
        result.metrics.operations[cacerts].latency["connect"] = LatencySummary(once)
        try folder.write(result, metrics: ReportFixture.metrics())
        let html = try String(contentsOf: folder.url.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Not stacked: connect measured on 1 of \(answered) (p50 2.5"), html)
        XCTAssertFalse(html.contains("Not stacked: connect measured on 30"), "simpleenroll's connect phase is stacked")
    }

    func testWithoutVerdictOrSearchThoseSectionsAreAbsent() throws {
        let folder = try ReportPageFixture.folder(self, extras: false)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("<section id=\"search\">"))
        XCTAssertFalse(html.contains(">verdict<"))
        XCTAssertFalse(html.contains(">aborted<"))
    }

    func testSeveralRunsOverlayWithOneColourEach() throws {
        let runs = try [ReportPageFixture.folder(self, name: "base"), ReportPageFixture.folder(self, extras: false, name: "head")]
            .map { try ReportRun.load(folder: $0) }
        let html = HTMLReport(runs: runs).html()
        XCTAssertTrue(html.contains("run 1 · corrected") && html.contains("run 2 · corrected"))
        XCTAssertTrue(html.contains("run 2: " + runs[1].label))
        XCTAssertTrue(html.contains("stroke=\"\(HTMLReport.palette[0])\"") && html.contains("stroke=\"\(HTMLReport.palette[1])\""))
    }

    func testSectionsReadAsResultJSONWritesThem() throws {
        let search = try XCTUnwrap(ReportSearch(json: try JSONValue(parsing: """
            {"maxSustainableRate": 80, "steps": [{"offeredRate": 100, "achievedRate": 70, "p99Ms": 900, "result": "broke", "broke": ["thresholds", "unsteady"]},
                {"offeredRate": 50, "achievedRate": 50, "result": "held", "broke": [], "p99Ms": 4,
                 "operations": [{"name": "cacerts", "latency": {"total": {"p50Us": 1000, "p99Us": 3000}}}]}]}
            """)))
        XCTAssertEqual(search.maxSustainableRate, 80)
        XCTAssertEqual(search.steps.map(\.offered), [50, 100])
        XCTAssertEqual(search.steps[0].p99Ms, ["all": 4, "cacerts": 3])
        XCTAssertEqual(search.steps[0].passed, true)
        XCTAssertNil(search.steps[0].broke)
        XCTAssertEqual(search.steps[1].p99Ms, ["all": 900])
        XCTAssertEqual(search.steps[1].broke, "thresholds; unsteady")
        XCTAssertEqual(search.steps[1].passed, false)
        let verdict = try XCTUnwrap(ReportVerdict(json: try JSONValue(parsing: """
            {"passed": true, "thresholds": [{"operation": "x", "metric": "p99Ms", "limit": 2.5, "uncorrected": true, "measured": 1, "passed": true}]}
            """)))
        XCTAssertEqual(verdict.rows, [.init(threshold: "x p99Ms (uncorrected) ≤ 2.5", measured: "1", passed: true)])
    }
}
