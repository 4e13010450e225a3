import Foundation
import XCTest

/// `estbench run` against the built-in server: every operation of the lifecycle completes and is
/// validated (issued key == CSR key), and bad profiles are refused with path-named errors.
final class RunTests: XCTestCase {
    func testDefaultRunOnTheBuiltInServerWritesItsResults() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-results-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let r = try runEstbench(["run", "--duration", "2", "--threads", "1", "--results", base.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("the built-in EST server on 127.0.0.1"), r.stdout)
        for op in ["cacerts", "simpleenroll", "simplereenroll"] {
            let line = r.stdout.split(separator: "\n").first { $0.hasPrefix(op + " ") }
            let fields = line?.split(separator: " ", omittingEmptySubsequences: true) ?? []
            XCTAssertGreaterThan(fields.count > 1 ? Int(fields[1]) ?? 0 : 0, 0, "\(op): \(r.stdout)")
            XCTAssertEqual(fields.last, "-", "\(op) had errors: \(String(line ?? ""))")
        }
        XCTAssertTrue(r.stdout.contains("TLSv1.3"), r.stdout)
        // The results folder: result.json (with the issued operations), timeline.csv, .hgrm per operation.
        let folders = try FileManager.default.contentsOfDirectory(atPath: base.path)
        XCTAssertEqual(folders.count, 1)
        let folder = base.appendingPathComponent(folders[0])
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        for f in ["result.json", "timeline.csv", "simpleenroll.hgrm", "simplereenroll.uncorrected.hgrm", "cacerts.hgrm"] {
            XCTAssertTrue(files.contains(f), "\(f) missing in \(files)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("result.json"))) as? [String: Any]
        let operations = (json?["metrics"] as? [String: Any])?["operations"] as? [[String: Any]] ?? []
        XCTAssertEqual(operations.compactMap { $0["name"] as? String }, ["cacerts", "simpleenroll", "simplereenroll"])
        XCTAssertEqual(json?["interrupted"] as? Bool, false)
    }

    func testOperationCountStopsTheRun() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-results-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let r = try runEstbench(["run", "--requests", "30", "--duration", "60", "--threads", "2", "--results", base.path])
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

    /// SIGINT stops scheduling, drains, and still writes the results, marked interrupted.
    func testInterruptDrainsAndWritesResults() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-results-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let process = Process()
        process.executableURL = estbenchBinary
        process.arguments = ["run", "--duration", "60", "--threads", "1", "--results", base.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        terminateAfterDeadline(process, seconds: 60)
        Thread.sleep(forTimeInterval: 3)
        kill(process.processIdentifier, SIGINT)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("(interrupted)"), text)
        let folders = try FileManager.default.contentsOfDirectory(atPath: base.path)
        XCTAssertEqual(folders.count, 1)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent(folders[0]).appendingPathComponent("result.json"))) as? [String: Any]
        XCTAssertEqual(json?["interrupted"] as? Bool, true)
    }

    /// A new connection per operation with tickets: every device's connections after its first resume.
    func testResumptionPerDevice() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = dir.appendingPathComponent("resume.yaml").path
        try """
        devices:
          count: 5
        lifecycle:
          - op: cacerts
          - op: simpleenroll
        connection:
          newPerOperation: true
          resumption: tickets
        load:
          closed:
            devices: 5
        stop:
          operations: 40
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let r = try runEstbench(["run", profile, "--threads", "1", "--results", dir.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("tls: 40 handshake(s)") && r.stdout.contains("35 resumed"), r.stdout)
    }
}
