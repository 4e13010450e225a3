import XCTest
@testable import Workload

/// `--set path=value` and the common flags change the tree before validation; bad paths are issues naming them.
final class ProfileOverrideTests: XCTestCase {

    private func plan(_ yaml: String = ProfileFixtures.minimal, _ overrides: [ProfileOverride]) throws -> RunPlan {
        try RunPlan.load(yaml: yaml, name: "o", overrides: overrides)
    }

    private func set(_ argument: String) throws -> ProfileOverride { try ProfileOverride(parsing: argument) }

    func testSetChangesValues() throws {
        let yaml = try String(contentsOf: ProfileFixtures.profilesDirectory.appendingPathComponent("enroll-closed.yaml"), encoding: .utf8)
        let result = try plan(yaml, [set("devices.count=10"), set("load.closed.devices=10"), set("lifecycle[0].repeat=3"),
                                     set("target.tls.groups=[X25519]"), set("lifecycle[3]={op: csrattrs}")])
        XCTAssertEqual(result.profile.devices.count, 10)
        XCTAssertEqual(result.profile.load, .closed(devices: 10, thinkTimeMs: 500))
        XCTAssertEqual(result.profile.target.tls.groups, ["X25519"])
        guard case .steps(let steps) = result.profile.lifecycle else { return XCTFail("expected steps") }
        XCTAssertEqual(steps.first, LifecycleStep(operation: .cacerts, repeatCount: 3))
        XCTAssertEqual(steps.last, LifecycleStep(operation: .csrattrs))
        XCTAssertEqual(result.overriddenPaths, ["devices.count", "load.closed.devices", "lifecycle[0].repeat", "target.tls.groups", "lifecycle[3]"])
    }

    func testSetOpenRateOnOpenProfile() throws {
        let yaml = ProfileFixtures.minimal.replacingOccurrences(of: "{closed: {}}", with: "{open: {rate: 100}}")
        XCTAssertEqual(try plan(yaml, [set("load.open.rate=500")]).profile.load, .open(.rate(ramp: nil, steps: [], hold: 500)))
    }

    func testCommonFlags() throws {
        var overrides: [ProfileOverride] = []
        overrides += ProfileOverride.overrides(flag: .target, value: "https://est.example:8443")
        overrides += ProfileOverride.overrides(flag: .rate, value: "250")
        overrides += ProfileOverride.overrides(flag: .devices, value: "20")
        overrides += ProfileOverride.overrides(flag: .duration, value: "30")
        overrides += ProfileOverride.overrides(flag: .requests, value: "1000")
        let profile = try plan(ProfileFixtures.minimal, overrides).profile
        XCTAssertEqual(profile.target.url, "https://est.example:8443")
        XCTAssertEqual(profile.load, .open(.rate(ramp: nil, steps: [], hold: 250)), "--rate switches a closed profile to a constant open rate")
        XCTAssertEqual(profile.devices.count, 20)
        XCTAssertEqual(profile.stop, StopCondition(durationSeconds: 30, operations: 1000))
    }

    /// `--devices N` keeps "all devices at once": load.closed.devices follows devices.count where the
    /// profile had them equal (the default profile: 20 and 20), and only there.
    func testDevicesFlagCarriesClosedDevicesThatEqualedTheCount() throws {
        let equal = "devices: {count: 20}\nlifecycle: [{op: cacerts}]\nload: {closed: {devices: 20}}\nstop: {durationSeconds: 10}"
        let scaled = try plan(equal, ProfileOverride.overrides(flag: .devices, value: "8"))
        XCTAssertEqual(scaled.profile.devices.count, 8)
        XCTAssertEqual(scaled.profile.load, .closed(devices: 8, thinkTimeMs: 0))
        XCTAssertEqual(scaled.overriddenPaths, ["load.closed.devices", "devices.count"])
        let fewer = equal.replacingOccurrences(of: "count: 20", with: "count: 100")
        let kept = try plan(fewer, ProfileOverride.overrides(flag: .devices, value: "50"))
        XCTAssertEqual(kept.profile.load, .closed(devices: 20, thinkTimeMs: 0), "20 of 100 at once is not all of them")
        XCTAssertEqual(kept.overriddenPaths, ["devices.count"])
        let open = ProfileFixtures.minimal.replacingOccurrences(of: "{closed: {}}", with: "{open: {rate: 100}}")
        XCTAssertEqual(try plan(open, ProfileOverride.overrides(flag: .devices, value: "8")).profile.load,
                       .open(.rate(ramp: nil, steps: [], hold: 100)), "no closed section is made")
    }

    func testRateFlagDropsRamp() throws {
        let yaml = try String(contentsOf: ProfileFixtures.profilesDirectory.appendingPathComponent("open-rate.yaml"), encoding: .utf8)
        XCTAssertEqual(try plan(yaml, ProfileOverride.overrides(flag: .rate, value: "500")).profile.load,
                       .open(.rate(ramp: nil, steps: [], hold: 500)))
    }

    func testOverrideValueIsValidated() {
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["devices.count=ten"]),
                       [ProfileIssue(path: "devices.count", message: "expected an integer, got \"ten\"")])
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["lifecycle[0].op=simpleenrol"]),
                       [ProfileIssue(path: "lifecycle[0].op", message: "unknown operation \"simpleenrol\"; expected one of cacerts, simpleenroll, simplereenroll, fullcmc, serverkeygen, csrattrs")])
    }

    func testUnknownOverridePathIsAnUnknownField() {
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["devices.colour=red"]),
                       [ProfileIssue(path: "devices.colour", message: "unknown field; expected one of count, keyType, csr, pool, generate, fleet")])
    }

    func testBadOverridePaths() {
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["lifecycle[5].repeat=2"]),
                       [ProfileIssue(path: "lifecycle[5]", message: "index out of range; lifecycle has 1 entries")])
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["lifecycle.op=cacerts"]),
                       [ProfileIssue(path: "lifecycle", message: "is a sequence; address its entries by index, e.g. lifecycle[0]")])
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["devices.count.max=3"]),
                       [ProfileIssue(path: "devices.count", message: "is a value (\"10\"), not a mapping; cannot set field \"max\"")])
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["devices[0]=3"]),
                       [ProfileIssue(path: "devices", message: "is not a sequence; cannot take index [0]")])
    }

    func testMalformedOverrideArguments() {
        XCTAssertThrowsError(try ProfileOverride(parsing: "devices.count")) { error in
            XCTAssertEqual((error as? ProfileError)?.issues, [ProfileIssue(path: "devices.count", message: "override needs the form path=value")])
        }
        XCTAssertThrowsError(try ProfileOverride(parsing: "lifecycle[x].op=cacerts")) { error in
            XCTAssertEqual((error as? ProfileError)?.issues, [ProfileIssue(path: "lifecycle[x].op",
                message: "malformed path; expected keys separated by '.' with optional [index], e.g. lifecycle[0].repeat")])
        }
    }

    func testPathRoundTrip() throws {
        XCTAssertEqual(try ProfilePath(parsing: "lifecycle[2].op").description, "lifecycle[2].op")
        XCTAssertEqual(try ProfilePath(parsing: "a.b[0][1].c").segments, [.key("a"), .key("b"), .index(0), .index(1), .key("c")])
    }
}
