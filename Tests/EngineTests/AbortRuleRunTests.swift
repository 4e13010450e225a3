import Engine
import Metrics
import Workload
import XCTest

/// Abort rules on live runs (in-process server), and thresholds judged on what a run measured.
final class AbortRuleRunTests: XCTestCase {
    /// Every cacerts answered 503: the error-rate rule stops the run within its window, says why,
    /// and the run is not marked interrupted.
    func testErrorRateAbortStopsTheRun() throws {
        let server = try EngineFixture(faults: ["cacerts:503=1"])
        let run = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 2, thinkTimeMs: 10}}
        abort: {errorRate: 0.9, windowSeconds: 2}
        stop: {durationSeconds: 60}
        """)
        XCTAssertEqual(run.outcome.abort?.rule, .errorRate)
        XCTAssertTrue(run.outcome.abort?.reason.hasPrefix("error rate 100% over the last 2 s") ?? false, "\(String(describing: run.outcome.abort))")
        XCTAssertFalse(run.outcome.interrupted)
        XCTAssertLessThan(run.wallSeconds, 20)
        XCTAssertGreaterThan(run.count("cacerts"), 0, "what was measured is kept")
    }

    /// `abort: off`: the same run goes to its deadline.
    func testAbortOffRunsToTheEnd() throws {
        let server = try EngineFixture(faults: ["cacerts:503=1"])
        let run = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 2, thinkTimeMs: 10}}
        abort: off
        stop: {durationSeconds: 3}
        """)
        XCTAssertNil(run.outcome.abort)
        XCTAssertGreaterThan(run.wallSeconds, 2.9)
    }

    /// A refused port: the default rule stops the run after its 5 s window, naming the errno.
    func testRefusedTargetIsUnusable() throws {
        let plan = try RunPlan.load(yaml: """
        target: {url: "https://127.0.0.1:1"}
        devices: {count: 4}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 4}}
        stop: {durationSeconds: 60}
        """, name: "refused")
        let coordinator = RunCoordinator(plan: plan, target: try RunTarget.resolving(plan.profile), threads: 1) { _ in }
        let start = Date()
        let outcome = try coordinator.run()
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(outcome.abort?.rule, .targetUnusable)
        XCTAssertTrue(outcome.abort?.reason.hasPrefix("target unusable: ECONNREFUSED ×") ?? false, "\(String(describing: outcome.abort))")
        XCTAssertTrue(outcome.abort?.reason.hasSuffix(" in 5 s") ?? false)
    }

    /// Thresholds judged on a run of the in-process server: generous limits hold, impossible ones fail
    /// with their measured values.
    func testThresholdsPassAndFailOnAMeasuredRun() throws {
        let server = try EngineFixture()
        let yaml = """
        devices: {count: 2}
        lifecycle: [{op: cacerts}, {op: simpleenroll}]
        load: {closed: {devices: 2}}
        warmupSeconds: 0.5
        stop: {durationSeconds: 2}
        thresholds:
          simpleenroll: {p99Ms: 20000, errorRate: 0}
          all: {minRate: 1, p50Ms: 0.001}
          cacerts: {minRate: 1000000}
        """
        let run = try server.run(yaml)
        let plan = try RunPlan.load(yaml: server.target + "\n" + yaml, name: "t")
        let verdict = ThresholdVerdict.evaluate(plan.profile.thresholds, operations: run.outcome.metrics.operations,
                                                durationNs: run.outcome.durationNs)
        XCTAssertFalse(verdict.passed)
        let byName = Dictionary(uniqueKeysWithValues: verdict.thresholds.map { ("\($0.operation) \($0.metric.rawValue)", $0) })
        XCTAssertEqual(byName["simpleenroll p99Ms"]?.passed, true)
        XCTAssertEqual(byName["simpleenroll errorRate"]?.passed, true)
        XCTAssertEqual(byName["simpleenroll errorRate"]?.measured, 0)
        XCTAssertEqual(byName["all minRate"]?.passed, true)
        XCTAssertEqual(byName["all p50Ms"]?.passed, false)
        XCTAssertGreaterThan(byName["all p50Ms"]?.measured ?? 0, 0.001)
        XCTAssertEqual(byName["cacerts minRate"]?.passed, false)
        // Judged on the measured window: the warm-up's operations are not in the figures.
        XCTAssertLessThan(Double(run.outcome.durationNs) / 1e9, 1.9)
    }
}
