import HTTP

/// Bounds that keep one client from holding a worker: request sizes, and how long a connection
/// may wait for (or dribble) a request.
public struct ServerLimits: Sendable {
    public var http = HTTPLimits(headerBytes: 16 * 1024, headerCount: 64, bodyBytes: 64 * 1024)
    /// Time from accepting a connection to the end of its TLS handshake (a silent or stalled
    /// client is cut off: `idleTimeout` if it sent nothing, `handshakeTimeout` otherwise).
    public var handshakeTimeoutMs: UInt64 = 10_000
    /// Time a kept-alive connection may sit idle waiting for its next request.
    public var idleTimeoutMs: UInt64 = 30_000
    /// Time from a request's first byte to its last (a slow-header client is cut off).
    public var requestTimeoutMs: UInt64 = 10_000

    /// Connections held at once, across all workers (nil: `defaultMaxConnections` of the
    /// descriptor limit at start). At the cap the server stops accepting (pending connections wait
    /// in the kernel's queue) until connections close.
    public var maxConnections: Int?
    /// Unsent response bytes past which a connection stops being read (a pipelining client that
    /// does not read its answers cannot grow the server's memory).
    public var maxUnsentBytes = 256 * 1024
    /// Time a connection over `maxUnsentBytes` may take to drain below it before it is cut off.
    public var drainTimeoutMs: UInt64 = 10_000

    /// The descriptor limit less a reserve for the loops, files and listeners (a quarter of a small
    /// limit, 256 of a large one), at most one million.
    public static func defaultMaxConnections(descriptorLimit: Int) -> Int {
        let reserve = min(256, descriptorLimit / 4)
        return max(1, min(1_000_000, descriptorLimit - reserve))
    }

    public init() {}
}
