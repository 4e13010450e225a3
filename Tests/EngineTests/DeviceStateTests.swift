@testable import Engine
import EST
import EventLoop
import Foundation
import PKI
import Metrics
import Server
import Workload
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The device and worker state machines, run in-process against an in-process EST server: each
/// wait state ends at the run's deadline, 202s are followed or counted, a synchronous failure
/// never recurses, and stops only escalate. Wall-clock bounds are wide (a loaded 2-core debug
/// build); each is several times what the fixed behaviour needs and far below what the defect took.
final class DeviceStateTests: XCTestCase {
    /// Awaiting Retry-After (600 s, capped at the default 60 s wait): the 1 s deadline ends the
    /// wait, and each pending 202 is counted as the answer it is — nothing is cut off.
    func testDeadlineEndsTheRetryAfterWaitAndCountsThe202s() throws {
        let server = try EngineFixture(faults: ["simpleenroll:202:600=1"])
        let run = try server.run("""
        devices: {count: 4}
        lifecycle: [{op: simpleenroll}]
        load: {closed: {devices: 4}}
        stop: {durationSeconds: 1}
        """)
        XCTAssertEqual(run.counters("simpleenroll"), ["202": 4])
        XCTAssertEqual(run.outcome.cutOff, [:])
        XCTAssertLessThan(run.wallSeconds, 30, "the Retry-After wait (60 s) outlived the deadline")
    }

    /// Following 202s: the same request goes again after Retry-After until it is answered; the
    /// server saw every retry, the run recorded one operation per enrollment.
    func testFollowing202RepeatsTheRequestUntilAnswered() throws {
        let server = try EngineFixture(faults: ["simpleenroll:202:0=0.5"])
        let run = try server.run("""
        devices: {count: 4}
        lifecycle: [{op: simpleenroll}]
        load: {closed: {devices: 4}}
        onAccepted202: {follow: {maxRetries: 40, maxWaitSeconds: 1}}
        stop: {operations: 40, durationSeconds: 120}
        """)
        let tally = server.stop()
        XCTAssertEqual(run.counters("simpleenroll"), ["2xx": 40])
        let pending = tally.injected.filter { $0.key.operation == .simpleenroll }.values.reduce(0, +)
        XCTAssertGreaterThan(pending, 0)
        XCTAssertEqual(tally.requests(.simpleenroll), 40 + pending, "each 202 was followed by exactly one repeat")
    }

    /// countAndStop: the 202 is counted and that device's lifecycle ends (its later steps never run).
    func testCountAndStopEndsTheDeviceAfterA202() throws {
        let server = try EngineFixture(faults: ["simpleenroll:202:0=1"])
        let run = try server.run("""
        devices: {count: 3}
        lifecycle: [{op: cacerts}, {op: simpleenroll}, {op: cacerts}]
        load: {closed: {devices: 3}}
        onAccepted202: countAndStop
        stop: {durationSeconds: 120}
        """)
        XCTAssertEqual(run.counters("cacerts"), ["2xx": 3])
        XCTAssertEqual(run.counters("simpleenroll"), ["202": 3])
        XCTAssertLessThan(run.wallSeconds, 60, "the run should end when every device has stopped")
    }

    /// Thinking (10 minutes): the deadline ends it.
    func testDeadlineEndsThinkTime() throws {
        let server = try EngineFixture()
        let run = try server.run("""
        devices: {count: 3}
        lifecycle: [{op: cacerts, thinkTimeMs: 600000}]
        load: {closed: {devices: 3}}
        stop: {durationSeconds: 1}
        """)
        XCTAssertEqual(run.counters("cacerts"), ["2xx": 3])
        XCTAssertEqual(run.outcome.cutOff, [:])
        XCTAssertLessThan(run.wallSeconds, 60)
    }

