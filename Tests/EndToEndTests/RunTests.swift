import Foundation
import XCTest

/// `estbench run` against the built-in server: every operation of the lifecycle completes and is
/// validated (issued key == CSR key), and bad profiles are refused with path-named errors.
final class RunTests: XCTestCase {
    func testDefaultRunOnTheBuiltInServer() throws {
        let r = try runEstbench(["run", "--duration", "2", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("the built-in EST server on 127.0.0.1"), r.stdout)
        for op in ["cacerts", "simpleenroll", "simplereenroll"] {
            let line = r.stdout.split(separator: "\n").first { $0.hasPrefix(op + " ") }
            XCTAssertNotNil(line, "\(op) missing: \(r.stdout)")
            XCTAssertTrue(line?.contains("2xx") == true, String(line ?? ""))
            XCTAssertFalse(line?.contains("validation_failure") == true, String(line ?? ""))
        }
        XCTAssertTrue(r.stdout.contains("TLSv1.3"), r.stdout)
    }

    func testOperationCountStopsTheRun() throws {
        let r = try runEstbench(["run", "--requests", "30", "--duration", "60", "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let counts = r.stdout.split(separator: "\n").compactMap { line -> Int? in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 2, ["cacerts", "simpleenroll", "simplereenroll"].contains(String(f[0])) else { return nil }
            return Int(f[1])
        }
        XCTAssertEqual(counts.reduce(0, +), 30, r.stdout)
    }

    func testBadProfilesAreRefusedWithTheirPaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = dir.appendingPathComponent("bad.yaml").path
        try """
        devices:
          count: 5
        lifecycle:
          - op: simpleenrol
        load:
          closed:
            devices: 5
        stop:
          durationSeconds: 1
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let r = try runEstbench(["run", profile])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("lifecycle[0].op") && r.stderr.contains("simpleenrol"), r.stderr)
        let bad = try runEstbench(["run", "--set", "load.closed.devices=x"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
    }
}
