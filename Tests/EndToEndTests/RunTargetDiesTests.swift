import Foundation
import TestSupport
import XCTest

/// A target killed (SIGKILL) in the middle of a run and restarted on the same port with the same CA:
/// the run carries on through the outage, counts each failure with its reason, recovers once the
/// server is back, and ends by itself with its results written.
final class RunTargetDiesTests: XCTestCase {
    func testRunOutlivesAKilledAndRestartedTarget() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-dies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ca = dir.appendingPathComponent("ca").path
        var server = try ServeProcess(caDirectory: ca)
        defer { server.stop() }
        let port = server.port
        let profile = dir.appendingPathComponent("p.yaml").path
        try """
        target:
          url: https://127.0.0.1:\(port)
          caBundle: \(server.bundle)
        devices:
          count: 4
        lifecycle:
          - op: cacerts
          - op: simpleenroll
        load:
          closed:
            devices: 4
            thinkTimeMs: 20
        abort: off
        stop:
          durationSeconds: 16
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results")
        let process = Process()
        process.executableURL = estbenchBinary
        process.arguments = ["run", profile, "--threads", "1", "--results", results.path]
        let output = ProcessOutput(process)
        try process.run()
        terminateAfterDeadline(process, seconds: 120)
        defer { if process.isRunning { process.terminate() } }
        let started = Date()

        // Killed once the run has measured successes (the piped progress line, every 5 s) ...
        try output.waitForLine(on: .stderr, "progress line with completed operations and no errors") {
            (progressOperations($0) ?? 0) > 0 && $0.contains(" 0 errors")
        }
        server.kill9()
        let killedAt = Date().timeIntervalSince(started)
        // ... and back on the same port and CA after 2 s.
        Thread.sleep(forTimeInterval: 2)
        server = try ServeProcess(port: port, caDirectory: ca)
        let restartedAt = Date().timeIntervalSince(started)

        let (stdout, errors) = try output.waitForEnd(timeout: 90)
        let text = String(decoding: stdout, as: UTF8.self)
        process.waitUntilExit()
        // Some operations succeeded and no threshold was set: a completed run.
        XCTAssertEqual(process.terminationStatus, 0, text + errors)
        let folder = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: results.path).first)
        let base = results.appendingPathComponent(folder)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent("result.json"))) as? [String: Any])
        XCTAssertEqual(json["interrupted"] as? Bool, false)

        // The outage's failures are counted with their reasons: refused while nothing listened,
        // reset or closed mid-operation when the kill cut open connections.
        var connectErrors = 0
        var reasons = ""
        for op in ["cacerts", "simpleenroll"] {
            let entry = try XCTUnwrap(operation(json, op), op)
            let counters = try XCTUnwrap(entry["counters"] as? [String: Int], op)
            connectErrors += counters["connect_error"] ?? 0
            XCTAssertGreaterThan(counters["2xx"] ?? 0, 0, "\(op): \(counters)")
            reasons += "\(entry["reasons"] ?? entry)"
        }
        XCTAssertGreaterThan(connectErrors, 0, text)
        XCTAssertTrue(reasons.contains("ECONNREFUSED") || reasons.contains("ECONNRESET") || reasons.contains("closed before the response"),
                      reasons)

        // Successes before the kill and after the restart (timeline.csv: second since the run start).
        let timeline = try String(contentsOf: base.appendingPathComponent("timeline.csv"), encoding: .utf8)
        var okBySecond: [Int: UInt64] = [:]
        for line in timeline.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            guard f.count == 6, let second = Int(f[0]), let done = UInt64(f[2]), let failed = UInt64(f[3]) else { continue }
            okBySecond[second, default: 0] += done - min(done, failed)
        }
        // The run's clock starts after the process's, so run second s began no earlier than s here:
        // successes in seconds from the restart on came from the new server.
        let after = okBySecond.filter { Double($0.key) >= restartedAt.rounded(.up) }.values.reduce(0, +)
        XCTAssertGreaterThan(after, 0, "restarted at \(restartedAt) s: \(timeline)")
        // And the first failure came after the first successes (the progress line before the kill said so too).
        let firstOK = okBySecond.filter { $0.value > 0 }.keys.min() ?? .max
        XCTAssertLessThan(firstOK, Int(killedAt.rounded(.up)), "killed at \(killedAt) s: \(timeline)")
        print("target-dies timeline: killed at \(String(format: "%.1f", killedAt)) s, restarted at \(String(format: "%.1f", restartedAt)) s; "
              + "successes per second \(okBySecond.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")); "
              + "connect errors \(connectErrors); reasons \(reasons)")
    }
}
