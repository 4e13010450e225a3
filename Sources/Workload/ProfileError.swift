/// Why a profile could not become a `RunPlan`: every problem found, or why the text could not
/// be read at all. The CLI prints `description` and exits 2 before anything starts.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document was read; these fields are wrong (all of them, in document order).
    case invalid([ProfileIssue])
    /// The text is not YAML; `line` and `column` are 1-based when the parser knows them.
    case malformedYAML(line: Int?, column: Int?, reason: String)
    /// The profile file could not be read.
    case unreadableFile(path: String, reason: String)

    /// The field-level problems (empty for the two whole-document cases).
    public var issues: [ProfileIssue] {
        if case .invalid(let issues) = self { return issues }
        return []
    }

    public var description: String {
        switch self {
        case .invalid(let issues):
            return issues.map(\.description).joined(separator: "\n")
        case .malformedYAML(let line, let column, let reason):
            let place = line.map { "line \($0)" + (column.map { ", column \($0)" } ?? "") + ": " } ?? ""
            return "profile is not valid YAML: \(place)\(reason)"
        case .unreadableFile(let path, let reason):
            return "cannot read profile \(path): \(reason)"
        }
    }
}
