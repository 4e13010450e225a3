import Metrics
import XCTest

final class HgrmTests: XCTestCase {
    func testHgrmParsesBackMonotonicAndEndsAtTotalCount() throws {
        var metrics = OperationMetrics(name: "simpleenroll")
        for us in UInt64(1) ... 10_000 {
            metrics.record(stamps: StampsFixture.reused(atUs: us, latencyUs: us * 3), outcome: .success2xx)
        }
        let text = metrics.hgrm()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = try XCTUnwrap(lines.first).split(separator: " ").map(String.init)
        XCTAssertEqual(header, ["Value", "Percentile", "TotalCount", "1/(1-Percentile)"])

        var rows: [(value: Double, percentile: Double, count: UInt64)] = []
        for line in lines.dropFirst() where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            XCTAssertTrue(fields.count == 4 || fields.count == 3, line)
            let value = try XCTUnwrap(Double(fields[0]), line)
            let percentile = try XCTUnwrap(Double(fields[1]), line)
            let count = try XCTUnwrap(UInt64(fields[2]), line)
            rows.append((value, percentile, count))
        }
        XCTAssertGreaterThan(rows.count, 20)
        for (previous, next) in zip(rows, rows.dropFirst()) {
            XCTAssertLessThanOrEqual(previous.value, next.value)
            XCTAssertLessThanOrEqual(previous.percentile, next.percentile)
            XCTAssertLessThanOrEqual(previous.count, next.count)
        }
        let last = try XCTUnwrap(rows.last)
        XCTAssertEqual(last.percentile, 1.0)
        XCTAssertEqual(last.count, 10_000)
        XCTAssertEqual(last.value, 30.0, accuracy: 0.03) // milliseconds
        XCTAssertTrue(text.contains("#[Mean    ="))
        XCTAssertTrue(text.contains("Total count    =        10000]"))
    }

    func testHgrmOfAnEmptyHistogramHasHeaderAndFooter() {
        let text = OperationMetrics(name: "cacerts").hgrm()
        XCTAssertTrue(text.hasPrefix("       Value     Percentile TotalCount 1/(1-Percentile)"))
        XCTAssertTrue(text.contains("Total count    =            0]"))
    }

    func testUncorrectedHgrmUsesTheUncorrectedTotal() {
        var metrics = OperationMetrics(name: "simpleenroll")
        metrics.record(stamps: StampsFixture.reused(atUs: 0, latencyUs: 1_000, lagUs: 4_000), outcome: .success2xx)
        XCTAssertTrue(metrics.hgrm().contains("#[Max     =        5.00"))
        XCTAssertTrue(metrics.hgrm(corrected: false).contains("#[Max     =        1.00"))
    }
}
