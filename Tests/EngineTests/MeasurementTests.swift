@testable import Engine
import Foundation
import Metrics
import Workload
import XCTest

/// Measurement corner cases, run in-process against an in-process EST server: which operations
/// have a start lag, what the warm-up and the operation count measure, when measurement starts,
/// when an open run stopped by its count ends, and which warnings a run earns. Wall-clock bounds
/// are wide (a loaded 2-core debug build) and far below what each defect took.
final class MeasurementTests: XCTestCase {
    /// Only a pass's first operation had an intended start (the open-model arrival): later steps and
    /// closed runs record no start lag, instead of zeros that pull the percentiles down.
    func testOnlyOperationsWithAnIntendedStartHaveAStartLag() throws {
        let server = try EngineFixture()
        let open = try server.run("""
        devices: {count: 20}
        lifecycle: [{op: cacerts}, {op: simpleenroll}, {op: simplereenroll, repeat: 2}]
        connection: {keepAlive: true}
        load: {open: {rate: 40}}
        stop: {durationSeconds: 1}
        """)
        let cacerts = try XCTUnwrap(open.outcome.metrics["cacerts"])
        XCTAssertGreaterThan(cacerts.count, 10)
        XCTAssertEqual(cacerts.startLag.totalCount, cacerts.count, "one start lag per arrival (a pass's first operation)")
        for op in ["simpleenroll", "simplereenroll"] {
            XCTAssertGreaterThan(open.count(op), 0, op)
            XCTAssertEqual(open.outcome.metrics[op]?.startLag.totalCount, 0, "\(op) is a later step of a pass: no intended start")
        }
        let closed = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 2}}
        stop: {operations: 20}
        """)
        XCTAssertEqual(closed.count("cacerts"), 20)
        XCTAssertEqual(closed.outcome.metrics["cacerts"]?.startLag.totalCount, 0, "a closed run has no schedule to lag")
        let summary = OperationSummary(try XCTUnwrap(closed.outcome.metrics["cacerts"]), durationNs: closed.outcome.durationNs)
        XCTAssertNil(summary.latency[OperationMetrics.startLagKey], "result.json leaves the empty start-lag histogram out")
    }

    /// Operations that complete during the warm-up are not measured, so they do not use up
    /// stop.operations: exactly the count is measured.
    func testWarmupDoesNotUseUpTheOperationCount() throws {
        let server = try EngineFixture()
        let run = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: cacerts, thinkTimeMs: 5}]
        connection: {keepAlive: true}
        load: {closed: {devices: 2}}
        warmupSeconds: 0.3
        stop: {operations: 120, durationSeconds: 60}
        """)
        XCTAssertEqual(run.count("cacerts"), 120, "stop.operations counts measured operations only")
        XCTAssertLessThan(run.wallSeconds, 30, "ended by the count, not the 60 s deadline")
    }

    /// result.json's startTime is when measurement began: after key generation and the warm-up.
    func testMeasurementStartsAfterTheWarmup() throws {
        let server = try EngineFixture()
        let before = Date()
        let run = try server.run("""
        devices: {count: 4}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 4}}
        warmupSeconds: 0.5
        stop: {durationSeconds: 1}
        """)
        let offset = run.outcome.measuredFrom.timeIntervalSince(before)
        XCTAssertGreaterThanOrEqual(offset, 0.5, "measurement starts after the 0.5 s warm-up")
        XCTAssertLessThan(offset, run.wallSeconds, "and before the run ended")
    }

    /// An open run stopped by stop.operations ends when its last operation completes, and its rate is
    /// over that time: 100 arrivals at 200/s take about 0.5 s — not the time for every one of 1000
    /// parked devices to be handed an arrival and refused (5 s), nor the 20 s duration limit.
    func testAnOpenRunStoppedByItsCountEndsWithItsLastOperation() throws {
        let server = try EngineFixture()
        let run = try server.run("""
        devices: {count: 1000}
        lifecycle: [{op: cacerts}]
        connection: {keepAlive: true}
        load: {open: {rate: 200}}
        stop: {operations: 100, durationSeconds: 20}
        """)
        XCTAssertEqual(run.count("cacerts"), 100)
        // Timed from the start of measurement: generating 1000 keys in a debug build takes its own time.
        XCTAssertLessThan(run.secondsAfterMeasurementStarted, 3.5, "the run went on until each parked device was refused an arrival (5 s)")
        let seconds = Double(run.outcome.durationNs) / 1e9
        XCTAssertLessThan(seconds, 2.5, "measured until the last operation (0.5 s planned), not over the idle time")
    }

    /// A schedule the devices cannot keep (2 devices, 20 ms per cacerts: 100/s at most, 500/s asked):
    /// the lag warning names the measured p99 start lag, and a separate warning names the achieved
    /// and the planned arrival rates.
    func testScheduleLagAndThroughputBelowPlanAreSeparateWarnings() throws {
        let server = try EngineFixture(faults: ["cacerts:delay:20=1"])
        let run = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        connection: {keepAlive: true}
        load: {open: {rate: 500}}
        stop: {durationSeconds: 1}
        """)
        let warnings = run.outcome.warnings
        let lag = try XCTUnwrap(warnings.first { $0.contains("schedule fell behind") }, "\(warnings)")
        let p99 = Double(run.outcome.metrics["cacerts"]?.startLag.valueAtPercentile(99) ?? 0) / 1000
        XCTAssertTrue(lag.contains("p99 start lag \(String(format: "%.1f", p99)) ms"), lag)
        XCTAssertFalse(lag.contains("throughput"), lag)
        let below = try XCTUnwrap(warnings.first { $0.hasPrefix("throughput below plan") }, "\(warnings)")
        XCTAssertTrue(below.contains("against the plan's 500.0/s"), below)
    }

    /// A schedule that is kept earns no "throughput below plan".
    func testAKeptScheduleIsNotBelowPlan() throws {
        let server = try EngineFixture()
        let run = try server.run("""
        devices: {count: 20}
        lifecycle: [{op: cacerts}]
        connection: {keepAlive: true}
        load: {open: {rate: 50}}
        stop: {durationSeconds: 2}
        """)
        XCTAssertGreaterThan(run.count("cacerts"), 80)
        XCTAssertFalse(run.outcome.warnings.contains { $0.contains("throughput below plan") }, "\(run.outcome.warnings)")
    }

    /// The plan's arrivals over the measured window, and the 0.5% (plus one arrival per thread) it may miss by.
    func testThroughputBelowPlanNeedsMoreThanHalfAPercentShortfall() {
        let planned = PlannedArrivals(schedule: ArrivalSchedule(constantRate: 200), fromNs: 1_000_000_000, toNs: 11_000_000_000, threads: 1)
        XCTAssertEqual(planned.count, 2000)
        XCTAssertNil(planned.shortfall(achieved: 2000), "200.0/s of 200 is the plan")
        XCTAssertNil(planned.shortfall(achieved: 1990), "0.5% under")
        let below = planned.shortfall(achieved: 1900)
        XCTAssertEqual(below, "throughput below plan: 190.0 arrivals/s achieved against the plan's 200.0/s (1900 of 2000 arrivals over the measured 10.00 s)")
    }
}
