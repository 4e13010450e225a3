/// What the server counts per worker and logs once per kind: the error classes of the serve side.
public enum ServerEvent: String, Sendable, CaseIterable {
    case handshake, request, issued, badRequest, tlsFailure, transportFailure, idleTimeout, requestTimeout, fault
    /// `--capacity`: a request waited for capacity / was refused (503) because the queue was full.
    case queued, overCapacity
    /// A worker stopped accepting: at its share of --max-connections / out of descriptors (EMFILE, ENFILE).
    case connectionCap, outOfDescriptors
    /// A client that stopped reading its responses was cut off (its unsent bytes did not drain in time).
    case drainTimeout
}
