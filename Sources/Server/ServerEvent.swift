import HTTP

/// What the server counts per worker and logs once per kind: the error classes of the serve side.
/// Every hostile client the server defends against has its own count (the siege test checks each).
public enum ServerEvent: String, Sendable, CaseIterable {
    case handshake, request, issued, badRequest, tlsFailure, transportFailure, idleTimeout, requestTimeout, fault
    /// `--capacity`: a request waited for capacity / was refused (503) because the queue was full.
    case queued, overCapacity
    /// A worker stopped accepting: at its share of --max-connections / out of descriptors (EMFILE, ENFILE).
    case connectionCap, outOfDescriptors
    /// A client that stopped reading its responses was cut off (its unsent bytes did not drain in time).
    case drainTimeout
    /// A connection whose first bytes were not a TLS handshake record (plain HTTP on the TLS port, garbage).
    case notTLS
    /// A TLS handshake started but not finished within --handshake-timeout.
    case handshakeTimeout
    /// The peer closed (FIN or reset) before the TLS handshake finished.
    case handshakeAbandoned
    /// Requests refused for a header section over --max-header-bytes (431), a body over
    /// --max-body-bytes (413, often on the declared Content-Length alone), a malformed chunked body (400).
    case headerTooLarge, bodyTooLarge, badChunk
    /// `100 Continue` sent to a request that asked for it (`Expect: 100-continue`) before its body.
    case continued
    /// A request that arrived before the answer to the one ahead of it was written (HTTP pipelining).
    case pipelined

    /// The count for a request the HTTP parser refused: its own for the limits and chunk framing,
    /// `badRequest` for every other malformation.
    init(refused error: HTTPError) {
        switch error {
        case .headerSectionTooLarge, .tooManyHeaders, .trailerSectionTooLarge, .tooManyTrailers: self = .headerTooLarge
        case .bodyTooLarge: self = .bodyTooLarge
        case .invalidChunkSize, .invalidChunkExtension, .chunkDataNotFollowedByCRLF, .chunkLineTooLong, .truncatedChunkedBody:
            self = .badChunk
        default: self = .badRequest
        }
    }
}
