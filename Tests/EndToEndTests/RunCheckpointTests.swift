import Foundation
import TestSupport
import XCTest

/// Soak runs checkpoint their results: result.json is rewritten while the run goes on, marked
/// partial, so a run killed outright keeps what it measured; a run that ends replaces the checkpoint
/// in the same folder with its own result.
final class RunCheckpointTests: XCTestCase {
    func results(_ base: URL) -> (folders: [String], json: [String: Any]?) {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        let json = folders.first
            .flatMap { try? Data(contentsOf: base.appendingPathComponent($0).appendingPathComponent("result.json")) }
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return (folders, json)
    }

    func testAKilledRunKeepsItsLastCheckpoint() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let (process, output) = try startEstbench(["run", "--duration", "60", "--threads", "1", "--checkpoint-seconds", "1", "--results", base.path])
        defer { if process.isRunning { process.terminate() } }
        try output.waitForLine(on: .stderr, "progress line with completed operations") { (progressOperations($0) ?? 0) > 0 }
        // A checkpoint with operations in it (one a second; generous on a loaded machine).
        let deadline = Date().addingTimeInterval(30)
        var counted = 0
        while counted == 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
            if let json = results(base).json, json["partial"] as? Bool == true {
                counted = count(json, "simpleenroll")
            }
        }
        XCTAssertGreaterThan(counted, 0, output.stdout + output.stderr)
        kill(process.processIdentifier, SIGKILL)
        _ = try output.waitForEnd()
        process.waitUntilExit()
        let (folders, json) = results(base)
        XCTAssertEqual(folders.count, 1, "\(folders)")
        XCTAssertEqual(json?["partial"] as? Bool, true)
        XCTAssertGreaterThan(count(json, "simpleenroll"), 0)
        XCTAssertGreaterThan(json?["durationNs"] as? Int ?? 0, 0)
        let files = Set((try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(folders[0]).path)) ?? [])
        XCTAssertTrue(files.contains("timeline.csv"), "\(files)")
    }

    func testARunThatEndsReplacesItsCheckpoint() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let r = try runEstbench(["run", "--duration", "4", "--threads", "1", "--checkpoint-seconds", "1", "--results", base.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let (folders, json) = results(base)
        XCTAssertEqual(folders.count, 1, "the checkpoints' folder holds the result: \(folders)")
        XCTAssertNil(json?["partial"], "the final result is not partial")
        XCTAssertNotNil(json?["verdict"])
        XCTAssertFalse(r.stdout.contains("checkpoint could not be written"), r.stdout)
        let bad = try runEstbench(["run", "--checkpoint-seconds", "-1"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
    }
}
