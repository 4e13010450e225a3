/// Why `estbench compare` cannot compare: each case names the input at fault (all are bad input, exit 2).
public enum CompareError: Error, Sendable, Equatable {
    /// A `--fail-on` rule that does not parse.
    case badRule(rule: String, reason: String, syntax: String)
    /// A rule names an operation or phase neither side measured.
    case ruleMatchesNothing(rule: String, operations: [String])
    /// The runs' plans differ beyond the target (the paths at which they differ).
    case notComparable(base: String, head: String, paths: [String])
    /// A side without any run.
    case noRuns(side: String)
}

extension CompareError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .badRule(rule, reason, syntax):
            "--fail-on '\(rule)': \(reason); expected \(syntax)"
        case let .ruleMatchesNothing(rule, operations):
            "--fail-on '\(rule)': no such row; operations compared: \(operations.joined(separator: ", "))"
        case let .notComparable(base, head, paths):
            "\(base) and \(head) ran different plans (they may differ only in the target: URL, CA bundle, credentials, "
                + "bootstrap); they differ at \(paths.prefix(8).joined(separator: ", "))\(paths.count > 8 ? " …" : ""). "
                + "--force compares them anyway"
        case let .noRuns(side):
            "\(side): no runs"
        }
    }
}
