import Foundation
import XCTest

/// `estbench compare` calibrated on real runs against `estbench serve`: an A/A comparison (one server,
/// BASE and HEAD interleaved, 5 runs each) flags few rows; an A/B comparison against a server adding
/// 25 ms to every simpleenroll finds the shift. Each run is 1.5 s of one device in the closed model.
final class CompareTests: XCTestCase {
    /// One device, no think time, a new connection per operation (so connect and TLS are sampled
    /// hundreds of times per run, not once): nothing queues, so a server delay shows undiluted.
    static let profile = """
    devices:
      count: 1
    lifecycle:
      - op: simpleenroll
    connection:
      newPerOperation: true
    load:
      closed:
        devices: 1
    stop:
      durationSeconds: 1.5
    """

    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.profile.write(to: directory.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func compareRun(base: ServeProcess, head: ServeProcess, extra: [String] = []) throws -> (status: Int32, json: [String: Any], text: String) {
        let r = try runEstbench(["compare", "--run", directory.appendingPathComponent("p.yaml").path,
                                 "--base-target", "https://127.0.0.1:\(base.port)", "--base-set", "target.caBundle=\(base.bundle)",
                                 "--head-target", "https://127.0.0.1:\(head.port)", "--head-set", "target.caBundle=\(head.bundle)",
                                 "--repeat", "5", "--results", directory.appendingPathComponent("results").path, "--json"] + extra)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout + r.stderr)
        return (r.status, json, r.stdout + r.stderr)
    }

    static func rows(_ json: [String: Any]) -> [[String: Any]] { json["rows"] as? [[String: Any]] ?? [] }

