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

    public init(from decoder: any Decoder) throws {
        // Scalars first: most of a result.json is numbers (histogram arrays), and every failed
        // attempt throws a DecodingError that builds its coding path — asking for an array and an
        // object first made reading a 15,000-operation run's results cost more than the run.
        // Numbers before Bool is safe: the JSON decoder keeps them apart (`true` is not 1).
        if let value = try? decoder.singleValueContainer() {
            if value.decodeNil() {
                self = .null
                return
            }
            if let unsigned = try? value.decode(UInt64.self) {
                self = .unsigned(unsigned)
                return
            }
            if let signed = try? value.decode(Int64.self) {
                self = .signed(signed)
                return
            }
            if let double = try? value.decode(Double.self) {
                self = .double(double)
                return
            }
            if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
                return
            }
            if let string = try? value.decode(String.self) {
                self = .string(string)
                return
            }
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let object = try decoder.container(keyedBy: AnyKey.self)
        var members: [String: JSONValue] = [:]
        for key in object.allKeys { members[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
        self = .object(members)
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
