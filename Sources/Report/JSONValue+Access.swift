extension JSONValue {
    /// The string, else nil.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Any number as a Double, else nil.
    public var number: Double? {
        switch self {
        case .unsigned(let value): Double(value)
        case .signed(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The Bool, else nil.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The array's items, else nil.
    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The object's members, else nil.
    public var object: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The first of `keys` that is present (loosely named fields of results written by other builds).
    public func first(_ keys: String...) -> JSONValue? {
        for key in keys { if let value = self[key], value != .null { return value } }
        return nil
    }

    /// Compact text of any value, for showing fields the report does not know.
    public var text: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .unsigned(let value): "\(value)"
        case .signed(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): value
        case .array(let items): "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.text)" }.joined(separator: ", ") + "}"
        }
    }
}
