import Foundation
import Metrics
import Report
import Workload
import XCTest

/// result.json's `search`: written and read back with every step's judgement and histograms, absent
/// from runs that were not searches, and the console's step table.
final class SearchResultTests: XCTestCase {
    func searchResult() -> SearchResult {
        let metrics = ReportFixture.metrics()
        let thresholds = [Threshold(operation: "all", metric: .p99Ms, limit: 1)]
        func step(_ rate: Double, arrivals: UInt64) -> SearchResult.Step {
            let judgement = StepJudgement(
                StepJudgement.Step(offeredRate: rate, stepSeconds: 3, warmupSeconds: 0, measuredNs: 3_000_000_000, arrivals: arrivals,
                                   operations: metrics.operations, timeline: metrics.timeline, loadThreadCPUNs: [100], wallNs: 3_000_000_000),
                thresholds: thresholds)
            return SearchResult.Step(result: judgement.held ? .held : .broke, judgement: judgement, metrics: metrics,
                                     durationNs: 3_000_000_000, warnings: [])
        }
        return SearchResult(conclusion: .found(held: 10, broke: 10.5), plan: SearchPlan(from: 10, to: 100), connections: "keep-alive",
                            steps: [step(10, arrivals: 30), step(20, arrivals: 30)])
    }

    func testTheSearchReadsBackFromResultJSON() throws {
        var result = try ReportFixture.result(interrupted: false)
        let read0 = try RunResult.decode(from: try result.jsonData())
        XCTAssertNil(read0.search, "not a search: no search field")
        result.search = searchResult()
        let data = try result.jsonData()
        let read = try RunResult.decode(from: data)
        XCTAssertEqual(read.search, result.search)
        let search = try XCTUnwrap(read.search)
        XCTAssertEqual(search.maxSustainableRate, 10)
        XCTAssertEqual(search.conclusion, "found")
        XCTAssertEqual(search.steps.map(\.offeredRate), [10, 20])
        XCTAssertEqual(search.steps.map(\.result), [.broke, .broke])
        XCTAssertEqual(search.steps[1].broke, [.thresholds, .achievedRate])
        XCTAssertEqual(search.steps[0].operations.map(\.name), ["simpleenroll", "cacerts"], "each step keeps its histograms")
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"maxSustainableRate\" : 10"), text)
        XCTAssertTrue(text.contains("\"achieved_rate\""), text)
    }

    func testTheStepTable() {
        let lines = SearchTable(searchResult()).lines
        XCTAssertEqual(lines.first, "capacity search — keep-alive")
        XCTAssertEqual(lines[1].split(separator: " ", omittingEmptySubsequences: true).prefix(7).joined(separator: " "),
                       "step offered/s achieved/s simpleenroll p50/p99 ms cacerts")
        XCTAssertTrue(lines[2].hasPrefix("1     10         10          1.85 / 1.85"), lines[2])
        XCTAssertTrue(lines[2].hasSuffix("broke: thresholds (all p99Ms 1.85 > 1)"), lines[2])
        XCTAssertTrue(lines[3].hasSuffix("broke: thresholds (all p99Ms 1.85 > 1); achieved rate (10 of 20/s)"), lines[3])
        XCTAssertEqual(lines.last, "maximum sustainable rate: 10 arrivals/s (10.5/s broke; within the 5% resolution)")
    }
}
