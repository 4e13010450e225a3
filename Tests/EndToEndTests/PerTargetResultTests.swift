import Foundation
import TestSupport
import XCTest

/// `target.urls` against two `estbench serve` processes, as two shards merged: each shard's
/// result.json breaks its figures down per target, the console prints a table per target, and the
/// merge adds the targets up by URL.
final class PerTargetResultTests: XCTestCase {
    func testPerTargetBreakdownInResultsAndMerge() throws {
        let a = try ServeProcess()
        let b = try ServeProcess()
        defer {
            a.stop()
            b.stop()
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-targets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }  // a temporary folder: leftovers do no harm
        let bundle = dir.appendingPathComponent("both.pem").path
        try (String(contentsOfFile: a.bundle, encoding: .utf8) + String(contentsOfFile: b.bundle, encoding: .utf8))
            .write(toFile: bundle, atomically: true, encoding: .utf8)
        let urls = ["https://127.0.0.1:\(a.port)", "https://127.0.0.1:\(b.port)"]
        let profile = dir.appendingPathComponent("two.yaml").path
        try """
        target:
          urls: [\(urls.joined(separator: ", "))]
          caBundle: \(bundle)
        devices:
          count: 40
        lifecycle:
          - op: simpleenroll
        load:
          open:
            rate: 20
        stop:
          durationSeconds: 3
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results").path
        let shards = try (0..<2).map { i -> (Process, ProcessOutput) in
            let (process, output) = try startEstbench(["run", profile, "--shard", "\(i)/2", "--start-in", "2s", "--threads", "1", "--results", results])
            return (process, output)
        }
        for (i, (process, output)) in shards.enumerated() {
            let (o, e) = try output.waitForEnd(timeout: 120)
            process.waitUntilExit()
            let text = String(decoding: o, as: UTF8.self)
            XCTAssertEqual(process.terminationStatus, 0, "shard \(i): \(text)\n\(e)")
            for url in urls { XCTAssertTrue(text.contains("--- target \(url) (127.0.0.1:"), "a table per target: \(text)") }
        }
        let folders = try FileManager.default.contentsOfDirectory(atPath: results).map { results + "/" + $0 }
        XCTAssertEqual(folders.count, 2, "\(folders)")
        var perURL: [String: Int] = [:]
        for folder in folders {
            let json = try Self.json(folder + "/result.json")
            let targets = try XCTUnwrap(json["targets"] as? [[String: Any]])
            XCTAssertEqual(targets.compactMap { $0["url"] as? String }, urls)
            let counts = targets.map { Self.count($0["metrics"]) }
            XCTAssertEqual(counts.reduce(0, +), Self.count(json["metrics"]), "per-target counts add up to the total")
            for (target, count) in zip(targets, counts) {
                XCTAssertGreaterThan(count, 0)
                perURL[target["url"] as? String ?? "", default: 0] += count
            }
        }
        let merged = dir.appendingPathComponent("merged").path
        let merge = try runEstbench(["merge"] + folders + ["--out", merged])
        XCTAssertEqual(merge.status, 0, merge.stdout + merge.stderr)
        let json = try Self.json(merged + "/result.json")
        let targets = try XCTUnwrap(json["targets"] as? [[String: Any]])
        XCTAssertEqual(targets.compactMap { $0["url"] as? String }.sorted(), urls.sorted())
        for target in targets {
            XCTAssertEqual(Self.count(target["metrics"]), perURL[target["url"] as? String ?? ""], "merged per target = the shards' sum")
        }
    }

    static func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// simpleenroll's count in a `metrics` section.
    static func count(_ metrics: Any?) -> Int {
        let ops = (metrics as? [String: Any])?["operations"] as? [[String: Any]] ?? []
        return ops.first { $0["name"] as? String == "simpleenroll" }?["count"] as? Int ?? -1
    }
}
