import Foundation
import XCTest

/// The fleet on the command line: `run --save-fleet` writes a 0600 file, `fleet inspect` reads it,
/// and a missing one is named (exit 2). Reloading a fleet is tested in-process (FleetRunTests).
final class FleetCLITests: XCTestCase {
    func testSaveFleetThenInspect() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }  // a temporary folder: leftovers do no harm
        let fleet = dir.appendingPathComponent("fleet.txt").path
        let run = try runEstbench(["run", "--devices", "3", "--duration", "1", "--threads", "1", "--results", dir.path, "--save-fleet", fleet])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("fleet: 3 device(s), 3 with an issued certificate, saved to \(fleet) (mode 0600)"), run.stdout)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: fleet)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        let inspect = try runEstbench(["fleet", "inspect", fleet])
        XCTAssertEqual(inspect.status, 0, inspect.stdout + inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("devices: 3, 3 with an issued certificate"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("issuer: estbench test Root CA — 3 certificate(s)"), inspect.stdout)

        let bad = try runEstbench(["fleet", "inspect", dir.appendingPathComponent("missing").path])
        XCTAssertEqual(bad.status, 2, bad.stdout + bad.stderr)
        XCTAssertTrue(bad.stderr.contains("cannot read fleet file"), bad.stderr)
    }
}
