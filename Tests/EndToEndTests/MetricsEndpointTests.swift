import Foundation
import TestSupport
import XCTest

/// `run --metrics-listen`: scraped during a run and after its last operation, parsed by the
/// reference parser (Python `prometheus_client`); the last scrape's totals are result.json's.
final class MetricsEndpointTests: XCTestCase {
    /// Parses exposition text on standard input; prints {"ops": {operation: total}, "latencyCount": {...}, "complete": 0|1, "shards": [...]}.
    static let parser = """
    import sys, json
    from prometheus_client.parser import text_string_to_metric_families
    ops, counts, complete, shards = {}, {}, None, set()
    for family in text_string_to_metric_families(sys.stdin.read()):
        for s in family.samples:
            if 'shard' in s.labels: shards.add(s.labels['shard'])
            if s.name == 'estbench_operations_total':
                ops[s.labels['operation']] = ops.get(s.labels['operation'], 0) + s.value
            if s.name == 'estbench_operation_latency_seconds_count':
                counts[s.labels['operation']] = s.value
            if s.name == 'estbench_run_complete':
                complete = s.value
            assert s.name.startswith('estbench_'), s.name
    print(json.dumps({"ops": ops, "latencyCount": counts, "complete": complete, "shards": sorted(shards)}))
    """

    static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    func scrape(_ url: String) throws -> [String: Any] {
        let page = try tool(["curl", "-sS", "--max-time", "5", url])
        XCTAssertEqual(page.status, 0, page.stderr)
        let parsed = try tool([Self.python, "-c", Self.parser], input: page.stdout)
        XCTAssertEqual(parsed.status, 0, "prometheus_client refused the page: \(parsed.stderr)\n\(String(decoding: page.stdout, as: UTF8.self))")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: parsed.stdout) as? [String: Any])
    }

    func testScrapedDuringAndAfterTheRun() throws {
        let available = try tool([Self.python, "-c", "import prometheus_client"])
        // CI installs it (.ci/run); a missing parser fails the test rather than hiding it.
        guard available.status == 0 else {
            return XCTFail("the reference parser is not installed: apt-get install -y python3-prometheus-client")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (process, output) = try startEstbench(["run", "--devices", "8", "--duration", "4", "--threads", "1", "--shard", "0/1",
                             "--metrics-listen", "127.0.0.1:0", "--metrics-linger", "3", "--results", dir.path])
        let line = try output.waitForLine(on: .stdout, containing: "metrics: http://")
        let url = try XCTUnwrap(line.split(separator: " ").last.map(String.init))
        _ = try output.waitForLine(on: .stdout, containing: "run: ")
        usleep(2_500_000)
        let during = try scrape(url)
        let duringOps = (during["ops"] as? [String: Double] ?? [:]).values.reduce(0, +)
        XCTAssertGreaterThan(duringOps, 0, "operations counted during the run: \(during)")
        XCTAssertEqual(during["complete"] as? Double, 0)
        XCTAssertEqual(during["shards"] as? [String], ["0"])
        _ = try output.waitForLine(on: .stdout, containing: "serving the final figures", timeout: 60)
        let after = try scrape(url)
        XCTAssertEqual(after["complete"] as? Double, 1)
        let (o, e) = try output.waitForEnd(timeout: 60)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, String(decoding: o, as: UTF8.self) + e)
        let folder = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir.path).first)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(folder + "/result.json"))) as? [String: Any])
        let ops = (json["metrics"] as? [String: Any])?["operations"] as? [[String: Any]] ?? []
        XCTAssertFalse(ops.isEmpty)
        let scraped = after["ops"] as? [String: Double] ?? [:]
        let latencyCounts = after["latencyCount"] as? [String: Double] ?? [:]
        for op in ops {
            let name = op["name"] as? String ?? "?"
            XCTAssertEqual(scraped[name].map { Int($0) }, op["count"] as? Int, "\(name): last scrape vs result.json")
            let total = ((op["histograms"] as? [String: Any])?["total"] as? [String: Any])?["totalCount"] as? Int
            XCTAssertEqual(latencyCounts[name].map { Int($0) }, total, "\(name): latency histogram count vs result.json")
        }
        XCTAssertGreaterThanOrEqual(scraped.values.reduce(0, +), duringOps)
    }
}