    /// Same server on both sides: the rank test's false-alarm rate per row is 2·P(U ≤ 2) = 8/252 ≈ 3.2%
    /// (5 + 5 runs, no correction for multiple rows — as benchstat); at most 10% of the rows may be flagged.
    /// Rows move together (a chance shift of one side's runs moves every phase of an operation), so one
    /// A/A can flag a clump by chance a few times in a hundred: the comparison is made again once before
    /// the test fails, so it fails by chance well under once in a hundred — and every time the method flags too much.
    func testAAComparisonFlagsFewRows() throws {
        let server = try ServeProcess()
        defer { server.stop() }
        var r = try compareRun(base: server, head: server)
        let flaggedFirst = Self.rows(r.json).filter { ["worse", "better"].contains($0["verdict"] as? String) }.count
        if Double(flaggedFirst) > 0.1 * Double(Self.rows(r.json).count) {
            try FileManager.default.removeItem(at: directory.appendingPathComponent("results"))
            r = try compareRun(base: server, head: server)
        }
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(r.json["method"] as? String, "mann-whitney-hodges-lehmann")
        let rows = Self.rows(r.json)
        XCTAssertGreaterThanOrEqual(rows.count, 20, r.text) // rate, errorRate, 4 percentiles × 5 phases
        let flagged = rows.filter { ["worse", "better"].contains($0["verdict"] as? String) }
        XCTAssertLessThanOrEqual(Double(flagged.count), 0.1 * Double(rows.count),
                                 "flagged: \(flagged.map { "\($0["phase"]!).\($0["metric"]!)" })\n" + r.text)
        for row in rows { XCTAssertEqual(row["baseSamples"] as? Int, 5) }
        // The runs are where compare made them: 5 per side.
        let parent = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("results").path).first)
        for side in ["base", "head"] {
            let runs = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("results/\(parent)/\(side)").path)
            XCTAssertEqual(runs.count, 5, side)
        }
    }

    /// HEAD adds 25 ms to every simpleenroll: p50 is worse, its interval excludes 0, and the delta is
    /// within 5 ms of the shift measured straight from the runs' own p50s; the gate fails (exit 1). The
    /// shift is large against a loaded machine's noise (2 ms was lost in it under AddressSanitizer).
    func testABComparisonFindsTheServersAddedDelay() throws {
        let base = try ServeProcess()
        defer { base.stop() }
        let head = try ServeProcess(["--fault", "simpleenroll:delay:25=1"])
        defer { head.stop() }
        let r = try compareRun(base: base, head: head, extra: ["--fail-on", "simpleenroll.p50:+10%", "--fail-on", "errorRate:+0.01"])
        XCTAssertEqual(r.status, 1, r.text)
        let p50 = try XCTUnwrap(Self.rows(r.json).first { $0["operation"] as? String == "simpleenroll" && $0["phase"] as? String == "total"
                && $0["metric"] as? String == "p50" }, r.text)
        XCTAssertEqual(p50["verdict"] as? String, "worse", r.text)
        let interval = try XCTUnwrap(p50["interval"] as? [Double], r.text)
        XCTAssertGreaterThan(interval[0], 0, r.text)
        let delta = try XCTUnwrap(p50["delta"] as? Double)
        // Directly: each run's p50 from its result.json, HEAD's mean minus BASE's mean.
        let parent = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("results").path).first)
        func meanP50(_ side: String) throws -> Double {
            let folder = directory.appendingPathComponent("results/\(parent)/\(side)")
            var values: [Double] = []
            for run in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("\(run)/result.json"))) as? [String: Any]
                let total = (operation(json, "simpleenroll")?["latency"] as? [String: Any])?["total"] as? [String: Any]
                values.append(try XCTUnwrap(total?["p50Us"] as? Double) / 1000)
            }
            XCTAssertEqual(values.count, 5)
            return values.reduce(0, +) / Double(values.count)
        }
        let direct = try meanP50("head") - meanP50("base")
        XCTAssertGreaterThan(direct, 15, r.text)
        XCTAssertEqual(delta, direct, accuracy: 5.0, r.text)
        let gates = r.json["gates"] as? [[String: Any]] ?? []
        XCTAssertEqual((gates.first?["failed"] as? [String]), ["simpleenroll.p50"], r.text)
        XCTAssertEqual((gates.last?["failed"] as? [String])?.count, 0, r.text)
    }

    /// `run --repeat 2` makes one parent folder of two runs; compare refuses plans that differ beyond the
    /// target (exit 2, naming the path and --force), and takes them with --force; a bad rule is exit 2.
    func testRepeatFolderAndComparability() throws {
        let results = directory.appendingPathComponent("results").path
        let repeated = try runEstbench(["run", "--repeat", "2", "--devices", "1", "--duration", "0.5", "--threads", "1", "--results", results])
        XCTAssertEqual(repeated.status, 0, repeated.stdout + repeated.stderr)
        let parents = try FileManager.default.contentsOfDirectory(atPath: results)
        XCTAssertEqual(parents.count, 1)
        let parent = try XCTUnwrap(parents.first)
        XCTAssertTrue(parent.hasSuffix("-default-x2"), parent)
        let runs = try FileManager.default.contentsOfDirectory(atPath: results + "/" + parent).sorted()
        XCTAssertEqual(runs.count, 2)
        let other = directory.appendingPathComponent("other").path
        let single = try runEstbench(["run", "--devices", "1", "--duration", "0.6", "--threads", "1", "--results", other])
        XCTAssertEqual(single.status, 0, single.stderr)
        let refused = try runEstbench(["compare", results + "/" + parent, other])
        XCTAssertEqual(refused.status, 2, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("stop.durationSeconds") && refused.stderr.contains("--force"), refused.stderr)
        let forced = try runEstbench(["compare", results + "/" + parent, other, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stdout + forced.stderr)
        XCTAssertTrue(forced.stdout.contains("simpleenroll"), forced.stdout)
        let same = try runEstbench(["compare", results + "/" + parent + "/" + runs[0], results + "/" + parent + "/" + runs[1],
                                    "--html", directory.appendingPathComponent("c.html").path])
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertTrue(same.stdout.contains("block bootstrap"), same.stdout)
        let html = try String(contentsOf: directory.appendingPathComponent("c.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<table class=\"grid\">") && html.contains("<svg"), String(html.prefix(400)))
        let bad = try runEstbench(["compare", results + "/" + parent, results + "/" + parent, "--fail-on", "p99:10%"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("METRIC:(+|-)LIMIT"), bad.stderr)
    }
}
