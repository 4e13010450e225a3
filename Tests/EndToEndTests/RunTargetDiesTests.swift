import Foundation
import TestSupport
import XCTest

/// A target killed (SIGKILL) in the middle of a run and restarted on the same port with the same CA:
/// the run carries on through the outage, counts each failure with its reason, recovers once the
/// server is back, and ends by itself with its results written.
final class RunTargetDiesTests: XCTestCase {
    /// A run against a fresh `estbench serve`: 4 devices, cacerts then simpleenroll, `abort` as given.
    struct Launched {
        let dir: URL
        let ca: String
        var server: ServeProcess
        let results: URL
        let process: Process
        let output: ProcessOutput
        let started: Date
    }

    func launch(abort: String, durationSeconds: Int) throws -> Launched {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-dies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ca = dir.appendingPathComponent("ca").path
        let server = try ServeProcess(caDirectory: ca)
        let profile = dir.appendingPathComponent("p.yaml").path
        try """
        target:
          url: https://127.0.0.1:\(server.port)
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
        \(abort)
        stop:
          durationSeconds: \(durationSeconds)
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results")
        let (process, output) = try startEstbench(["run", profile, "--threads", "1", "--results", results.path])
        let started = Date()
        // Killed only once the run has measured successes (the piped progress line, every 5 s).
        try output.waitForLine(on: .stderr, "progress line with completed operations and no errors") {
            (progressOperations($0) ?? 0) > 0 && $0.contains(" 0 errors")
        }
        return Launched(dir: dir, ca: ca, server: server, results: results, process: process, output: output, started: started)
    }

    func testRunOutlivesAKilledAndRestartedTarget() throws {
        var run = try launch(abort: "abort: off", durationSeconds: 16)
        defer {
            run.server.stop()
            if run.process.isRunning { run.process.terminate() }
            try? FileManager.default.removeItem(at: run.dir)
        }
        let (process, output, started, results, port, ca) = (run.process, run.output, run.started, run.results, run.server.port, run.ca)
        run.server.kill9()
        let killedAt = Date().timeIntervalSince(started)
        // Back on the same port and CA after 2 s.
        Thread.sleep(forTimeInterval: 2)
        run.server = try ServeProcess(port: port, caDirectory: ca)
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

    /// The same kill without a restart, the default abort rule in force: the run stops on its own once a
    /// whole window failed to connect (not at its 60 s duration), says why, exits 3 (the target could
    /// not be measured) and keeps what it measured before the kill.
    func testAKilledTargetThatStaysDownAbortsTheRun() throws {
        let run = try launch(abort: "", durationSeconds: 60)
        defer {
            run.server.stop()
            if run.process.isRunning { run.process.terminate() }
            try? FileManager.default.removeItem(at: run.dir)
        }
        run.server.kill9()
        let (stdout, errors) = try run.output.waitForEnd(timeout: 90)
        let text = String(decoding: stdout, as: UTF8.self) + errors
        run.process.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(run.started), 50, "ended by the abort rule, not the 60 s duration: " + text)
        XCTAssertEqual(run.process.terminationStatus, 3, text)
        XCTAssertTrue(text.contains("target unusable"), text)
        let folder = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: run.results.path).first)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: run.results.appendingPathComponent(folder).appendingPathComponent("result.json"))) as? [String: Any])
        let enroll = try XCTUnwrap(operation(json, "simpleenroll"))
        let counters = try XCTUnwrap(enroll["counters"] as? [String: Int])
        XCTAssertGreaterThan(counters["2xx"] ?? 0, 0, "what was measured before the kill is kept: \(counters)")
        XCTAssertGreaterThan(counters["connect_error"] ?? 0, 0, "\(counters)")
    }
}