    /// The connections open when the deadline came are counted before any is closed: kept-alive
    /// devices thinking hold one each; devices that open a new connection per operation hold none
    /// while they think.
    func testConnectionsOpenAtTheStopAreCounted() throws {
        let server = try EngineFixture()
        /// Five devices fetching cacerts (thinking ten minutes after each when `thinks`) until `stop`.
        func fiveDevices(_ connection: String, thinks: Bool = true, stop: String) throws -> EngineFixture.Run {
            try server.run("""
            devices: {count: 5}
            lifecycle: [{op: cacerts\(thinks ? ", thinkTimeMs: 600000" : "")}]
            connection: {\(connection)}
            load: {closed: {devices: 5}}
            stop: {\(stop)}
            """)
        }
        let held = try fiveDevices("keepAlive: true", stop: "durationSeconds: 1")
        XCTAssertEqual(held.counters("cacerts"), ["2xx": 5])
        XCTAssertEqual(held.outcome.tls.openAtStop, 5)
        let closed = try fiveDevices("newPerOperation: true", stop: "durationSeconds: 1")
        XCTAssertEqual(closed.counters("cacerts"), ["2xx": 5])
        XCTAssertEqual(closed.outcome.tls.openAtStop, 0)
        // Stopped by its operation count: counted when the first device is refused, before any closed.
        let counted = try fiveDevices("keepAlive: true", thinks: false, stop: "operations: 50")
        XCTAssertEqual(counted.counters("cacerts"), ["2xx": 50])
        XCTAssertEqual(counted.outcome.tls.openAtStop, 5)
    }

    /// Awaiting a connection slot (2 new connections a second for 20 devices): the deadline ends
    /// the waits; the operations that never got a connection are cut off and counted.
    func testDeadlineEndsConnectionSlotWaitsAndCountsThemCutOff() throws {
        let server = try EngineFixture()
        let run = try server.run("""
        devices: {count: 20}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 20}}
        connection: {newPerOperation: true}
        maxNewConnectionsPerSecond: 2
        stop: {durationSeconds: 1}
        """)
        XCTAssertGreaterThan(run.count("cacerts"), 0)
        XCTAssertGreaterThan(run.outcome.cutOff[.cacerts] ?? 0, 0)
        XCTAssertTrue(run.outcome.warnings.contains { $0.contains("cut off") }, "\(run.outcome.warnings)")
        XCTAssertLessThan(run.wallSeconds, 60)
    }

