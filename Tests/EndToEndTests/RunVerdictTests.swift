import Foundation
import XCTest

/// The real binary's answer: exit status, verdict lines, abort reasons, --json, range errors.
final class RunVerdictTests: XCTestCase {
    static let profile = """
    devices: {count: 4}
    lifecycle: [{op: cacerts}, {op: simpleenroll}]
    load: {closed: {devices: 4}}
    stop: {durationSeconds: 2}
    """

    /// Thresholds on the built-in server: held → exit 0 and PASS; an impossible one → exit 1 and FAIL,
    /// each with its measured value in the console and result.json.
    func testThresholdsDecideTheExitStatus() throws {
        let held = try runProfile(Self.profile + "\nthresholds: {simpleenroll: {p99Ms: 30000, errorRate: 0.01}, all: {minRate: 1}}")
        XCTAssertEqual(held.status, 0, held.stdout + held.stderr)
        XCTAssertTrue(held.stdout.contains("threshold simpleenroll p99Ms ≤ 30000: measured "), held.stdout)
        XCTAssertTrue(held.stdout.contains("verdict: PASS"), held.stdout)
        XCTAssertEqual((held.json?["verdict"] as? [String: Any])?["passed"] as? Bool, true)

        let failed = try runProfile(Self.profile + "\nthresholds: {all: {p50Ms: 0.001}}")
        XCTAssertEqual(failed.status, 1, failed.stdout + failed.stderr)
        XCTAssertTrue(failed.stdout.contains("threshold all p50Ms ≤ 0.001: measured ") && failed.stdout.contains("— FAIL"), failed.stdout)
        XCTAssertTrue(failed.stdout.contains("verdict: FAIL (1 of 1 threshold(s) failed)"), failed.stdout)
        let verdict = try XCTUnwrap(failed.json?["verdict"] as? [String: Any])
        XCTAssertEqual(verdict["passed"] as? Bool, false)
        let first = try XCTUnwrap((verdict["thresholds"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["metric"] as? String, "p50Ms")
        XCTAssertGreaterThan(first["measured"] as? Double ?? 0, 0.001)
    }

    /// A refused port: the default abort rule ends the run within 10 s, says why in one line, exit 3.
    func testRefusedTargetAbortsWithExit3() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-refused-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let start = Date()
        let r = try runEstbench(["run", "--target", "https://127.0.0.1:1", "--duration", "60", "--results", base.path])
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        XCTAssertLessThan(seconds, 10, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("abort: target unusable: ECONNREFUSED ×"), r.stdout)
        let folder = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: base.path).first)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent(folder).appendingPathComponent("result.json")))
            as? [String: Any]
        XCTAssertTrue((json?["abortReason"] as? String)?.hasPrefix("target unusable: ECONNREFUSED") ?? false, "\(String(describing: json))")
    }

    /// Every cacerts answered 503 by `serve --fault`: the error-rate rule fires, exit 1, results written.
    func testErrorRateAbortExits1() throws {
        let server = try ServeProcess(["--fault", "cacerts:503=1"])
        defer { server.stop() }
        let run = try runProfile("""
        target: {url: "https://127.0.0.1:\(server.port)", caBundle: "\(server.bundle)"}
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 2, thinkTimeMs: 10}}
        abort: {errorRate: 0.9, windowSeconds: 2}
        stop: {durationSeconds: 60}
        """)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("aborted: error rate 100% over the last 2 s"), run.stdout)
        XCTAssertEqual(run.json?["abortRule"] as? String, "errorRate")
        XCTAssertEqual(run.json?["interrupted"] as? Bool, false)
    }

    /// --json: standard output is one JSON document with the verdict, the operations and the folder.
    func testJSONOutputParses() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let r = try runEstbench(["run", "--duration", "1", "--devices", "2", "--json", "--results", base.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual((json["verdict"] as? [String: Any])?["passed"] as? Bool, true)
        let operations = try XCTUnwrap(json["operations"] as? [[String: Any]])
        XCTAssertEqual(operations.map { $0["name"] as? String }, ["cacerts", "simpleenroll", "simplereenroll"])
        XCTAssertGreaterThan(operations[1]["succeededPerSecond"] as? Double ?? 0, 0)
        let folder = try XCTUnwrap(json["results"] as? String)
        XCTAssertTrue(folder.hasPrefix(base.path) && FileManager.default.fileExists(atPath: folder + "/result.json"), folder)
        XCTAssertTrue(r.stderr.contains("verdict: PASS"), "the human summary goes to standard error")
    }

    /// Bad numbers are range errors naming what is allowed, not "Missing value"; an unwritable
    /// results parent is bad input found before anything runs.
    func testBadNumbersAndUnwritableResultsAreBadInput() throws {
        let rate = try runEstbench(["run", "--rate", "-5"])
        XCTAssertEqual(rate.status, 2, rate.stderr)
        XCTAssertTrue(rate.stderr.contains("--rate -5 is out of range; allowed: above 0"), rate.stderr)
        let devices = try runEstbench(["run", "--devices", "-1"])
        XCTAssertEqual(devices.status, 2, devices.stderr)
        XCTAssertTrue(devices.stderr.contains("--devices -1 is out of range; allowed: 1 or more"), devices.stderr)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-notadir-\(UUID().uuidString)")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let results = try runEstbench(["run", "--duration", "1", "--results", file.path + "/sub"])
        XCTAssertEqual(results.status, 2, results.stderr)
        XCTAssertTrue(results.stderr.contains("--results \(file.path)/sub: cannot write results there"), results.stderr)
        XCTAssertFalse(results.stdout.contains("run:"), "nothing ran: \(results.stdout)")
    }

    /// probe: 0 every answer 2xx, 1 another answer, 3 connect failure.
    func testProbeExitStatus() throws {
        let server = try ServeProcess()
        defer { server.stop() }
        let ok = try runEstbench(["probe", "https://127.0.0.1:\(server.port)/.well-known/est/cacerts", "--cacert", server.bundle])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        let missing = try runEstbench(["probe", "https://127.0.0.1:\(server.port)/.well-known/est/nothing", "--cacert", server.bundle])
        XCTAssertEqual(missing.status, 1, missing.stdout + missing.stderr)
        let refused = try runEstbench(["probe", "https://127.0.0.1:1/", "--count", "2"])
        XCTAssertEqual(refused.status, 3, refused.stdout + refused.stderr)
    }
}
