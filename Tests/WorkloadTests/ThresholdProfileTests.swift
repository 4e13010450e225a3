import Metrics
import XCTest
@testable import Workload

/// The `thresholds` section: per operation or `all`, each limit with its path in errors.
final class ThresholdProfileTests: XCTestCase {
    let base = "devices: {count: 2}\nlifecycle: [{op: simpleenroll}]\nload: {closed: {}}\nstop: {durationSeconds: 5}\n"

    func testThresholdsAreReadInProfileOrder() throws {
        let plan = try RunPlan.load(yaml: base + """
        thresholds:
          simpleenroll: {p99Ms: 500, errorRate: 0.01}
          all: {minRate: 100, p50Ms: 2.5, uncorrected: true}
        """, name: "t")
        XCTAssertEqual(plan.profile.thresholds, [
            Threshold(operation: "simpleenroll", metric: .p99Ms, limit: 500),
            Threshold(operation: "simpleenroll", metric: .errorRate, limit: 0.01),
            Threshold(operation: "all", metric: .p50Ms, limit: 2.5, uncorrected: true),
            Threshold(operation: "all", metric: .minRate, limit: 100, uncorrected: true),
        ])
        // Overridable like every field.
        let overridden = try RunPlan.load(yaml: base + "thresholds: {simpleenroll: {p99Ms: 500}}", name: "t",
                                          overrides: [try ProfileOverride(parsing: "thresholds.simpleenroll.p99Ms=250")])
        XCTAssertEqual(overridden.profile.thresholds, [Threshold(operation: "simpleenroll", metric: .p99Ms, limit: 250)])
    }

    func testBadThresholdsNameWhatIsAllowed() {
        XCTAssertEqual(ProfileFixtures.issues(base + "thresholds: {simpleenrol: {p99Ms: 5}}"), [ProfileIssue(path: "thresholds.simpleenrol",
            message: "unknown operation \"simpleenrol\"; expected all or one of cacerts, simpleenroll, simplereenroll, fullcmc, serverkeygen, csrattrs")])
        XCTAssertEqual(ProfileFixtures.issues(base + "thresholds: {all: {p98Ms: 5}}"), [ProfileIssue(path: "thresholds.all.p98Ms",
            message: "unknown field; expected one of p50Ms, p90Ms, p99Ms, p999Ms, maxMs, errorRate, minRate, uncorrected")])
        XCTAssertEqual(ProfileFixtures.issues(base + "thresholds: {all: {errorRate: 5}}"), [ProfileIssue(path: "thresholds.all.errorRate",
            message: "5 is not a fraction; allowed: 0 to 1 (0.01 is 1%)")])
        XCTAssertEqual(ProfileFixtures.issues(base + "thresholds: {all: {p99Ms: -1}}"), [ProfileIssue(path: "thresholds.all.p99Ms",
            message: "must be at least 0, got -1")])
        XCTAssertEqual(ProfileFixtures.issues(base + "thresholds: {all: {}}"), [ProfileIssue(path: "thresholds.all",
            message: "no limit given; expected one or more of p50Ms, p90Ms, p99Ms, p999Ms, maxMs, errorRate, minRate")])
    }
}

/// signatureChecks: all, sample (the default: the first 100, then one in 100) or off.
final class SignatureChecksTests: XCTestCase {
    let base = "devices: {count: 2}\nlifecycle: [{op: simpleenroll}]\nload: {closed: {}}\nstop: {durationSeconds: 5}\n"

    func testProfileFieldAndSampling() throws {
        XCTAssertEqual(try RunPlan.load(yaml: base, name: "t").profile.signatureChecks, .sample)
        XCTAssertEqual(try RunPlan.load(yaml: base + "signatureChecks: all", name: "t").profile.signatureChecks, .all)
        XCTAssertEqual(ProfileFixtures.issues(base + "signatureChecks: some"), [ProfileIssue(path: "signatureChecks",
            message: "unknown value \"some\"; expected one of all, sample, off")])
        XCTAssertEqual((0..<1000).filter { SignatureChecks.sample.verifies($0) }.count, 109, "the first 100, then one in 100")
        XCTAssertEqual((0..<1000).filter { SignatureChecks.all.verifies($0) }.count, 1000)
        XCTAssertEqual((0..<1000).filter { SignatureChecks.off.verifies($0) }.count, 0)
    }
}
