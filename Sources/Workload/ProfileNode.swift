import Yams

/// The profile document as a plain tree (mappings keep their order), between YAML text and
/// `Profile`: overrides edit it, validation reads it. Scalars stay text until a field asks for a type.
public indirect enum ProfileNode: Sendable, Equatable {
    case null
    case scalar(String)
    case mapping([Entry])
    case sequence([ProfileNode])

    /// One key of a mapping with its value.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: ProfileNode
        public init(key: String, value: ProfileNode) {
            self.key = key
            self.value = value
        }
    }

    /// Parses YAML text into a tree; an empty document is `.null`.
    public static func parse(yaml: String) throws(ProfileError) -> ProfileNode {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.malformed(error)
        } catch {
            throw .malformedYAML(line: nil, column: nil, reason: "\(error)")
        }
        guard let composed else { return .null }
        return ProfileNode(composed)
    }

    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                self = .null
            } else {
                self = .scalar(scalar.string)
            }
        case .mapping(let mapping):
            self = .mapping(mapping.map { pair in
                Entry(key: pair.key.string ?? "\(pair.key)", value: ProfileNode(pair.value))
            })
        case .sequence(let sequence):
            self = .sequence(sequence.map { ProfileNode($0) })
        }
    }

    /// What kind of node this is, for "expected X, got Y" messages.
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .scalar(let text): return "\"\(text)\""
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        }
    }

    /// The value under `key` when this is a mapping.
    public subscript(key: String) -> ProfileNode? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    private static func malformed(_ error: YamlError) -> ProfileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return .malformedYAML(line: mark.line, column: mark.column, reason: problem)
        case .composer(_, let problem, let mark, _):
            return .malformedYAML(line: mark.line, column: mark.column, reason: problem)
        default:
            return .malformedYAML(line: nil, column: nil, reason: "\(error)")
        }
    }
}
