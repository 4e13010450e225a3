/// How a device uses TCP+TLS connections across its operations, and whether TLS sessions are
/// resumed (an explicit switch, never a side effect).
public struct ConnectionPolicy: Sendable, Equatable, Encodable {
    /// Connection reuse: a fresh handshake per operation, one connection for the whole lifecycle,
    /// or a fresh connection every N operations.
    public enum Reuse: Sendable, Equatable, Encodable {
        case newPerOperation
        case keepAlive
        case perConnection(Int)

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .newPerOperation: try container.encode("newPerOperation")
            case .keepAlive: try container.encode("keepAlive")
            case .perConnection(let n): try container.encode("perConnection:\(n)")
            }
        }
    }

    /// TLS session resumption mode.
    public enum Resumption: String, CaseIterable, Sendable, Encodable {
        case off, tickets, ids
    }

    public var reuse: Reuse = .keepAlive
    public var resumption: Resumption = .off

    public init(reuse: Reuse = .keepAlive, resumption: Resumption = .off) {
        self.reuse = reuse
        self.resumption = resumption
    }
}
