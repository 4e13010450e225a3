import Metrics
import Report
import XCTest

/// The final console table: one row per operation, attempted and successful rates, success %,
/// corrected percentiles in ms, where the slowest operations spent their time, errors; the verdict.
final class ConsoleSummaryTests: XCTestCase {
    func testTableListsEachOperationWithItsDominatingPhase() throws {
        let summary = try ConsoleSummary(ReportFixture.result(interrupted: true))
        let lines = summary.lines
        XCTAssertEqual(lines.first, "duration 3.000 s (interrupted); latency in ms from the intended start (corrected)")
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("operation") })
        let enroll = try XCTUnwrap(lines.first { $0.hasPrefix("simpleenroll") })
        let cacerts = try XCTUnwrap(lines.first { $0.hasPrefix("cacerts") })
        XCTAssertEqual(enroll.split(separator: " ").map(String.init),
                       ["simpleenroll", "30", "10.0", "9.7", "96.7", "1.850", "1.850", "1.850", "1.850", "1.850", "tls", "81%", "401=1"])
        XCTAssertEqual(cacerts.split(separator: " ").map(String.init),
                       ["cacerts", "20", "6.7", "6.0", "90.0", "1.260", "1.260", "1.260", "1.260", "1.260", "first_byte", "95%", "timeout=2"])
        // Fixed-width columns: each column ends at the same offset on every row.
        for column in ["count", "tried/s", "ok/s", "ok %", "p50", "p99.9", "max"] {
            let end = try XCTUnwrap(header.range(of: column)).upperBound.utf16Offset(in: header)
            for row in [enroll, cacerts] {
                let index = row.index(row.startIndex, offsetBy: end - 1)
                XCTAssertNotEqual(row[index], " ", "\(column) in \(row)")
                XCTAssertTrue(end == row.count || row[row.index(after: index)] == " ", "\(column) in \(row)")
            }
        }
        XCTAssertEqual(lines.last, "warning: worker 1 saturated for 2 s")
        XCTAssertTrue(summary.text.hasSuffix("2 s\n"))
    }

    /// After the table: why the run stopped early, each threshold with its measured value, the verdict.
    func testVerdictLines() throws {
        var result = try ReportFixture.result()
        let metrics = ReportFixture.metrics()
        let thresholds = ThresholdVerdict.evaluate([Threshold(operation: "simpleenroll", metric: .p99Ms, limit: 500),
                                                    Threshold(operation: "all", metric: .errorRate, limit: 0.01)],
                                                   operations: metrics.operations, durationNs: ReportFixture.durationNs)
        result.verdict = RunVerdict(thresholds: thresholds, counts: RunExit.Counts(metrics.operations), abort: nil, interrupted: false)
        result.abortReason = "error rate 95% over the last 5 s"
        XCTAssertEqual(Array(ConsoleSummary(result).lines.suffix(4)), [
            "aborted: error rate 95% over the last 5 s",
            "threshold simpleenroll p99Ms ≤ 500: measured 1.85 — pass",
            "threshold all errorRate ≤ 0.01: measured 0.06 — FAIL",
            "verdict: FAIL (1 of 2 threshold(s) failed)",
        ])
    }

    func testOperationWithoutResponsesShowsDashes() {
        var metrics = WorkerMetrics(runStartNs: 1, operations: ["csrattrs"])
        metrics.record(OperationID(index: 0), stamps: OperationPhaseStamps(startNs: 10, connectStartNs: 10, completeNs: 20), outcome: .connectError)
        metrics.close()
        let summary = ConsoleSummary(metrics: MetricsSummary(metrics, durationNs: 1_000_000_000))
        let row = summary.lines[2].split(separator: " ").map(String.init)
        XCTAssertEqual(row, ["csrattrs", "1", "1.0", "0.0", "0.0", "-", "-", "-", "-", "-", "-", "connect_error=1"])
        XCTAssertNil(MetricsSummary(metrics, durationNs: 1).operations[0].tail)
    }

    /// Under the table, each error class's most frequent reasons with a count and an example.
    func testReasonsArePrintedUnderTheTable() {
        var metrics = WorkerMetrics(runStartNs: 1, operations: ["cacerts"])
        let stamps = OperationPhaseStamps(startNs: 10, connectStartNs: 10, completeNs: 20)
        for _ in 0..<3 {
            metrics.record(OperationID(index: 0), stamps: stamps, outcome: .connectError,
                           reason: FailureReason("ECONNREFUSED", example: "127.0.0.1:1: connection refused"))
        }
        metrics.record(OperationID(index: 0), stamps: stamps, outcome: .connectError, reason: FailureReason("ECONNRESET", example: "reset"))
        metrics.close()
        let lines = ConsoleSummary(metrics: MetricsSummary(metrics, durationNs: 1_000_000_000)).lines
        XCTAssertEqual(Array(lines.suffix(2)), [
            "  cacerts connect_error: ECONNREFUSED ×3 — e.g. 127.0.0.1:1: connection refused",
            "                         ECONNRESET ×1 — e.g. reset",
        ])
    }
}
