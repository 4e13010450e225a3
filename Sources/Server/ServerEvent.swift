/// What the server counts per worker and logs once per kind: the error classes of the serve side.
public enum ServerEvent: String, Sendable, CaseIterable {
    case handshake, request, issued, badRequest, tlsFailure, transportFailure, idleTimeout, requestTimeout, fault
    /// `--capacity`: a request waited for capacity / was refused (503) because the queue was full.
    case queued, overCapacity
}
