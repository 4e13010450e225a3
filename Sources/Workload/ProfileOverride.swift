/// A command-line change to the profile tree, applied before validation: `--set path=value`
/// (value read as YAML, so `[X25519]` is a list) or a removal that a convenience flag implies.
public enum ProfileOverride: Sendable, Equatable {
    case set(ProfilePath, ProfileNode)
    case remove(ProfilePath)
    /// Sets the first path only where the tree has it equal to the second: a field that followed
    /// another keeps following it (`--devices` and `load.closed.devices`).
    case follow(ProfilePath, ProfileNode, ifEqualTo: ProfilePath)

    /// Parses a `--set` argument, `path=value`.
    public init(parsing argument: String) throws(ProfileError) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw .invalid([ProfileIssue(path: argument.isEmpty ? "profile" : argument,
                                         message: "override needs the form path=value")])
        }
        let path: ProfilePath
        do {
            path = try ProfilePath(parsing: String(argument[..<equals]))
        } catch {
            throw .invalid([error])
        }
        self = .set(path, Self.value(String(argument[argument.index(after: equals)...])))
    }

    /// The overrides a common flag stands for (`--rate 500`, `--devices 10`, ...).
    public init(flag: ProfileFlag, value: String) {
        self = .set(flag.path, Self.value(value))
    }

    /// Overrides for a common flag, plus the removals that make it unambiguous:
    /// `--rate` switches the load to a constant open rate, dropping closed, search, ramp, steps and burst;
    /// `--devices` also sets `load.closed.devices` where the profile had it equal to `devices.count`
    /// (all devices at once stays all devices at once).
    public static func overrides(flag: ProfileFlag, value: String) -> [ProfileOverride] {
        var result: [ProfileOverride] = []
        if flag == .rate {
            for removed in [["load", "closed"], ["load", "search"], ["load", "open", "ramp"], ["load", "open", "steps"], ["load", "open", "burst"]] {
                result.append(.remove(ProfilePath(removed.map { .key($0) })))
            }
        }
        if flag == .devices {
            // Before devices.count changes: the comparison is with the profile's own count.
            result.append(.follow(ProfilePath([.key("load"), .key("closed"), .key("devices")]), Self.value(value), ifEqualTo: flag.path))
        }
        result.append(ProfileOverride(flag: flag, value: value))
        return result
    }

    /// A value as YAML (`500`, `[a, b]`, `{from: 0, to: 9, seconds: 3}`), or plain text when it is not YAML.
    static func value(_ text: String) -> ProfileNode {
        (try? ProfileNode.parse(yaml: text)) ?? .scalar(text)
    }
}
