import Metrics
import XCTest

/// Where the slowest ~1% spent their time: summed per phase over the operations at or above the
/// running p99, not read off the phase histograms' p99s (which belong to different operations).
final class TailBreakdownTests: XCTestCase {
    func testTheSlowOperationsPhaseIsNamedNotTheBusiestPhaseOverall() {
        var metrics = OperationMetrics(name: "simpleenroll")
        for i in UInt64(0)..<2000 {
            let start = 1_000_000_000 + i * 10_000_000
            // Most operations: a 3 ms handshake (TLS dominates every phase's p99 but the tail's),
            // every 100th: a 50 ms wait for the first byte.
            let slow = i % 100 == 99
            let tls: UInt64 = slow ? 100_000 : 2_500_000 + (i % 97) * 5_000  // a spread, as real handshakes have
            let tlsDone = start + 100_000 + tls
            let stamps = OperationPhaseStamps(scheduledNs: start, startNs: start, connectStartNs: start, connectedNs: start + 100_000,
                                              tlsDoneNs: tlsDone, writtenNs: tlsDone + 10_000,
                                              firstByteNs: tlsDone + (slow ? 50_010_000 : 100_000),
                                              completeNs: tlsDone + (slow ? 50_020_000 : 110_000))
            metrics.record(stamps: stamps, outcome: .success2xx)
        }
        let dominant = metrics.tail.dominant
        XCTAssertEqual(dominant?.part, "first_byte")
        XCTAssertGreaterThan(dominant?.share ?? 0, 0.7)
        XCTAssertLessThanOrEqual(metrics.tail.count, 200, "the slowest few percent (the running estimate is loose early on)")
        // Mergeable by addition, and through result.json.
        var merged = metrics
        merged.merge(metrics)
        XCTAssertEqual(merged.tail.count, metrics.tail.count * 2)
        let summary = OperationSummary(metrics, durationNs: 1_000_000_000)
        XCTAssertEqual(try OperationMetrics(summary: summary).tail, metrics.tail)
    }
}
