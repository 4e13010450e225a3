import Foundation
import XCTest

/// `estbench run` on a machine that runs out: a results file past the file size limit (EFBIG, the
/// same path as a full disk) and a client past its descriptor limit (EMFILE). Each is a clear
/// message, the run still ends by itself, and what was measured is printed.
final class RunResourceLimitTests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Under `ulimit -f 1` (512 or 1024 bytes) result.json, the first file, cannot be written: exit 3
    /// (results not written after the run), the summary was printed before, the error names the
    /// file and EFBIG (estbench ignores SIGXFSZ, so the limit is an error, not a kill), and no
    /// temporary file is left behind.
    func testAFileSizeLimitIsAClearErrorAfterTheSummaryWithExit3() throws {
        let dir = try temporaryDirectory()
        let profile = dir.appendingPathComponent("p.yaml").path
        try """
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 2}}
        stop: {operations: 10, durationSeconds: 60}
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results")
        let command = underLimit("-f 1", ["run", profile, "--threads", "1", "--results", results.path])
        let r = try runEstbench(command.arguments, tool: command.tool)
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("cacerts") && r.stdout.contains("verdict: PASS"), "the summary is printed: \(r.stdout)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: results.path)
        XCTAssertEqual(folders.count, 1, "\(folders)")
        let folder = results.appendingPathComponent(try XCTUnwrap(folders.first))
        let expected = "estbench: error: results: could not write \(folder.path)/result.json: file too large (EFBIG); no file was written"
        XCTAssertTrue(r.stderr.contains(expected), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no temporary file is left")
    }

    /// 100 kept-alive devices under `ulimit -n 64` against a server with its own limits: the
    /// devices past the limit fail to connect with EMFILE, counted as connect_error reasons; the
    /// warning gives the limit and what to change; the failing devices back off (no busy loop)
    /// and the run ends at its duration with results written.
    func testRunningOutOfDescriptorsIsAReasonWithAdvice() throws {
        let server = try ServeProcess()
        defer { server.stop() }
        let dir = try temporaryDirectory()
        let profile = dir.appendingPathComponent("p.yaml").path
        let devices = 100
        try """
        target: {url: "https://127.0.0.1:\(server.port)", caBundle: \(server.bundle)}
        devices: {count: \(devices)}
        lifecycle: [{op: cacerts}]
        connection: {keepAlive: true}
        load: {closed: {devices: \(devices)}}
        stop: {durationSeconds: 3}
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results")
        let command = underLimit("-n 64", ["run", profile, "--threads", "1", "--results", results.path])
        let r = try runEstbench(command.arguments, tool: command.tool)
        XCTAssertEqual(r.status, 0, "the devices within the limit succeeded: \(r.stdout)\(r.stderr)")
        XCTAssertTrue(r.stdout.contains("warning: out of file descriptors (EMFILE ×"), r.stdout)
        XCTAssertTrue(r.stdout.contains("the open-file limit is 64 (hard 64)"), r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "out of file descriptors").count - 1, 1, "said once: \(r.stdout)")

        let folder = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: results.path).first)
        let data = try Data(contentsOf: results.appendingPathComponent(folder).appendingPathComponent("result.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cacerts = try XCTUnwrap(operation(json, "cacerts"))
        let reasons = (cacerts["reasons"] as? [String: Any])?["connect_error"] as? [String: Any]
        let emfile = try XCTUnwrap((reasons?["EMFILE"] as? [String: Any])?["count"] as? Int, "\(cacerts)")
        let counters = try XCTUnwrap(cacerts["counters"] as? [String: Int])
        XCTAssertGreaterThan(counters["2xx"] ?? 0, 0, "\(counters)")
        XCTAssertGreaterThan(emfile, 0)
        // Backoff from 10 ms doubling to 1 s: in 3 s (plus the drain) a failing device tries about
        // ten times; a device retrying without backoff would make thousands.
        XCTAssertLessThan(emfile, devices * 40, "failing devices back off: \(emfile) EMFILE")
        let warnings = json["warnings"] as? [String] ?? []
        XCTAssertEqual(warnings.filter { $0.hasPrefix("out of file descriptors (EMFILE ×\(emfile))") }.count, 1, "\(warnings)")
    }
}
