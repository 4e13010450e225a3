import Foundation
import Metrics
import Report
import XCTest

/// report.html in a real browser (headless Chromium): the DOM it builds holds every plot with as many
/// data points as result.json and timeline.csv have, no script element (hostile examples stayed text),
/// and a 1280 px wide screenshot is not blank. Fails, never skips, when Chromium is missing.
final class BrowserReportTests: XCTestCase {
    func testReportRendersEveryPlotWithItsDataPoints() throws {
        let folder = try ReportPageFixture.folder(self)
        let page = folder.appendingPathComponent("report.html")
        let dom = try Chromium.run(["--dump-dom"], page: page, in: folder)
        XCTAssertTrue(dom.contains("<section id=\"phases\">"), "the DOM dump holds the page")
        XCTAssertFalse(dom.contains("<script"), "a string from result.json became a script element")
        XCTAssertFalse(dom.contains("<img"))
        XCTAssertTrue(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "the hostile example shows as text")

        let plots = Self.plots(in: dom)
        let expected = try Self.expectedPoints(folder)
        XCTAssertEqual(Set(plots.keys), Set(expected.keys), "plots in the DOM")
        for (id, count) in expected { XCTAssertEqual(plots[id], count, "data points of \(id)") }

        let shot = folder.appendingPathComponent("report.png")
        _ = try Chromium.run(["--screenshot=\(shot.path)", "--window-size=1280,3200"], page: page, in: folder)
        let image = try PNGImage(data: try Data(contentsOf: shot))
        XCTAssertEqual(image.width, 1280)
        XCTAssertGreaterThan(image.distinctColours, 40, "the screenshot looks blank")
        XCTAssertGreaterThan(image.inkedFraction, 0.02, "the screenshot looks blank")
    }

    func testOverlayOfTwoRunsDoublesThePoints() throws {
        let first = try ReportPageFixture.folder(self, name: "base")
        let second = try ReportPageFixture.folder(self, extras: false, name: "head")
        let page = first.appendingPathComponent("overlay.html")
        try Data(HTMLReport(runs: [try ReportRun.load(folder: first), try ReportRun.load(folder: second)]).html().utf8).write(to: page)
        let plots = Self.plots(in: try Chromium.run(["--dump-dom"], page: page, in: first))
        let one = try Self.expectedPoints(second)
        for (id, count) in one where !id.hasPrefix("search") { XCTAssertEqual(plots[id], 2 * count, "data points of \(id)") }
    }

    /// Plot id → elements with a data-point (lines) or data-segment (bars) attribute, from the browser's DOM.
    static func plots(in dom: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for chunk in dom.components(separatedBy: "<svg ").dropFirst() {
            let svg = chunk.components(separatedBy: "</svg>")[0]
            guard let id = attribute("data-plot", in: svg) else { continue }
            result[id] = occurrences("data-point=\"1\"", in: svg) + occurrences("data-segment=", in: svg)
        }
        return result
    }

    /// What result.json and timeline.csv say each plot must show, computed from the files (not the report code).
    static func expectedPoints(_ folder: URL) throws -> [String: Int] {
        let json = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: folder.appendingPathComponent("result.json")))
        let csv = try String(contentsOf: folder.appendingPathComponent("timeline.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var expected: [String: Int] = [:]
        for op in json["metrics"]?["operations"]?.array ?? [] {
            let name = op["name"]?.string ?? "?"
            let mine = rows.filter { $0[1] == name }
            let anyErrors = mine.contains { $0[3] != "0" }
            expected["throughput-\(name)"] = mine.count * (anyErrors ? 2 : 1)
            expected["latency-\(name)"] = 2 * mine.filter { $0[5] != "0" }.count
            let histograms = op["histograms"]
            expected["percentiles-\(name)"] = ["total", "total_uncorrected"].reduce(0) { $0 + (histograms?[$1]?["values"]?.array?.count ?? 0) }
            let phases = ["connect", "tls", "signing", "request_written", "first_byte", "complete"].filter { op["latency"]?[$0] != nil }
            expected["phases-\(name)"] = 2 * phases.count
        }
        if let steps = json["search"]?["steps"]?.array {
            expected["search-rate"] = steps.count + 2 // plus the achieved = offered line
            // Per step: every operation merged (`all`) and each operation of the step.
            expected["search-p99"] = steps.reduce(0) { $0 + 1 + ($1["operations"]?.array?.count ?? 0) }
        }
        return expected
    }

    static func attribute(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: name + "=\"") else { return nil }
        return String(text[start.upperBound...].prefix { $0 != "\"" })
    }

    static func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
