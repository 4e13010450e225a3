/// Whether two runs asked the same question: their redacted plans must be equal apart from the target
/// (URL, built-in or not, CA label, CA bundle, credentials, bootstrap identity) and the list of paths
/// that were overridden (the values themselves are compared). A pure function of the two plans.
public enum PlanComparability {
    /// Plan paths that name where the server is and how to reach it, not what load it gets.
    public static let targetPaths: [[String]] = [
        ["profile", "target", "url"], ["profile", "target", "builtInServer"], ["profile", "target", "caLabel"],
        ["profile", "target", "caBundle"], ["profile", "target", "credentials"], ["profile", "target", "bootstrap"],
        ["overriddenPaths"],
    ]

    /// The paths (dotted, `[i]` for array items) at which `base` and `head` differ once the target is
    /// left out; empty when the runs are comparable.
    public static func differences(_ base: JSONValue, _ head: JSONValue) -> [String] {
        var found: [String] = []
        collect(withoutTarget(base), withoutTarget(head), path: "", into: &found)
        return found
    }

    /// `plan` without the target paths.
    public static func withoutTarget(_ plan: JSONValue) -> JSONValue {
        var plan = plan
        for path in targetPaths { plan = removing(path[...], from: plan) }
        return plan
    }

    static func removing(_ path: ArraySlice<String>, from value: JSONValue) -> JSONValue {
        guard let key = path.first, case .object(var members) = value else { return value }
        if path.count == 1 {
            members[key] = nil
        } else if let child = members[key] {
            members[key] = removing(path.dropFirst(), from: child)
        }
        return .object(members)
    }

    static func collect(_ a: JSONValue, _ b: JSONValue, path: String, into found: inout [String]) {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                let child = path.isEmpty ? key : path + "." + key
                switch (x[key], y[key]) {
                case (let p?, let q?): collect(p, q, path: child, into: &found)
                default: found.append(child)
                }
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for index in x.indices { collect(x[index], y[index], path: path + "[\(index)]", into: &found) }
        default:
            if !same(a, b) { found.append(path.isEmpty ? "(plan)" : path) }
        }
    }

    /// Equal values, numbers compared by value (1 and 1.0 are the same).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.number, let y = b.number, a.string == nil, b.string == nil { return x == y }
        return a == b
    }
}
