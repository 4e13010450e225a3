import XCTest
@testable import Workload

/// The example profiles in Profiles/ parse, validate and mean what their headers say.
final class ExampleProfileTests: XCTestCase {

    private func load(_ name: String) throws -> RunPlan {
        try RunPlan.load(file: ProfileFixtures.profilesDirectory.appendingPathComponent(name).path)
    }

    func testEnrollClosed() throws {
        let plan = try load("enroll-closed.yaml")
        let profile = plan.profile
        XCTAssertEqual(plan.name, "enroll-closed")
        XCTAssertTrue(profile.target.usesBuiltInServer)
        XCTAssertEqual(profile.devices.count, 100)
        XCTAssertEqual(profile.devices.csr.commonName(device: 7), "enroll-closed-7")
        XCTAssertEqual(profile.devices.csr.sanDNS(device: 7), ["device-7.estbench.test"])
        XCTAssertEqual(profile.lifecycle, .steps([
            LifecycleStep(operation: .cacerts),
            LifecycleStep(operation: .simpleenroll),
            LifecycleStep(operation: .simplereenroll, repeatCount: 2, thinkTimeMs: 100),
        ]))
        XCTAssertEqual(profile.lifecycle.operationsPerPass, 4)
        XCTAssertEqual(profile.connection, ConnectionPolicy(reuse: .keepAlive, resumption: .off))
        XCTAssertEqual(profile.load, .closed(devices: 100, thinkTimeMs: 500))
        XCTAssertEqual(profile.stop, StopCondition(durationSeconds: 60))
        XCTAssertEqual(profile.timeouts.milliseconds(for: .simpleenroll), 30_000)
        XCTAssertEqual(profile.timeouts.milliseconds(for: .cacerts), 10_000)
        XCTAssertEqual(profile.onAccepted202, .follow(maxRetries: 3, maxWaitSeconds: 30))
        XCTAssertEqual(profile.warmupSeconds, 5)
        XCTAssertNil(plan.arrivalSchedule)
    }

    func testRebootStorm() throws {
        let profile = try load("reboot-storm.yaml").profile
        XCTAssertEqual(profile.load, .open(.burst(devices: 10_000)))
        XCTAssertEqual(profile.connection.reuse, .newPerOperation)
        XCTAssertEqual(profile.maxNewConnectionsPerSecond, 2000)
        XCTAssertEqual(profile.stop, StopCondition(durationSeconds: 120, operations: 10_000))
        XCTAssertEqual(profile.onAccepted202, .countAndStop)
    }

    func testOpenRate() throws {
        let plan = try load("open-rate.yaml")
        let profile = plan.profile
        XCTAssertEqual(profile.load, .open(.rate(ramp: OpenLoad.Ramp(from: 0, to: 200, seconds: 30), steps: [], hold: 200)))
        XCTAssertEqual(profile.target.caLabel, "arbitrary")
        XCTAssertEqual(profile.target.tls.groups, ["X25519", "P-256"])
        XCTAssertEqual(profile.target.tls.minVersion, .tls12)
        XCTAssertEqual(profile.target.basic, BasicCredentials(user: "estbench", password: .environment(name: "EST_PASSWORD")))
        XCTAssertEqual(profile.connection.resumption, .tickets)
        let schedule = try XCTUnwrap(plan.arrivalSchedule)
        // The 30 s ramp to 200/s integrates to 3,000 arrivals; then 200/s.
        XCTAssertEqual(schedule.intendedStartNs(arrival: 3_000), 30_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 3_200), 31_000_000_000)
    }

    func testDefaultsAreFilled() throws {
        let profile = try RunPlan.load(yaml: ProfileFixtures.minimal, name: "m").profile
        XCTAssertEqual(profile.devices.keyType, .p256)
        XCTAssertEqual(profile.devices.source, .generate)
        XCTAssertEqual(profile.load, .closed(devices: 10, thinkTimeMs: 0))
        XCTAssertEqual(profile.connection, ConnectionPolicy())
        XCTAssertEqual(profile.timeouts.milliseconds(for: .fullcmc), OperationTimeouts.defaultMs)
        XCTAssertEqual(profile.onAccepted202, .defaultFollow)
        XCTAssertEqual(profile.seed, Profile.defaultSeed)
        XCTAssertFalse(profile.channelBinding)
        XCTAssertNil(profile.maxNewConnectionsPerSecond)
    }

    func testWeightedMix() throws {
        let yaml = ProfileFixtures.minimal.replacingOccurrences(
            of: "lifecycle:\n  - op: simpleenroll", with: "lifecycle:\n  mix: {simpleenroll: 3, cacerts: 1}")
        let lifecycle = try RunPlan.load(yaml: yaml, name: "m").profile.lifecycle
        XCTAssertEqual(lifecycle, .mix([.init(operation: .simpleenroll, weight: 3), .init(operation: .cacerts, weight: 1)]))
        XCTAssertEqual(lifecycle.mixOperation(draw: 0.0), .simpleenroll)
        XCTAssertEqual(lifecycle.mixOperation(draw: 0.74), .simpleenroll)
        XCTAssertEqual(lifecycle.mixOperation(draw: 0.75), .cacerts)
        XCTAssertNil(lifecycle.operationsPerPass)
    }
}
