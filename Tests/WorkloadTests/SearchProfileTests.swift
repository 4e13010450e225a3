import Metrics
import XCTest
@testable import Workload

/// `load.search`: parsed with defaults, and every problem named by its path — a search without
/// thresholds, without a duration to bound it, or with a range, warm-up or resolution that cannot work.
final class SearchProfileTests: XCTestCase {
    let base = "devices: {count: 100}\nlifecycle: [{op: simpleenroll}]\nthresholds: {simpleenroll: {p99Ms: 500}}\n"

    func testASearchIsParsedWithItsDefaults() throws {
        let plan = try RunPlan.load(yaml: base + "load: {search: {from: 50, to: 5000}}\nstop: {durationSeconds: 600}", name: "s")
        XCTAssertEqual(plan.profile.load, .search(SearchPlan(from: 50, to: 5000, stepSeconds: 20, warmupSeconds: 5, resolution: 0.05, growth: 2)))
        let full = try RunPlan.load(yaml: base + """
        load: {search: {from: 10, to: 100, stepSeconds: 3, warmupSeconds: 1, resolution: 0.1, growth: 1.5}}
        stop: {durationSeconds: 60}
        """, name: "s")
        XCTAssertEqual(full.profile.load, .search(SearchPlan(from: 10, to: 100, stepSeconds: 3, warmupSeconds: 1, resolution: 0.1, growth: 1.5)))
        XCTAssertTrue(full.redactedJSON().contains("\"search\""), "the plan in result.json names the search")
        // Overridable like every field.
        let overridden = try RunPlan.load(yaml: base + "load: {search: {from: 50, to: 5000}}\nstop: {durationSeconds: 600}", name: "s",
                                          overrides: [try ProfileOverride(parsing: "load.search.to=800")])
        XCTAssertEqual(overridden.profile.load, .search(SearchPlan(from: 50, to: 800)))
        // --rate runs the profile at one constant rate instead (its thresholds judge the run).
        let constant = try RunPlan.load(yaml: base + "load: {search: {from: 50, to: 5000}}\nstop: {durationSeconds: 600}", name: "s",
                                        overrides: ProfileOverride.overrides(flag: .rate, value: "300"))
        XCTAssertEqual(constant.profile.load, .open(.rate(ramp: nil, steps: [], hold: 300)))
    }

    func testASearchWithoutThresholdsIsBadInput() {
        XCTAssertEqual(ProfileFixtures.issues("""
        devices: {count: 100}
        lifecycle: [{op: simpleenroll}]
        load: {search: {from: 50, to: 5000}}
        stop: {durationSeconds: 600}
        """), [ProfileIssue(path: "load.search", message: "a capacity search needs thresholds (its SLO: each step holds only if every threshold held); add a thresholds section, e.g. thresholds: {all: {p99Ms: 500, errorRate: 0.01}}")])
    }

    func testBadSearchesNameTheirPaths() {
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {to: 5000}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load.search.from", message: "required field missing")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 500, to: 50}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load.search.to", message: "50 is not above from (500); a search needs a range of rates")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50, stepSeconds: 5, warmupSeconds: 4.5}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load.search.warmupSeconds", message: "4.5 leaves less than 1 s of stepSeconds (5) measured; allowed: 0 to stepSeconds − 1")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50, resolution: 5}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load.search.resolution", message: "5 is not a fraction; allowed: above 0 up to 1 (0.05 is 5%)")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50, growth: 1}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load.search.growth", message: "1 is out of range; allowed: above 1 up to 10 (2 doubles the rate each step)")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 5e7}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load.search.to", message: "50000000 is more than 1000000 arrivals per second")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50, stepSecs: 5}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load.search.stepSecs", message: "unknown field; expected one of from, to, stepSeconds, warmupSeconds, resolution, growth")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50}, open: {rate: 5}}\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "load", message: "open and search are mutually exclusive; choose one")])
    }

    func testTheStopBoundsTheSearch() {
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50}}\nstop: {durationSeconds: 10}"),
                       [ProfileIssue(path: "stop.durationSeconds", message: "10 is shorter than one search step (load.search.stepSeconds 20); it bounds the whole search")])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50}}\nstop: {operations: 100}"), [
            ProfileIssue(path: "stop.durationSeconds", message: "required with load.search: it bounds the whole search"),
            ProfileIssue(path: "stop.operations", message: "cannot bound a capacity search (each step runs load.search.stepSeconds); use stop.durationSeconds"),
        ])
        XCTAssertEqual(ProfileFixtures.issues(base + "load: {search: {from: 5, to: 50}}\nwarmupSeconds: 3\nstop: {durationSeconds: 600}"),
                       [ProfileIssue(path: "warmupSeconds", message: "a capacity search warms up every step: use load.search.warmupSeconds instead")])
    }
}
