/// One measured stretch of an operation's life; each has its own latency histogram.
/// `total` is the coordinated-omission-corrected end-to-end latency (from the intended start).
public enum Phase: String, CaseIterable, Sendable, Codable {
    /// TCP connect: connect start → connected.
    case connect
    /// TLS handshake: connected → handshake done.
    case tls
    /// CSR built and signed after the handshake (channel binding only).
    case signing
    /// Request ready to send → last request byte flushed to the socket.
    case requestWritten = "request_written"
    /// Request flushed → first response byte (server time plus one network trip).
    case firstByte = "first_byte"
    /// First response byte → response complete.
    case complete
    /// Intended start (scheduled) → response complete: corrected for coordinated omission.
    case total

    /// Dense index for per-phase storage.
    @inlinable
    public var index: Int {
        switch self {
        case .connect: 0
        case .tls: 1
        case .signing: 2
        case .requestWritten: 3
        case .firstByte: 4
        case .complete: 5
        case .total: 6
        }
    }
}