    /// Awaiting a response that takes 2 minutes: the operation has the drain limit (stop.drainSeconds,
    /// here 2 s) after the 1 s deadline, then it is cut off — counted and said, not measured.
    func testDrainLimitCutsOffAResponseThatNeverComes() throws {
        let server = try EngineFixture(faults: ["simpleenroll:delay:120000=1"])
        let run = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: simpleenroll}]
        load: {closed: {devices: 2}}
        timeoutsMs: {default: 300000}
        stop: {durationSeconds: 1, drainSeconds: 2}
        """)
        XCTAssertEqual(run.count("simpleenroll"), 0)
        XCTAssertEqual(run.outcome.cutOff, [.simpleenroll: 2])
        XCTAssertTrue(run.outcome.warnings.contains { $0.contains("cut off 2 operation(s) still in flight after the 2 s drain limit") },
                      "\(run.outcome.warnings)")
        XCTAssertGreaterThanOrEqual(run.wallSeconds, 2.9, "the drain limit was not honoured")
        XCTAssertLessThan(run.wallSeconds, 60, "the drain limit did not end the run")
    }

    /// A first stop drains, a second aborts at once: operations on the wire are cut off.
    func testSecondStopAbortsWithoutWaitingForTheDrainLimit() throws {
        let server = try EngineFixture(faults: ["simpleenroll:delay:120000=1"])
        let firstStop = StopClock()
        let run = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: cacerts}, {op: simpleenroll}]
        load: {closed: {devices: 2}}
        timeoutsMs: {default: 300000}
        stop: {durationSeconds: 120}
        """) { coordinator in
            // Both devices are on their stalled enrollment once both cacerts were recorded.
            while coordinator.progress.completed < 2 { usleep(10_000) }
            firstStop.mark()
            coordinator.stop()
            usleep(200_000)
            coordinator.stop()
        }
        XCTAssertTrue(run.outcome.interrupted)
        XCTAssertEqual(run.counters("cacerts"), ["2xx": 2])
        XCTAssertEqual(run.outcome.cutOff, [.simpleenroll: 2])
        XCTAssertLessThan(firstStop.secondsSince(), 4.5, "the abort waited for the 5 s drain limit")
    }

    /// 10,000 consecutive synchronous failures with zero think time (a bootstrap certificate whose
    /// key does not match — refused at load time since, so built here past that check, straight on a
    /// worker): each next operation starts from the loop, so the stack never grows.
    func testTenThousandSynchronousFailuresDoNotRecurse() throws {
        let server = try EngineFixture()
        let plan = try RunPlan.load(yaml: server.target + """

        devices: {count: 1}
        lifecycle: [{op: simpleenroll}]
        load: {closed: {devices: 1}}
        stop: {operations: 10000, durationSeconds: 300}
        """, name: "sync-failures")
        let target = try RunTarget.resolving(plan.profile)
        let loaded = try ClientSetup.load(plan: plan, target: target)
        let mismatched = ClientSetup(tlsContext: loaded.tlsContext,
                                     bootstrap: ([server.authority.serverCertificate], try KeyGenerator(type: .p256).generate()))
        let start = MonotonicTime.nowNs()
        let settings = try EngineSettings(plan: plan, target: target, client: mismatched, threads: 1, startNs: start)
        let key = try KeyGenerator(type: .p256).generate()
        let csr = try CSRBuilder(template: settings.csrTemplate).build(index: 0, signer: Signer(key: key))
        let worker = try EngineWorker(index: 0, settings: settings, budget: OperationBudget(limit: 10_000), progress: RunProgress(),
                                      runStartNs: start, credentials: [DeviceCredentials(index: 0, key: key, csr: csr[...])])
        worker.run()
        XCTAssertEqual(worker.metrics["simpleenroll"]?.outcomes.byKey, ["tls_error:client_certificate": 10_000])
        XCTAssertEqual(worker.phase, .done)
    }

    /// Channel binding against a server that requires it: bound CSRs are signed after each
    /// handshake and accepted; unbound ones are refused (a 4xx each) and the run goes on.
    func testChannelBoundEnrollmentsAndTheirRefusalWithoutBinding() throws {
        let server = try EngineFixture(channelBinding: true)
        let bound = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: simpleenroll}, {op: simplereenroll}]
        load: {closed: {devices: 2}}
        channelBinding: true
        stop: {operations: 20, durationSeconds: 120}
        """)
        // The budget of 20 is shared: one device may take an operation more than the other.
        XCTAssertEqual(Set(bound.counters("simpleenroll").keys), ["2xx"])
        XCTAssertEqual(Set(bound.counters("simplereenroll").keys), ["2xx"])
        XCTAssertEqual(bound.count("simpleenroll") + bound.count("simplereenroll"), 20)
        XCTAssertGreaterThanOrEqual(bound.count("simplereenroll"), 8)
        let unbound = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: simpleenroll}]
        load: {closed: {devices: 2}}
        stop: {operations: 10, durationSeconds: 120}
        """)
        XCTAssertEqual(unbound.count("simpleenroll"), 10)
        XCTAssertEqual(unbound.outcome.metrics["simpleenroll"]?.outcomes.errors, 10)
    }

    /// A stop request only escalates: a late drain cannot downgrade an abort.
    func testStopSignalOnlyEscalates() {
        let signal = StopSignal()
        XCTAssertEqual(signal.level, .none)
        signal.request(.drain)
        XCTAssertEqual(signal.level, .drain)
        signal.request(.abort)
        signal.request(.drain)
        XCTAssertEqual(signal.level, .abort)
    }
}

