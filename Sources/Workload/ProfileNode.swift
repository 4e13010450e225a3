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
        return try ProfileNode(composed)
    }

    /// Mapping keys must be scalars: every key a profile knows is a word, and a sequence or mapping
    /// used as a key (`? [a, b]`, `{a: 1}: x`) is refused with its place rather than turned into text.
    init(_ node: Node) throws(ProfileError) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                self = .null
            } else {
                self = .scalar(scalar.string)
            }
        case .mapping(let mapping):
            var entries: [Entry] = []
            entries.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else { throw Self.nonScalarKey(key) }
                entries.append(Entry(key: scalar.string, value: try ProfileNode(value)))
            }
            self = .mapping(entries)
        case .sequence(let sequence):
            var items: [ProfileNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try ProfileNode(item)) }
            self = .sequence(items)
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

    private static func nonScalarKey(_ key: Node) -> ProfileError {
        let kind = if case .mapping = key { "a mapping" } else { "a sequence" }
        return .malformedYAML(line: key.mark?.line, column: key.mark?.column,
                              reason: "a mapping key must be a word or a quoted string, got \(kind)")
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
