/// What TLS negotiated across a run: versions and groups seen, resumptions, HelloRetryRequests.
public struct TLSFacts: Sendable, Equatable {
    public var handshakes = 0
    public var resumed = 0
    public var helloRetryRequests = 0
    public var versions: [String: Int] = [:]
    public var groups: [String: Int] = [:]

    public init() {}

    public mutating func merge(_ other: TLSFacts) {
        handshakes += other.handshakes
        resumed += other.resumed
        helloRetryRequests += other.helloRetryRequests
        for (k, v) in other.versions { versions[k, default: 0] += v }
        for (k, v) in other.groups { groups[k, default: 0] += v }
    }
}
