import XCTest
@testable import Workload

/// The `abort` section: the target-unusable rule on by default, an error-rate rule, `off`, and
/// errors naming the path and what is allowed.
final class AbortProfileTests: XCTestCase {
    let base = "devices: {count: 2}\nlifecycle: [{op: simpleenroll}]\nload: {closed: {}}\nstop: {durationSeconds: 5}\n"

    func testDefaultErrorRateAndOff() throws {
        XCTAssertEqual(try RunPlan.load(yaml: base, name: "t").profile.abort, AbortPolicy(targetUnusable: true, errorRate: nil))
        XCTAssertEqual(try RunPlan.load(yaml: base + "abort: {errorRate: 0.9, windowSeconds: 3}", name: "t").profile.abort,
                       AbortPolicy(targetUnusable: true, errorRate: .init(fraction: 0.9, windowSeconds: 3)))
        XCTAssertEqual(try RunPlan.load(yaml: base + "abort: {errorRate: 0.5}", name: "t").profile.abort.errorRate,
                       .init(fraction: 0.5, windowSeconds: 5))
        XCTAssertEqual(try RunPlan.load(yaml: base + "abort: off", name: "t").profile.abort, .off)
        // Overridable like every field.
        XCTAssertEqual(try RunPlan.load(yaml: base, name: "t", overrides: [try ProfileOverride(parsing: "abort=off")]).profile.abort, .off)
    }

    func testBadAbortSectionsNameWhatIsAllowed() {
        XCTAssertEqual(ProfileFixtures.issues(base + "abort: never"), [ProfileIssue(path: "abort",
            message: "unknown abort setting \"never\"; expected off, or a mapping with fields errorRate, windowSeconds")])
        XCTAssertEqual(ProfileFixtures.issues(base + "abort: {errorRate: 1.5}"), [ProfileIssue(path: "abort.errorRate",
            message: "1.5 is not a fraction; allowed: above 0 up to 1 (0.9 is 90%)")])
        XCTAssertEqual(ProfileFixtures.issues(base + "abort: {errorRate: 0.9, windowSeconds: 0}"), [ProfileIssue(path: "abort.windowSeconds",
            message: "must be greater than 0, got 0")])
        XCTAssertEqual(ProfileFixtures.issues(base + "abort: {windowSeconds: 5}"), [ProfileIssue(path: "abort.errorRate",
            message: "required field missing; allowed: a fraction above 0 up to 1 (0.9 is 90%)")])
        XCTAssertEqual(ProfileFixtures.issues(base + "abort: {errorRate: 0.9, window: 5}"), [ProfileIssue(path: "abort.window",
            message: "unknown field; expected one of errorRate, windowSeconds")])
        XCTAssertEqual(ProfileFixtures.issues(base + "abort: {errorRate: 0.9, windowSeconds: 301}"), [ProfileIssue(path: "abort.windowSeconds",
            message: "301 is more than 300; allowed: 1 to 300 seconds")])
    }
}