/// When something happened, readable from the test thread after the run.
final class StopClock: @unchecked Sendable {
    private var at: Date?
    private let lock = NSLock()
    func mark() { lock.withLock { at = Date() } }
    func secondsSince() -> Double { lock.withLock { at.map { Date().timeIntervalSince($0) } ?? .infinity } }
}

/// Connect failures back off per device instead of a tight loop.
final class ConnectBackoffTests: XCTestCase {
    /// A port nothing listens on (bound once, then closed).
    static func refusedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        return UInt16(bigEndian: address.sin_port)
    }

    /// Eight devices against a refused port for 2 s: each backs off from 10 ms towards 1 s, so a
    /// few dozen attempts in all — not the hundreds of thousands a tight loop made.
    func testARefusedPortIsNotHammered() throws {
        let fixture = try EngineFixture()
        let port = try Self.refusedPort()
        let plan = try RunPlan.load(yaml: """
        target:
          url: https://127.0.0.1:\(port)
          caBundle: \(fixture.bundlePath)
        devices: {count: 8}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 8}}
        stop: {durationSeconds: 2}
        """, name: "refused")
        let outcome = try RunCoordinator(plan: plan, target: try RunTarget.resolving(plan.profile), threads: 1) { _ in }.run()
        let counters = outcome.metrics["cacerts"]?.outcomes.byKey ?? [:]
        XCTAssertEqual(Set(counters.keys), ["connect_error"])
        let attempts = counters["connect_error"] ?? 0
        let reasons = EngineFixture.Run(outcome: outcome, wallSeconds: 0).reasons("cacerts", "connect_error")
        XCTAssertEqual(reasons, ["ECONNREFUSED": attempts], "a refused port is named by its errno")
        XCTAssertGreaterThanOrEqual(attempts, 8 * 4, "each device tried again after its backoff")
        XCTAssertLessThanOrEqual(attempts, 8 * 16, "at most ~12 attempts per device fit in 2 s of backoff")
    }
}

/// The busy-thread warning compares a load thread's CPU time with the time it ran (warm-up
/// included), never with the shorter measured window (which read 133% busy during a search).
final class BusyWarningTests: XCTestCase {
    func testBusyIsCPUOverTheThreadsOwnRunningTime() {
        let metrics = WorkerMetrics(runStartNs: 0)
        XCTAssertEqual(RunCoordinator.warnings(metrics, cpu: [1_200_000_000], threadWallNs: 2_000_000_000, open: false), [])
        let busy = RunCoordinator.warnings(metrics, cpu: [1_900_000_000], threadWallNs: 2_000_000_000, open: false)
        XCTAssertEqual(busy, ["load thread 0 was busy 95% of the run: estbench may be the bottleneck; add --threads or cores"])
    }

    /// Latencies past the histograms' 60 s ceiling (devices held back by a connection cap for
    /// longer than that) are recorded as 60 s; the run says how many, per operation.
    func testLatenciesAtTheHistogramCeilingAreSaid() {
        var metrics = WorkerMetrics(runStartNs: 0, operations: ["cacerts", "simpleenroll"])
        for (seconds, operation) in [(0.5, 0), (59.0, 0), (60.0, 0), (75.0, 0), (300.0, 0), (2.0, 1)] {
            let endNs: UInt64 = 400_000_000_000
            let startNs = endNs - UInt64(seconds * 1e9)
            metrics.record(OperationID(index: operation), stamps: OperationPhaseStamps(scheduledNs: startNs, startNs: startNs, completeNs: endNs),
                           outcome: .success2xx)
        }
        XCTAssertEqual(metrics.operations.map(\.latenciesAtCeiling), [3, 0])
        let warnings = RunCoordinator.warnings(metrics, cpu: [0], threadWallNs: 1, open: false)
        XCTAssertEqual(warnings, ["cacerts: 3 latencies of 60 s or more (the histograms' ceiling) recorded as 60 s: a percentile of 60000 ms "
                                  + "means that much or more (latency counts from the intended start: a wait for a maxNewConnectionsPerSecond slot is in it)"])
    }
}
