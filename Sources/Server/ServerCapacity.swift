/// A cap on the requests per second the built-in server answers (`serve --capacity N`): a server of
/// known capacity, so a capacity search can be checked against it. Excess requests wait, in the order
/// they came, up to `queueLimit` of them; beyond that they are refused with 503 and Retry-After.
public struct ServerCapacity: Sendable, Equatable {
    /// The largest cap accepted: far beyond what one machine serves, small enough that the spacing
    /// between requests (1 µs) stays a meaningful number of nanoseconds.
    public static let maxRequestsPerSecond = 1_000_000
    /// The longest queue accepted (requests waiting for capacity).
    public static let maxQueueLimit = 10_000_000

    public let requestsPerSecond: Int
    /// Requests that may wait for capacity at once; the default is one second's worth (N).
    public let queueLimit: Int

    /// - Throws: `ServerError.configuration` naming the value and the allowed range.
    public init(requestsPerSecond: Int, queueLimit: Int? = nil) throws(ServerError) {
        guard (1...Self.maxRequestsPerSecond).contains(requestsPerSecond) else {
            throw .configuration("capacity \(requestsPerSecond) is out of range; allowed: 1...\(Self.maxRequestsPerSecond) requests per second")
        }
        let queue = queueLimit ?? requestsPerSecond
        guard (0...Self.maxQueueLimit).contains(queue) else {
            throw .configuration("capacity queue \(queue) is out of range; allowed: 0...\(Self.maxQueueLimit) waiting requests")
        }
        self.requestsPerSecond = requestsPerSecond
        self.queueLimit = queue
    }

    /// Spacing between answers, ns.
    var intervalNs: UInt64 { 1_000_000_000 / UInt64(requestsPerSecond) }

    /// Answers that may go out back to back after a quiet spell: 20 ms of capacity (at least one), so
    /// arrivals a little closer than the spacing (network and scheduling jitter) do not queue.
    var burst: Int { max(1, requestsPerSecond / 50) }
}
