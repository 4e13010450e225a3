import Histogram
import Metrics
import XCTest

final class OperationMetricsTests: XCTestCase {
    func testPercentilesOfOneToTenThousandMicrosecondsWithinHdrPrecision() {
        var metrics = OperationMetrics(name: "simpleenroll")
        for us in UInt64(1) ... 10_000 {
            metrics.record(stamps: StampsFixture.reused(atUs: us * 10, latencyUs: us), outcome: .success2xx)
        }
        let total = metrics.histogram(.total)
        XCTAssertEqual(total.totalCount, 10_000)
        for (percentile, expected) in [(50.0, 5_000.0), (90.0, 9_000.0), (99.0, 9_900.0), (99.9, 9_990.0), (100.0, 10_000.0)] {
            let value = Double(total.valueAtPercentile(percentile))
            XCTAssertEqual(value, expected, accuracy: expected * 0.001 + 1, "p\(percentile)")
        }
        let summary = LatencySummary(total)
        XCTAssertEqual(summary.minUs, 1)
        XCTAssertEqual(Double(summary.maxUs), 10_000, accuracy: 10)
        XCTAssertEqual(summary.meanUs, 5_000.5, accuracy: 5)
    }

    func testCoordinatedOmissionCorrectedTotalExceedsUncorrectedByExactlyTheLag() {
        let lagUs: UInt64 = 700
        let stamps = StampsFixture.reused(atUs: 5_000, latencyUs: 1_200, lagUs: lagUs)
        XCTAssertEqual(stamps.correctedTotalNs! - stamps.uncorrectedTotalNs!, lagUs * 1_000)
        XCTAssertEqual(stamps.startLagNs, lagUs * 1_000)

        var metrics = OperationMetrics(name: "simpleenroll")
        metrics.record(stamps: stamps, outcome: .success2xx)
        let corrected = metrics.histogram(.total).maxRecorded
        let uncorrected = metrics.histogram(.total, corrected: false).maxRecorded
        XCTAssertEqual(uncorrected, 1_200)
        XCTAssertEqual(corrected, 1_900)
        XCTAssertEqual(corrected - uncorrected, lagUs)
        XCTAssertEqual(metrics.startLag.maxRecorded, lagUs)
    }

    func testOnTimeStartGivesEqualCorrectedAndUncorrected() {
        var metrics = OperationMetrics(name: "cacerts")
        metrics.record(stamps: StampsFixture.reused(atUs: 0, latencyUs: 333), outcome: .success2xx)
        XCTAssertEqual(metrics.histogram(.total), metrics.histogram(.total, corrected: false))
    }

    func testReusedConnectionRecordsNoConnectOrTlsPhase() {
        let stamps = StampsFixture.reused(atUs: 0, latencyUs: 800)
        XCTAssertNil(stamps.durationNs(.connect))
        XCTAssertNil(stamps.durationNs(.tls))
        XCTAssertNil(stamps.durationNs(.signing))
        var metrics = OperationMetrics(name: "simplereenroll")
        metrics.record(stamps: stamps, outcome: .success2xx)
        XCTAssertEqual(metrics.histogram(.connect).totalCount, 0)
        XCTAssertEqual(metrics.histogram(.tls).totalCount, 0)
        XCTAssertEqual(metrics.histogram(.signing).totalCount, 0)
        for phase in [Phase.requestWritten, .firstByte, .complete, .total] {
            XCTAssertEqual(metrics.histogram(phase).totalCount, 1, "\(phase)")
        }
    }

    func testNewConnectionRecordsEveryPhaseDuration() {
        var metrics = OperationMetrics(name: "simpleenroll")
        metrics.record(stamps: StampsFixture.fresh(atUs: 0), outcome: .success2xx)
        let expected: [(Phase, UInt64)] = [
            (.connect, 100), (.tls, 300), (.requestWritten, 10), (.firstByte, 500), (.complete, 50), (.total, 960),
        ]
        for (phase, us) in expected {
            XCTAssertEqual(metrics.histogram(phase).maxRecorded, us, "\(phase)")
            XCTAssertEqual(metrics.histogram(phase).totalCount, 1, "\(phase)")
        }
    }

    func testSigningIsItsOwnPhaseAndRequestWrittenStartsAfterIt() {
        var stamps = StampsFixture.fresh(atUs: 0)
        stamps.signStartNs = stamps.tlsDoneNs
        stamps.signDoneNs = stamps.tlsDoneNs + 4_000
        XCTAssertEqual(stamps.durationNs(.signing), 4_000)
        XCTAssertEqual(stamps.durationNs(.requestWritten), 6_000)
    }

    func testFailureWithoutResponseCountsButRecordsNoResponseLatency() {
        var metrics = OperationMetrics(name: "simpleenroll")
        var stamps = StampsFixture.fresh(atUs: 0)
        stamps.tlsDoneNs = 0
        stamps.writtenNs = 0
        stamps.firstByteNs = 0
        metrics.record(stamps: stamps, outcome: .tlsError(alert: "handshake_failure"))
        XCTAssertEqual(metrics.outcomes[.tlsError(alert: "handshake_failure")], 1)
        XCTAssertEqual(metrics.histogram(.connect).totalCount, 1)
        XCTAssertEqual(metrics.histogram(.tls).totalCount, 0)
        XCTAssertEqual(metrics.histogram(.total).totalCount, 0)
        XCTAssertEqual(metrics.outcomes.errors, 1)
    }

    func testLatencyBeyondSixtySecondsIsClampedNotDropped() {
        var metrics = OperationMetrics(name: "simpleenroll")
        metrics.record(stamps: StampsFixture.reused(atUs: 0, latencyUs: 90_000_000), outcome: .success2xx)
        XCTAssertEqual(metrics.histogram(.total).totalCount, 1)
        XCTAssertEqual(metrics.histogram(.total).maxRecorded, LatencyScale.highestUs)
    }
}
