import Foundation
import XCTest

/// `estbench bench calibrate`: h2load and estbench against a child `estbench serve`, their CPU per
/// request and its ratio. Figures from a debug build on a busy machine mean nothing: the structure,
/// the counts and that every figure was measured are what is checked.
final class BenchCalibrateTests: XCTestCase {
    /// h2load's path, or a failure saying how to get it (.ci/run installs it).
    func h2load() throws -> String {
        let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { $0 + "/h2load" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        return try XCTUnwrap(found, "these tests need h2load: apt-get install -y nghttp2-client")
    }

    func testBothModesGiveEveryFigureAndMatchingCounts() throws {
        _ = try h2load()
        let r = try runEstbench(["bench", "calibrate", "--requests", "20", "--pairs", "2", "--rate", "200", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertTrue((document["h2load"] as? String ?? "").hasPrefix("h2load nghttp2/"), "\(document)")
        let modes = document["modes"] as? [[String: Any]] ?? []
        XCTAssertEqual(modes.map { $0["mode"] as? String }, ["keepalive", "newconn"])
        for mode in modes {
            XCTAssertEqual(mode["requests"] as? Int, 20)
            for client in ["h2load", "estbench"] {
                let runs = mode[client] as? [[String: Any]] ?? []
                XCTAssertEqual(runs.count, 2, "\(client): \(mode)")
                for run in runs {
                    XCTAssertEqual(run["client"] as? String, client)
                    XCTAssertEqual(run["succeeded"] as? Int, 20, "\(run)")
                    XCTAssertGreaterThan(run["processCPUNs"] as? Int ?? 0, 0, "\(run)")
                    XCTAssertGreaterThan(run["serverCPUNs"] as? Int ?? 0, 0, "\(run)")
                    // The kernel's part of the server's CPU, read from /proc (to the clock tick): within the whole.
                    let system = try XCTUnwrap(run["serverSystemCPUNs"] as? Int, "\(run)")
                    XCTAssertTrue(system >= 0 && system <= run["serverCPUNs"] as? Int ?? 0, "\(run)")
                    // Only estbench reports its load threads' CPU apart from the rest of the process.
                    XCTAssertEqual(run["loadThreadsCPUNs"] != nil, client == "estbench", "\(run)")
                }
            }
            for figure in ["h2loadUsPerRequest", "estbenchUsPerOperation", "estbenchProcessUsPerOperation", "ratio", "processRatio",
                           "serverUsPerRequestUnderH2load", "serverUsPerRequestUnderEstbench"] {
                let spread = try XCTUnwrap(mode[figure] as? [String: Double], figure)
                let (low, median, high) = (spread["min"] ?? 0, spread["median"] ?? 0, spread["max"] ?? 0)
                XCTAssertTrue(low > 0 && low <= median && median <= high, "\(figure): \(spread)")
            }
        }
        XCTAssertGreaterThan(document["benchIssueUs"] as? Double ?? 0, 0, "\(document)")
        let overIssue = document["serverKeepaliveOverBenchIssue"] as? Double ?? 0
        XCTAssertGreaterThan(overIssue, 0, "\(document)")
        // Without the kernel's part the server's ratio is smaller, or equal when no clock tick fell to the kernel.
        let userOverIssue = document["serverKeepaliveUserOverBenchIssue"] as? Double ?? 0
        XCTAssertTrue(userOverIssue > 0 && userOverIssue <= overIssue, "\(document)")
        XCTAssertGreaterThanOrEqual(document["serverKeepaliveKernelUs"] as? Double ?? -1, 0, "\(document)")
        XCTAssertTrue(r.stderr.contains("calibrate: newconn pair 2/2"), r.stderr)
    }

    func testTextNamesEachFigure() throws {
        _ = try h2load()
        let r = try runEstbench(["bench", "calibrate", "--requests", "10", "--pairs", "1", "--mode", "newconn"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("newconn (10 × enrollment on a new TLS 1.3 connection, 1 pair(s)") }, r.stdout)
        for prefix in ["  h2load ", "  estbench ", "  ratio estbench / h2load: ", "  server "] {
            XCTAssertEqual(lines.filter { $0.hasPrefix(prefix) }.count, 1, "\(prefix): \(r.stdout)")
        }
        XCTAssertFalse(r.stdout.contains("keepalive"), "only the mode asked for: \(r.stdout)")
    }

    /// Without h2load: one line saying how to get it, exit 2, no server started.
    func testMissingH2loadSaysHowToGetIt() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-nopath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: empty) }
        let r = try runEstbench(["bench", "calibrate", "--requests", "10"], environment: ["PATH": empty.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("h2load is not installed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("apt-get install -y nghttp2-client"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertFalse(r.stderr.contains("calibrate: server"), r.stderr)
    }
}
