import Foundation
import Histogram
import Metrics
import XCTest

final class EncodingTests: XCTestCase {
    func testEncodedHistogramDecodesToEqualCountsAtEveryValue() throws {
        var histogram = LatencyScale.makeHistogram()
        var state: UInt64 = 42
        for _ in 0 ..< 20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            histogram.record(1 + (state >> 30) % 50_000_000 >> ((state >> 10) % 20))
        }
        histogram.record(0)
        histogram.record(LatencyScale.highestUs)
        let encoded = EncodedHistogram(histogram)
        let json = try JSONEncoder().encode(encoded)
        let decoded = try JSONDecoder().decode(EncodedHistogram.self, from: json).histogram()

        XCTAssertEqual(decoded, histogram)
        XCTAssertEqual(decoded.totalCount, histogram.totalCount)
        XCTAssertEqual(decoded.maxRecorded, histogram.maxRecorded)
        XCTAssertEqual(decoded.minNonZero, histogram.minNonZero)
        for item in histogram.recordedValues() {
            XCTAssertEqual(decoded.countForValue(item.value), item.count, "value \(item.value)")
        }
        for item in decoded.recordedValues() {
            XCTAssertEqual(histogram.countForValue(item.value), item.count, "value \(item.value)")
        }
        XCTAssertEqual(EncodedHistogram(decoded), encoded)
    }

    func testExactMinimumSurvivesRoundTrip() throws {
        var histogram = LatencyScale.makeHistogram()
        histogram.record(123_457)
        histogram.record(123_459)
        histogram.record(9_876_543)
        let decoded = try EncodedHistogram(histogram).histogram()
        XCTAssertEqual(decoded.min, 123_457)
        XCTAssertEqual(decoded.maxRecorded, 9_876_543)
        XCTAssertEqual(decoded, histogram)
    }

    func testEmptyHistogramRoundTrips() throws {
        let empty = LatencyScale.makeHistogram()
        XCTAssertEqual(try EncodedHistogram(empty).histogram(), empty)
    }

    func testInconsistentEncodingIsRejectedWithContext() {
        var histogram = LatencyScale.makeHistogram()
        histogram.record(10)
        var encoded = EncodedHistogram(histogram)
        encoded.totalCount = 2
        XCTAssertThrowsError(try encoded.histogram()) { error in
            XCTAssertEqual(error as? MetricsDecodingError, .totalMismatch(stated: 2, actual: 1))
        }
        encoded = EncodedHistogram(histogram)
        encoded.significantDigits = 2
        XCTAssertThrowsError(try encoded.histogram()) { error in
            XCTAssertEqual(error as? MetricsDecodingError, .layoutMismatch(lowestDiscernibleValue: 1, significantDigits: 2))
        }
    }

    func testSparseMergeEqualsHistogramAddition() throws {
        var left = LatencyScale.makeHistogram()
        var right = LatencyScale.makeHistogram()
        for value in stride(from: UInt64(3), to: 3_000_000, by: 7_919) { left.record(value) }
        for value in stride(from: UInt64(5), to: 5_000_000, by: 10_007) { right.record(value, count: 3) }
        var encoded = EncodedHistogram(left)
        encoded.merge(EncodedHistogram(right))
        var added = left
        added.add(right)
        XCTAssertEqual(try encoded.histogram(), added)
    }

    func testResultSummaryRoundTripsIntoEqualMetrics() throws {
        var worker = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: ["simpleenroll", "cacerts"])
        for (index, (stamps, outcome)) in WorkerMetricsTests.workload(count: 3_000, seed: 99).enumerated() {
            worker.record(OperationID(index: index % 2), stamps: stamps, outcome: outcome)
        }
        worker.close()
        let summary = MetricsSummary(worker, durationNs: 3_000_000_000)
        let data = try summary.jsonData()
        let decoded = try MetricsSummary.decode(from: data)
        XCTAssertEqual(decoded, summary)

        let rebuilt = try decoded.operationMetrics()
        XCTAssertEqual(rebuilt.count, 2)
        for (original, copy) in zip(worker.operations, rebuilt) {
            XCTAssertEqual(copy.name, original.name)
            for phase in Phase.allCases { XCTAssertEqual(copy.histogram(phase), original.histogram(phase), "\(phase)") }
            XCTAssertEqual(copy.totalUncorrected, original.totalUncorrected)
            XCTAssertEqual(copy.startLag, original.startLag)
            XCTAssertEqual(copy.outcomes, original.outcomes)
        }

        let enroll = try XCTUnwrap(summary.operations.first)
        XCTAssertEqual(enroll.count, worker.operations[0].count)
        XCTAssertEqual(enroll.ratePerSecond, Double(enroll.count) / 3, accuracy: 1e-9)
        let total = try XCTUnwrap(enroll.latency["total"])
        XCTAssertLessThanOrEqual(total.p50Us, total.p90Us)
        XCTAssertLessThanOrEqual(total.p90Us, total.p99Us)
        XCTAssertLessThanOrEqual(total.p99Us, total.p999Us)
        XCTAssertLessThanOrEqual(total.p999Us, total.maxUs)
        XCTAssertNotNil(enroll.latency["total_uncorrected"])
        XCTAssertEqual(enroll.counters["2xx"], worker.operations[0].outcomes[.success2xx])
        let text = try XCTUnwrap(String(data: data, encoding: .utf8))
        XCTAssertTrue(text.contains("\"tls_error:handshake\""))
    }
}
