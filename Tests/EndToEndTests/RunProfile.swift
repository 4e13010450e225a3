import Foundation
import XCTest

/// `estbench run` on a profile written for the test, with its result.json read back (run tests share it).
extension XCTestCase {
    func runProfile(_ yaml: String) throws -> (status: Int32, stdout: String, stderr: String, json: [String: Any]?) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = dir.appendingPathComponent("p.yaml").path
        try yaml.write(toFile: profile, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results")
        let r = try runEstbench(["run", profile, "--threads", "2", "--results", results.path])
        let folder = (try? FileManager.default.contentsOfDirectory(atPath: results.path))?.first
        let json = folder.flatMap { try? Data(contentsOf: results.appendingPathComponent($0).appendingPathComponent("result.json")) }
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return (r.status, r.stdout, r.stderr, json)
    }

    /// The result.json entry of one operation.
    func operation(_ json: [String: Any]?, _ op: String) -> [String: Any]? {
        let ops = (json?["metrics"] as? [String: Any])?["operations"] as? [[String: Any]] ?? []
        return ops.first { $0["name"] as? String == op }
    }

    func count(_ json: [String: Any]?, _ op: String) -> Int {
        operation(json, op)?["count"] as? Int ?? -1
    }
}
