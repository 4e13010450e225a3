@testable import Engine
import Workload
import XCTest

/// The open model's arrival queue is bounded: beyond `queueLimit` waiting arrivals, one more is
/// dropped and counted; Poisson arrivals reach the dispatcher in time order.
final class ArrivalQueueTests: XCTestCase {
    func testArrivalsBeyondTheQueueLimitAreDroppedAndCounted() {
        let arrivals = ArrivalSchedule(.burst(devices: 6)).split(workers: 1)[0]
        var d = OpenModelDispatcher(arrivals: arrivals, runStartNs: 1_000, devices: ["a", "b"], queueLimit: 2)
        var started = 0, queued = 0, dropped: [UInt64] = []
        while let dispatch = d.takeDue(nowNs: 1_000) {
            switch dispatch {
            case .start: started += 1
            case .queued: queued += 1
            case .dropped(let scheduledNs): dropped.append(scheduledNs)
            }
        }
        XCTAssertEqual([started, queued], [2, 2])
        XCTAssertEqual(dropped, [1_000, 1_000])
        XCTAssertEqual(d.droppedCount, 2)
        XCTAssertEqual(d.queuedCount, 2, "never more waiting than the limit")
        XCTAssertEqual(d.deviceIdle("a"), 1_000, "queued arrivals still run, oldest first")
    }

    func testPoissonArrivalsAreDueInOrder() {
        let arrivals = ArrivalSchedule(constantRate: 500).split(workers: 1)[0]
        var d = OpenModelDispatcher(arrivals: arrivals, runStartNs: 0, devices: Array(0..<1000), process: .poisson, seed: 9)
        var last: UInt64 = 0
        var gaps = Set<UInt64>()
        for _ in 0..<200 {
            guard let due = d.nextDueNs() else { return XCTFail("an unbounded schedule never ends") }
            XCTAssertGreaterThanOrEqual(due, last)
            gaps.insert(due - last)
            last = due
            guard case .start(_, let scheduledNs)? = d.takeDue(nowNs: due) else { return XCTFail("an idle device takes it") }
            XCTAssertEqual(scheduledNs, due)
        }
        XCTAssertGreaterThan(gaps.count, 150, "exponential gaps, not a constant interval")
    }
}

/// Against the in-process server: one device, a slow cacerts and a high Poisson rate — the queue
/// fills, and the dropped and late arrivals are counted and said, not held.
final class ArrivalQueueRunTests: XCTestCase {
    func testAFullArrivalQueueDropsAndReports() throws {
        let fixture = try EngineFixture(faults: ["cacerts:delay:100=1"])
        defer { fixture.stop() }
        let run = try fixture.run("""
        devices:
          count: 1
        lifecycle:
          - op: cacerts
        load:
          open:
            rate: 200
            arrivals: poisson
            queueLimit: 2
        stop:
          durationSeconds: 1.5
        abort: off
        """)
        XCTAssertGreaterThan(run.outcome.droppedArrivals, 50, "\(run.outcome.warnings)")
        XCTAssertGreaterThan(run.outcome.lateArrivals, 0, "\(run.outcome.warnings)")
        XCTAssertTrue(run.outcome.warnings.contains { $0.contains("arrival(s) dropped") && $0.contains("queueLimit 2") }, "\(run.outcome.warnings)")
        XCTAssertGreaterThan(run.count("cacerts"), 0)
    }
}
