import XCTest
@testable import Workload

/// Shared inputs for the Workload tests: the smallest valid profile, the repository's example
/// profiles, and a helper that returns the issues a profile yields.
enum ProfileFixtures {
    static let minimal = """
        devices: {count: 10}
        lifecycle:
          - op: simpleenroll
        load: {closed: {}}
        stop: {durationSeconds: 10}
        """

    /// `Profiles/` at the package root.
    static var profilesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Profiles")
    }

    /// The issues `yaml` (with `overrides`) yields; fails the test on another kind of error.
    static func issues(_ yaml: String, overrides: [String] = [],
                       file: StaticString = #filePath, line: UInt = #line) -> [ProfileIssue] {
        do {
            let parsed = try overrides.map { argument throws(ProfileError) in try ProfileOverride(parsing: argument) }
            _ = try RunPlan.load(yaml: yaml, name: "test", overrides: parsed)
            XCTFail("expected the profile to be refused", file: file, line: line)
            return []
        } catch {
            guard case .invalid(let issues) = error else {
                XCTFail("expected .invalid, got \(error)", file: file, line: line)
                return []
            }
            return issues
        }
    }
}
