import HTTP

/// Bounds that keep one client from holding a worker: request sizes, and how long a connection
/// may wait for (or dribble) a request.
public struct ServerLimits: Sendable {
    public var http = HTTPLimits(headerBytes: 16 * 1024, headerCount: 64, bodyBytes: 64 * 1024)
    /// Time a kept-alive connection may sit idle waiting for its next request.
    public var idleTimeoutMs: UInt64 = 30_000
    /// Time from a request's first byte to its last (a slow-header client is cut off).
    public var requestTimeoutMs: UInt64 = 10_000

    public init() {}
}
