/// What the TLS handshakes of a run negotiated: counts per version and key-exchange group, resumptions,
/// HelloRetryRequests. Counted per worker and added after join, like the histograms.
public struct TLSFacts: Codable, Sendable, Equatable {
    /// Handshakes per negotiated version, e.g. "TLSv1.3".
    public var versions: [String: UInt64]
    /// Handshakes per negotiated group, e.g. "X25519", "secp256r1".
    public var groups: [String: UInt64]
    /// Handshakes that resumed a session.
    public var resumed: UInt64
    /// Handshakes completed (full and resumed).
    public var handshakes: UInt64
    /// Handshakes in which the server sent a HelloRetryRequest.
    public var helloRetryRequests: UInt64
    /// Connections open (handshake done, not closed) at the moment the run began to stop — its
    /// duration deadline, its operation count, a stop request — before any was closed: how many a
    /// run that holds connections held at once then. Shards that start together with one duration
    /// stop together, so the merge's sum is the plan's total held at that moment. Nil when the run
    /// was cut off without that moment (an abort) or predates the field.
    public var openAtStop: UInt64?

    public init(versions: [String: UInt64] = [:], groups: [String: UInt64] = [:],
                resumed: UInt64 = 0, handshakes: UInt64 = 0, helloRetryRequests: UInt64 = 0, openAtStop: UInt64? = nil) {
        self.versions = versions
        self.groups = groups
        self.resumed = resumed
        self.handshakes = handshakes
        self.helloRetryRequests = helloRetryRequests
        self.openAtStop = openAtStop
    }

    /// resumed / handshakes (0 without handshakes).
    public var resumptionRatio: Double {
        handshakes == 0 ? 0 : Double(resumed) / Double(handshakes)
    }

    /// Adds another worker's counts.
    public mutating func merge(_ other: TLSFacts) {
        for (version, count) in other.versions { versions[version, default: 0] &+= count }
        for (group, count) in other.groups { groups[group, default: 0] &+= count }
        resumed &+= other.resumed
        handshakes &+= other.handshakes
        helloRetryRequests &+= other.helloRetryRequests
        if let open = other.openAtStop { openAtStop = (openAtStop ?? 0) &+ open }
    }
}
