import Foundation

/// Any JSON value, kept as a tree so another encoder's output (the redacted plan) nests in result.json
/// as an object rather than a string. Integers stay exact (a 64-bit seed survives the round trip).
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case unsigned(UInt64)
    case signed(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text (e.g. `RunPlan.redactedJSON()`).
    public init(parsing text: String) throws(ReportError) {
        do {
            self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw .notJSON(what: "plan", reason: String(describing: error))
        }
    }

    /// A Decoder cannot say what kind of value is next, so kinds are tried in turn, and each miss builds
    /// and throws away a DecodingError (coding path and message): the most frequent kinds go first —
    /// non-negative integers (most of result.json), strings, objects, arrays — then the rare ones.
    /// JSONDecoder keeps booleans, numbers and strings apart, so the order changes only the cost;
    /// exact integers still come before Double.
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let unsigned = try? value.decode(UInt64.self) {
            self = .unsigned(unsigned)
        } else if let string = try? value.decode(String.self) {
            self = .string(string)
        } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONValue] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
            self = .array(items)
        } else if let bool = try? value.decode(Bool.self) {
            self = .bool(bool)
        } else if let signed = try? value.decode(Int64.self) {
            self = .signed(signed)
        } else {
            self = .double(try value.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var value = encoder.singleValueContainer()
            try value.encodeNil()
        case .bool(let bool):
            var value = encoder.singleValueContainer()
            try value.encode(bool)
        case .unsigned(let unsigned):
            var value = encoder.singleValueContainer()
            try value.encode(unsigned)
        case .signed(let signed):
            var value = encoder.singleValueContainer()
            try value.encode(signed)
        case .double(let double):
            var value = encoder.singleValueContainer()
            try value.encode(double)
        case .string(let string):
            var value = encoder.singleValueContainer()
            try value.encode(string)
        case .array(let items):
            var array = encoder.unkeyedContainer()
            for item in items { try array.encode(item) }
        case .object(let members):
            var object = encoder.container(keyedBy: AnyKey.self)
            for (key, member) in members { try object.encode(member, forKey: AnyKey(key)) }
        }
    }

    /// The member `key` of an object, else nil.
    public subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}

/// A coding key for arbitrary object member names.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
