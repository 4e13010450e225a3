import Foundation

/// What `estbench run` executes: the validated profile with defaults filled, its name and the
/// overridden paths. Holds secret sources, never secrets, so its encoding is the redacted form
/// written to result.json; `basicPassword()` reads the password only when asked.
public struct RunPlan: Sendable, Equatable, Encodable {
    public var name: String
    public var profile: Profile
    /// Paths changed from the command line, in order (values are not kept: they may be sensitive).
    public var overriddenPaths: [String]

    public init(name: String, profile: Profile, overriddenPaths: [String] = []) {
        self.name = name
        self.profile = profile
        self.overriddenPaths = overriddenPaths
    }

    /// Parses `yaml`, applies `overrides` to the tree, validates; every problem lands in one error.
    public static func load(yaml: String, name: String, overrides: [ProfileOverride] = []) throws(ProfileError) -> RunPlan {
        let tree = try ProfileNode.parse(yaml: yaml)
        let (overridden, overrideIssues, applied) = tree.applying(overrides)
        var reader = ProfileReader()
        let profile = reader.profile(overridden)
        let issues = overrideIssues + reader.issues
        guard issues.isEmpty, let profile else { throw .invalid(issues) }
        let paths = applied.map { override -> String in
            switch override {
            case .set(let path, _), .follow(let path, _, _): return path.description
            case .remove(let path): return "-" + path.description
            }
        }
        return RunPlan(name: name, profile: profile, overriddenPaths: paths)
    }

    /// Reads and loads a profile file; the plan is named after the file without `.yaml`/`.yml`.
    public static func load(file path: String, overrides: [ProfileOverride] = []) throws(ProfileError) -> RunPlan {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return try load(yaml: text, name: name, overrides: overrides)
    }

    /// The Basic password, read from its environment variable or file now; nil when the profile has no Basic credentials.
    public func basicPassword(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError) -> String? {
        guard let basic = profile.target.basic else { return nil }
        return try basic.password(environment: environment)
    }

    /// The plan as sorted-key JSON with secret sources named and no secret values: result.json's `plan`.
    public func redactedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain structs, enums, strings and numbers cannot fail.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The open model's schedule, or nil for the closed model.
    public var arrivalSchedule: ArrivalSchedule? {
        guard case .open(let open) = profile.load else { return nil }
        return ArrivalSchedule(open)
    }

    /// The token bucket for `maxNewConnectionsPerSecond`, or nil when uncapped.
    public var connectionRateLimiter: ConnectionRateLimiter? {
        profile.maxNewConnectionsPerSecond.map { ConnectionRateLimiter(perSecond: $0) }
    }
}

extension RunPlan: CustomStringConvertible {
    public var description: String { redactedJSON() }
}
