import EST

/// Per-operation deadlines in milliseconds, connect to complete; operations not named use the default.
public struct OperationTimeouts: Sendable, Equatable, Encodable {
    public static let defaultMs = 30_000

    public var defaultMs: Int = OperationTimeouts.defaultMs
    public var perOperationMs: [ESTOperation: Int] = [:]

    public init() {}

    /// The timeout for `operation`, in ms.
    public func milliseconds(for operation: ESTOperation) -> Int {
        perOperationMs[operation] ?? defaultMs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(defaultMs, forKey: DynamicKey("default"))
        for operation in ESTOperation.allCases {
            if let ms = perOperationMs[operation] { try container.encode(ms, forKey: DynamicKey(operation.rawValue)) }
        }
    }

    /// A coding key made at run time: `default` and operation names.
    private struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
