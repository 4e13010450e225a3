import Foundation
import XCTest

/// `estbench run` and `probe` input checks where the command line is the point: `--devices` on the
/// default profile, and client identities whose certificate and key do not belong together (exit 2,
/// both files named, nothing run).
final class RunInputTests: XCTestCase {
    /// The default profile has load.closed.devices equal to devices.count (20): `--devices 8` scales both.
    func testDevicesFlagRunsTheDefaultProfile() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-results-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }  // a temporary folder: leftovers do no harm
        let r = try runEstbench(["run", "--devices", "8", "--duration", "1", "--threads", "1", "--results", base.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("run: 8 device(s)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("the built-in server shares this machine's"), r.stdout)
    }

    func testACertificateAndKeyThatDoNotBelongTogetherAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-pair-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }  // a temporary folder: leftovers do no harm
        XCTAssertEqual(try tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", dir + "/a.key", "-subj", "/CN=factory", "-out", dir + "/a.pem", "-days", "1"]).status, 0)
        XCTAssertEqual(try tool(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                                 "-out", dir + "/b.key"]).status, 0)
        let run = try runProfile("""
        target:
          bootstrap: {certificate: \(dir)/a.pem, key: \(dir)/b.key}
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {}}
        stop: {operations: 2}
        """)
        XCTAssertEqual(run.status, 2, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("\(dir)/a.pem") && run.stderr.contains("\(dir)/b.key"), run.stderr)
        XCTAssertTrue(run.stderr.contains("do not belong together"), run.stderr)
        XCTAssertNil(run.json, "nothing was run")

        let probe = try runEstbench(["probe", "https://127.0.0.1:9/.well-known/est/cacerts", "--cert", dir + "/a.pem", "--key", dir + "/b.key"])
        XCTAssertEqual(probe.status, 2, probe.stdout + probe.stderr)
        XCTAssertTrue(probe.stderr.contains("\(dir)/a.pem") && probe.stderr.contains("\(dir)/b.key"), probe.stderr)
        let matching = try runEstbench(["probe", "https://127.0.0.1:9/.well-known/est/cacerts", "--cert", dir + "/a.pem", "--key", dir + "/a.key"])
        XCTAssertFalse(matching.stderr.contains("do not belong together"), "a matching pair is accepted: \(matching.stderr)")
    }
}
