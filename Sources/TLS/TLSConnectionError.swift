import EventLoop

/// Why a TLS connection ended badly: the TCP layer (refused, reset, timed out, ...) or TLS itself.
public enum TLSConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    case transport(UVError)
    case tls(TLSError)
    /// The peer closed the TCP stream before the handshake finished.
    case closedDuringHandshake

    public var description: String {
        switch self {
        case .transport(let e): return "\(e)"
        case .tls(let e): return "\(e)"
        case .closedDuringHandshake: return "connection closed by the peer during the TLS handshake"
        }
    }
}
