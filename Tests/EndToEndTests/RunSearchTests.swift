import Foundation
import XCTest

/// `estbench run` with `load.search` against the built-in server: the table, result.json's search,
/// and the exit codes — 0 when a rate held, 1 when none did, 2 for a search without thresholds.
final class RunSearchTests: XCTestCase {
    func profile(thresholds: String) -> String {
        """
        devices: {count: 10}
        lifecycle: [{op: cacerts}]
        load: {search: {from: 10, to: 20, stepSeconds: 1.5, warmupSeconds: 0.5}}
        \(thresholds)
        stop: {durationSeconds: 30}
        """
    }

    func testASearchReachingToExitsZeroWithItsSteps() throws {
        let run = try runProfile(profile(thresholds: "thresholds: {all: {errorRate: 0.5}}"))
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("step 1: 10/s"), run.stdout)
        XCTAssertTrue(run.stdout.contains("every step held up to load.search.to: the capacity is at least 20 arrivals/s"), run.stdout)
        XCTAssertTrue(run.stdout.contains("connection.keepAlive"), "the console says whether the SLO includes handshakes")
        let search = try XCTUnwrap(run.json?["search"] as? [String: Any], "\(run.json ?? [:])")
        XCTAssertEqual(search["maxSustainableRate"] as? Double, 20)
        XCTAssertEqual(search["conclusion"] as? String, "reached_to")
        let steps = try XCTUnwrap(search["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["offeredRate"] as? Double }, [10, 20])
        XCTAssertNotNil((steps[0]["operations"] as? [[String: Any]])?.first?["histograms"], "each step keeps its histograms")
    }

    func testASearchWhereNothingHeldExitsOne() throws {
        let run = try runProfile(profile(thresholds: "thresholds: {all: {p99Ms: 0.001}}"))
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("no rate held: the first step (from = 10/s) already broke"), run.stdout)
        let search = try XCTUnwrap(run.json?["search"] as? [String: Any])
        XCTAssertNil(search["maxSustainableRate"] as? Double)
    }

    func testASearchWithoutThresholdsIsBadInput() throws {
        let run = try runProfile(profile(thresholds: ""))
        XCTAssertEqual(run.status, 2, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("load.search: a capacity search needs thresholds"), run.stderr)
        XCTAssertNil(run.json, "nothing was run")
    }
}
