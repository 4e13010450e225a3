import Engine
import Foundation
import PKI
import Workload
import XCTest

/// Fleets that persist: a run's enrolled devices saved (mode 0600), inspected, and loaded by a later
/// run that re-enrolls them with their real certificates against the same CA.
final class FleetRunTests: XCTestCase {
    func testASavedFleetIsReloadedAndReEnrolledWithItsCertificates() throws {
        let fixture = try EngineFixture(threads: 1)
        defer { fixture.stop() }
        // A burst of one arrival per device: every device enrolls exactly once.
        let enroll = try fixture.run("""
        devices:
          count: 4
          csr:
            commonName: "fleet-dev-{i}"
            sanDNS: ["fleet-dev-{i}.example"]
        lifecycle:
          - op: simpleenroll
        load:
          open:
            burst:
              devices: 4
        stop:
          durationSeconds: 60
        abort: off
        """, threads: 2, keepFleet: true)
        XCTAssertEqual(enroll.counters("simpleenroll")["2xx"], 4, "\(enroll.counters("simpleenroll"))")
        let fleet = try XCTUnwrap(enroll.outcome.fleet)
        XCTAssertEqual(fleet.devices.map(\.index), [0, 1, 2, 3])
        XCTAssertEqual(fleet.devices.filter { $0.certificate != nil }.count, 4)
        XCTAssertEqual(fleet.chain, [fixture.authority.root])

        let path = fixture.directory.appendingPathComponent("fleet.txt").path
        try fleet.write(path: path)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        let loaded = try Fleet.load(path: path)
        XCTAssertEqual(loaded.devices.map(\.certificate), fleet.devices.map(\.certificate))
        XCTAssertEqual(loaded.chain, fleet.chain)
        let summary = FleetSummary(loaded, nowUnixSeconds: Int64(Date().timeIntervalSince1970))
        XCTAssertEqual(summary.devices, 4)
        XCTAssertEqual(summary.enrolled, 4)
        XCTAssertEqual(summary.issuers, ["estbench test Root CA": 4], "\(summary.lines)")
        XCTAssertEqual(summary.withinMonth + summary.later, 4, "\(summary.lines)")

        // The renewal wave: re-enrollment only, each device presenting the certificate it was issued.
        let renew = try fixture.run("""
        devices:
          count: 4
          fleet: \(path)
        lifecycle:
          - op: simplereenroll
        load:
          closed:
            devices: 4
        stop:
          operations: 8
          durationSeconds: 60
        abort: off
        """, threads: 2)
        XCTAssertEqual(renew.count("simpleenroll"), 0, "devices of a fleet re-enroll at once")
        XCTAssertEqual(renew.counters("simplereenroll")["2xx"], 8, "\(renew.counters("simplereenroll"))")

        // A fleet smaller than the profile asks for is named before anything runs.
        XCTAssertThrowsError(try fixture.run("""
        devices:
          count: 5
          fleet: \(path)
        lifecycle:
          - op: simplereenroll
        load:
          closed:
            devices: 5
        stop:
          operations: 5
        """)) { error in
            XCTAssertTrue("\(error)".contains("holds 4 devices; the profile needs 5"), "\(error)")
        }
    }

    func testAFileThatIsNotAFleetIsRefusedByName() throws {
        let fixture = try EngineFixture()
        defer { fixture.stop() }
        let path = try fixture.file("not-a-fleet", "hello\n")
        XCTAssertThrowsError(try Fleet.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("not an estbench fleet file"), "\(error)")
        }
    }
}
