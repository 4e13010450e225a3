import Metrics
import XCTest

/// Thresholds judged by a pure function of the metrics: latency percentiles (corrected or not),
/// error rate, rate of valid answers, per operation and merged; what cannot be measured fails.
final class ThresholdVerdictTests: XCTestCase {
    func metrics() -> [OperationMetrics] {
        var enroll = OperationMetrics(name: "simpleenroll")
        // 99 answers in 10 ms (intended start 5 ms earlier: corrected 15 ms), one in 400 ms, one 500.
        for _ in 0..<99 {
            enroll.record(stamps: OperationPhaseStamps(scheduledNs: 1_000_000, startNs: 6_000_000, completeNs: 16_000_000), outcome: .success2xx)
        }
        enroll.record(stamps: OperationPhaseStamps(startNs: 1_000_000, completeNs: 401_000_000), outcome: .success2xx)
        enroll.record(stamps: OperationPhaseStamps(startNs: 1_000_000, completeNs: 2_000_000), outcome: .serverError5xx)
        var cacerts = OperationMetrics(name: "cacerts")
        cacerts.record(stamps: OperationPhaseStamps(startNs: 1_000_000, completeNs: 3_000_000), outcome: .success2xx)
        return [enroll, cacerts]
    }

    func testEachMetricIsMeasuredAndJudged() {
        let verdict = ThresholdVerdict.evaluate([
            Threshold(operation: "simpleenroll", metric: .p50Ms, limit: 20),
            Threshold(operation: "simpleenroll", metric: .p50Ms, limit: 12, uncorrected: true),
            Threshold(operation: "simpleenroll", metric: .p999Ms, limit: 100),
            Threshold(operation: "simpleenroll", metric: .maxMs, limit: 500),
            Threshold(operation: "simpleenroll", metric: .errorRate, limit: 0.005),
            Threshold(operation: "all", metric: .minRate, limit: 50),
            Threshold(operation: "fullcmc", metric: .p99Ms, limit: 1000),
        ], operations: metrics(), durationNs: 2_000_000_000)
        let measured = verdict.thresholds.map { $0.measured.map { $0.rounded() } }
        XCTAssertEqual(measured, [15, 10, 400, 400, 0, 51, nil])
        XCTAssertEqual(verdict.thresholds[4].measured ?? 0, 1.0 / 101, accuracy: 1e-9, "one of 101 was not a valid 2xx")
        XCTAssertEqual(verdict.thresholds.map(\.passed), [true, true, false, true, false, true, false])
        XCTAssertFalse(verdict.passed)
        let held = ThresholdVerdict.evaluate([Threshold(operation: "cacerts", metric: .p99Ms, limit: 5)], operations: metrics(), durationNs: 1)
        XCTAssertTrue(held.passed)
        XCTAssertTrue(ThresholdVerdict.evaluate([], operations: [], durationNs: 0).passed, "no thresholds: nothing to fail")
    }
}
