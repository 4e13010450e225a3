import Histogram
import Metrics
import XCTest

final class WorkerMetricsTests: XCTestCase {
    /// Deterministic spread of latencies from 1 us to ~2 s, with some failures.
    static func workload(count: Int, seed: UInt64) -> [(OperationPhaseStamps, Outcome)] {
        var state = seed
        var result: [(OperationPhaseStamps, Outcome)] = []
        for index in 0 ..< count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let latencyUs = 1 + (state >> 33) % 2_000_000 >> ((state >> 20) % 12)
            let outcome: Outcome = switch (state >> 8) % 20 {
            case 0: .serverError5xx
            case 1: .tlsError(alert: "handshake")
            case 2: .timeout
            default: .success2xx
            }
            let stamps = index % 3 == 0
                ? StampsFixture.fresh(atUs: UInt64(index) * 1_000)
                : StampsFixture.reused(atUs: UInt64(index) * 1_000, latencyUs: latencyUs, lagUs: (state >> 40) % 50)
            result.append((stamps, outcome))
        }
        return result
    }

    func testMergeOfTwoWorkersEqualsRecordingEverythingInOne() throws {
        let names = ["simpleenroll", "cacerts"]
        var first = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: names)
        var second = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: names.reversed())
        var single = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: names)
        for (index, (stamps, outcome)) in Self.workload(count: 6_000, seed: 7).enumerated() {
            let name = names[index % 2]
            if index % 5 < 2 {
                first.record(first.id(of: name)!, stamps: stamps, outcome: outcome)
            } else {
                second.record(second.id(of: name)!, stamps: stamps, outcome: outcome)
            }
            single.record(single.id(of: name)!, stamps: stamps, outcome: outcome)
        }
        first.close()
        second.close()
        single.close()
        first.merge(second)

        for name in names {
            let merged = try XCTUnwrap(first[name])
            let expected = try XCTUnwrap(single[name])
            for phase in Phase.allCases {
                XCTAssertEqual(merged.histogram(phase), expected.histogram(phase), "\(name) \(phase)")
                for percentile in [50.0, 90.0, 99.0, 99.9, 100.0] {
                    XCTAssertEqual(merged.histogram(phase).valueAtPercentile(percentile),
                                   expected.histogram(phase).valueAtPercentile(percentile))
                }
            }
            XCTAssertEqual(merged.totalUncorrected, expected.totalUncorrected)
            XCTAssertEqual(merged.startLag, expected.startLag)
            XCTAssertEqual(merged.outcomes, expected.outcomes)
            XCTAssertGreaterThan(merged.count, 2_000)
        }
        XCTAssertEqual(try first.timeline.rows().sorted { ($0.second, $0.operation) < ($1.second, $1.operation) },
                       try single.timeline.rows().sorted { ($0.second, $0.operation) < ($1.second, $1.operation) })
    }

    func testMergeAddsOperationsTheOtherWorkerDidNotKnow() {
        var first = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: ["cacerts"])
        var second = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: ["csrattrs"])
        second.record(OperationID(index: 0), stamps: StampsFixture.reused(atUs: 0, latencyUs: 5), outcome: .success2xx)
        second.close()
        first.merge(second)
        XCTAssertEqual(first.operations.map(\.name), ["cacerts", "csrattrs"])
        XCTAssertEqual(first["csrattrs"]?.count, 1)
    }

    func testRegisterIsIdempotent() {
        var metrics = WorkerMetrics(runStartNs: 0, operations: ["a", "b"])
        XCTAssertEqual(metrics.register("b"), OperationID(index: 1))
        XCTAssertEqual(metrics.operations.count, 2)
    }

    func testWorkerMetricsCrossThreadsAfterJoin() async {
        let merged = await withTaskGroup(of: WorkerMetrics.self) { group in
            for worker in 0 ..< 3 {
                group.addTask {
                    var metrics = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: ["cacerts"])
                    for index in 0 ..< 100 {
                        let stamps = StampsFixture.reused(atUs: UInt64(worker * 100 + index), latencyUs: 50)
                        metrics.record(OperationID(index: 0), stamps: stamps, outcome: .success2xx)
                    }
                    metrics.close()
                    return metrics
                }
            }
            var total = WorkerMetrics(runStartNs: StampsFixture.runStartNs)
            for await metrics in group { total.merge(metrics) }
            return total
        }
        XCTAssertEqual(merged["cacerts"]?.count, 300)
        XCTAssertEqual(merged["cacerts"]?.histogram(.total).totalCount, 300)
    }
}
