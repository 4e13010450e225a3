import Foundation
import PKI

/// What `estbench run` executes: the validated profile with defaults filled, its name and the
/// overridden paths. Holds secret sources, never secrets, so its encoding is the redacted form
/// written to result.json; `basicPassword()` reads the password only when asked.
public struct RunPlan: Sendable, Equatable, Encodable {
    public var name: String
    public var profile: Profile
    /// Paths changed from the command line, in order (values are not kept: they may be sensitive).
    public var overriddenPaths: [String]
    /// This process's shard of the plan (nil: all of it). Not encoded: every shard's plan, and so
    /// its hash, is the same.
    public var shard: Shard?

    enum CodingKeys: String, CodingKey { case name, profile, overriddenPaths }

    public init(name: String, profile: Profile, overriddenPaths: [String] = [], shard: Shard? = nil) {
        self.name = name
        self.profile = profile
        self.overriddenPaths = overriddenPaths
        self.shard = shard
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

    /// SHA-256 (hex) of the redacted plan: shards of one plan share it, and `merge` refuses shards
    /// whose hashes differ.
    public var planHash: String {
        let digest: [UInt8]
        // SHA-256 over bytes in memory fails only when OpenSSL cannot allocate: then there is no hash to give.
        do { digest = try MessageDigest.hash(Array(redactedJSON().utf8), algorithm: "SHA256") } catch { return "unavailable: \(error)" }
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// Devices the whole plan needs: the closed model's concurrent devices (at most the population),
    /// or the whole population for the open model and a search.
    public var planDeviceCount: Int {
        if case .closed(let devices, _) = profile.load { return min(profile.devices.count, devices) }
        return profile.devices.count
    }

    /// The global indices of the devices this process runs: all of them, or its shard's slice (so
    /// CNs and keys never collide between shards).
    public var deviceRange: Range<Int> {
        shard.map { $0.range(of: planDeviceCount) } ?? 0..<planDeviceCount
    }

    /// This process's part of `stop.operations` (split exactly between shards).
    public var operationLimit: Int? {
        profile.stop.operations.map { total in shard.map { $0.share(of: total) } ?? total }
    }

    /// Why this plan cannot run as `shard`, or nil: a capacity search is one process's judgement,
    /// and a shard with no devices or no operations would measure nothing.
    public var shardProblem: String? {
        guard let shard else { return nil }
        if case .search = profile.load {
            return "a capacity search cannot run in shards (--shard \(shard)): its steps are judged on one process's measurements; run it from one process (with --threads)"
        }
        if deviceRange.isEmpty {
            return "shard \(shard) gets no devices: the plan has \(planDeviceCount) device(s) for \(shard.count) shards"
        }
        if let limit = operationLimit, limit == 0 {
            return "shard \(shard) gets no operations: stop.operations is \(profile.stop.operations ?? 0) for \(shard.count) shards"
        }
        return nil
    }

    /// The open model's schedule, or nil for the closed model.
    public var arrivalSchedule: ArrivalSchedule? {
        guard case .open(let open) = profile.load else { return nil }
        return ArrivalSchedule(open)
    }

    /// The token bucket for `maxNewConnectionsPerSecond`, or nil when uncapped.
    public var connectionRateLimiter: ConnectionRateLimiter? {
        profile.maxNewConnectionsPerSecond.map { rate in ConnectionRateLimiter(perSecond: shard.map { $0.share(ofRate: rate) } ?? rate) }
    }
}

extension RunPlan: CustomStringConvertible {
    public var description: String { redactedJSON() }
}
