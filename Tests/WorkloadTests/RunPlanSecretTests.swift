import XCTest
@testable import Workload

/// Passwords: never literal in a profile, read only when asked, never in the redacted plan.
final class RunPlanSecretTests: XCTestCase {
    private let secret = "s3cret-Pa55word"

    private func profile(basic: String) -> String {
        ProfileFixtures.minimal + "\ntarget:\n  url: https://est.example\n  credentials:\n    basic: \(basic)\n"
    }

    func testLiteralPasswordIsRefused() {
        XCTAssertEqual(ProfileFixtures.issues(profile(basic: "{user: dev, password: hunter2}")), [
            ProfileIssue(path: "target.credentials.basic.password", message: "literal passwords are not accepted; use passwordEnv or passwordFile"),
        ])
        XCTAssertEqual(ProfileFixtures.issues(ProfileFixtures.minimal, overrides: ["target.credentials.basic.password=x", "target.credentials.basic.user=u"]), [
            ProfileIssue(path: "target.credentials.basic.password", message: "literal passwords are not accepted; use passwordEnv or passwordFile"),
        ])
    }

    func testPasswordSourceRules() {
        XCTAssertEqual(ProfileFixtures.issues(profile(basic: "{user: dev}")),
                       [ProfileIssue(path: "target.credentials.basic", message: "needs passwordEnv or passwordFile")])
        XCTAssertEqual(ProfileFixtures.issues(profile(basic: "{user: dev, passwordEnv: A, passwordFile: /p}")),
                       [ProfileIssue(path: "target.credentials.basic", message: "passwordEnv and passwordFile are mutually exclusive; choose one")])
        XCTAssertEqual(ProfileFixtures.issues(profile(basic: "{user: dev, passwordEnv: 1A}")),
                       [ProfileIssue(path: "target.credentials.basic.passwordEnv", message: "\"1A\" is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)")])
    }

    func testPasswordFromEnvironmentIsResolvedOnlyWhenAsked() throws {
        let plan = try RunPlan.load(yaml: profile(basic: "{user: dev, passwordEnv: EST_TEST_PASSWORD}"), name: "s")
        XCTAssertEqual(try plan.basicPassword(environment: ["EST_TEST_PASSWORD": secret]), secret)
        XCTAssertThrowsError(try plan.basicPassword(environment: [:])) { error in
            XCTAssertEqual(error as? SecretError, .environmentVariableUnset(name: "EST_TEST_PASSWORD"))
        }
        XCTAssertThrowsError(try plan.basicPassword(environment: ["EST_TEST_PASSWORD": ""])) { error in
            XCTAssertEqual(error as? SecretError, .empty(source: "env:EST_TEST_PASSWORD"))
        }
    }

    func testPasswordFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-pw-\(UUID().uuidString)").path
        try (secret + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plan = try RunPlan.load(yaml: profile(basic: "{user: dev, passwordFile: \"\(path)\"}"), name: "s")
        XCTAssertEqual(try plan.basicPassword(), secret)
        XCTAssertFalse(plan.redactedJSON().contains(secret))
    }

    func testRedactedFormHasNoSecret() throws {
        let plan = try RunPlan.load(yaml: profile(basic: "{user: dev, passwordEnv: EST_TEST_PASSWORD}"), name: "s")
        XCTAssertEqual(try plan.basicPassword(environment: ["EST_TEST_PASSWORD": secret]), secret)
        let json = plan.redactedJSON()
        XCTAssertFalse(json.contains(secret))
        XCTAssertFalse(plan.description.contains(secret))
        XCTAssertTrue(json.contains("\"password\" : \"env:EST_TEST_PASSWORD\""), json)
        XCTAssertTrue(json.contains("\"url\" : \"https://est.example\""), json)
        // It is JSON an external tool can read back.
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)))
    }
}
