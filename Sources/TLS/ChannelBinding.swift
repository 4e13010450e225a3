/// A TLS channel binding value and its type.
public enum ChannelBinding: Sendable, Equatable {
    case tlsUnique([UInt8])
    case tlsExporter([UInt8])

    public var bytes: [UInt8] {
        switch self {
        case .tlsUnique(let b), .tlsExporter(let b): return b
        }
    }
}
