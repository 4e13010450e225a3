import Foundation

/// Typed access to the profile tree that records an issue, with its path, for every field it
/// cannot accept and carries on, so one pass reports every problem.
struct ProfileReader {
    private(set) var issues: [ProfileIssue] = []
    /// What `load.open` said about arrival spacing and the arrival queue (the profile takes them over).
    var arrivalProcess = ArrivalProcess.uniform
    var arrivalQueueLimit = Profile.defaultArrivalQueueLimit

    mutating func report(_ path: String, _ message: String) {
        issues.append(ProfileIssue(path: path, message: message))
    }

    static func join(_ path: String, _ key: String) -> String { path == "profile" ? key : path + "." + key }

    /// The fields of a mapping, refusing unknown and duplicate keys; nil (with an issue) when
    /// `node` is not a mapping. Keys in `handled` are returned but not advertised as allowed.
    mutating func fields(_ node: ProfileNode, at path: String, allowed: [String], handled: [String] = []) -> [String: ProfileNode]? {
        guard case .mapping(let entries) = node else {
            report(path, "expected a mapping with fields \(allowed.joined(separator: ", ")), got \(node.kindDescription)")
            return nil
        }
        var result: [String: ProfileNode] = [:]
        for entry in entries {
            let fieldPath = Self.join(path, entry.key)
            if result[entry.key] != nil {
                report(fieldPath, "duplicate field")
            } else if allowed.contains(entry.key) || handled.contains(entry.key) {
                result[entry.key] = entry.value
            } else {
                report(fieldPath, "unknown field; expected one of \(allowed.joined(separator: ", "))")
            }
        }
        return result
    }

    /// Reports a missing required field; returns the node otherwise.
    mutating func required(_ node: ProfileNode?, at path: String) -> ProfileNode? {
        guard let node, node != .null else {
            report(path, "required field missing")
            return nil
        }
        return node
    }

    private mutating func text(_ node: ProfileNode?, at path: String, expected: String) -> String? {
        guard let node, node != .null else { return nil }
        guard case .scalar(let text) = node else {
            report(path, "expected \(expected), got \(node.kindDescription)")
            return nil
        }
        return text
    }

    mutating func string(_ node: ProfileNode?, at path: String) -> String? {
        guard let value = text(node, at: path, expected: "a string") else { return nil }
        if value.isEmpty { report(path, "must not be empty") ; return nil }
        return value
    }

    mutating func int(_ node: ProfileNode?, at path: String, atLeast minimum: Int? = nil) -> Int? {
        guard let raw = text(node, at: path, expected: "an integer") else { return nil }
        guard let value = Int(raw.replacingOccurrences(of: "_", with: "")) else {
            report(path, "expected an integer, got \(node!.kindDescription)")
            return nil
        }
        if let minimum, value < minimum {
            report(path, minimum == 1 ? "must be greater than 0, got \(value)" : "must be at least \(minimum), got \(value)")
            return nil
        }
        return value
    }

    mutating func uint64(_ node: ProfileNode?, at path: String) -> UInt64? {
        guard let raw = text(node, at: path, expected: "a non-negative integer") else { return nil }
        guard let value = UInt64(raw.replacingOccurrences(of: "_", with: "")) else {
            report(path, "expected a non-negative integer, got \(node!.kindDescription)")
            return nil
        }
        return value
    }

    /// A finite number; `positive` demands > 0, otherwise >= 0.
    mutating func number(_ node: ProfileNode?, at path: String, positive: Bool) -> Double? {
        guard let raw = text(node, at: path, expected: "a number") else { return nil }
        guard let value = Double(raw.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            report(path, "expected a number, got \(node!.kindDescription)")
            return nil
        }
        if positive && value <= 0 { report(path, "must be greater than 0, got \(raw)"); return nil }
        if !positive && value < 0 { report(path, "must be at least 0, got \(raw)"); return nil }
        return value
    }

    mutating func bool(_ node: ProfileNode?, at path: String) -> Bool? {
        guard let raw = text(node, at: path, expected: "true or false") else { return nil }
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report(path, "expected true or false, got \(node!.kindDescription)")
            return nil
        }
    }

    mutating func stringList(_ node: ProfileNode?, at path: String) -> [String]? {
        guard let node, node != .null else { return nil }
        guard case .sequence(let items) = node else {
            report(path, "expected a sequence of strings, got \(node.kindDescription)")
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            if let value = string(item, at: "\(path)[\(index)]") { result.append(value) }
        }
        return result
    }

    /// One of an enum's raw values: `unknown <noun> "x"; expected one of a, b, c` (`names`: the
    /// type's own list for users, e.g. `KeyType.allowedNames`; default: every raw value).
    mutating func choice<E: RawRepresentable & CaseIterable>(_ node: ProfileNode?, at path: String, noun: String,
                                                             names: String? = nil) -> E?
    where E.RawValue == String {
        let names = names ?? E.allCases.map(\.rawValue).joined(separator: ", ")
        guard let raw = text(node, at: path, expected: "one of \(names)") else { return nil }
        guard let value = E(rawValue: raw) else {
            report(path, "unknown \(noun) \"\(raw)\"; expected one of \(names)")
            return nil
        }
        return value
    }
}
