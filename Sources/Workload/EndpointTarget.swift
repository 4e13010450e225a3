/// The EST server a run drives: its URL (nil = the built-in server on 127.0.0.1), CA label,
/// trust anchors, TLS policy and how the client authenticates.
public struct EndpointTarget: Sendable, Equatable, Encodable {
    /// `https://host[:port]`; nil means start the built-in server with a fresh CA.
    public var url: String?
    /// `target.urls`: every URL devices are spread over, round-robin by device index (`url` is the
    /// first); empty when the profile gave one `url`.
    public var urls: [String] = []
    /// `target.resolve`: addresses to connect to for given `host:port`s instead of DNS (SNI and
    /// Host stay the URL's).
    public var resolve: [HostOverride] = []
    /// `target.resolveEverySeconds`: host names are resolved again at this interval, and new
    /// connections spread over every address they resolve to; nil: resolved once, first address.
    public var resolveEverySeconds: Double?
    /// Optional CA label: `/.well-known/est/<label>/<operation>`.
    public var caLabel: String?
    /// PEM bundle of trust anchors; nil means the built-in server's CA or the system store.
    public var caBundlePath: String?
    public var tls: TLSPolicy = TLSPolicy()
    public var bootstrap: BootstrapIdentity?
    public var basic: BasicCredentials?

    public init() {}

    /// The address `target.resolve` gives for `host:port`, if any.
    public func override(host: String, port: UInt16) -> String? {
        let name = host.lowercased()
        return resolve.first { $0.host == name && $0.port == port }?.address
    }

    /// True when no URL is given and the run starts its own server.
    public var usesBuiltInServer: Bool { url == nil }

    /// Encodes under the profile's own field names (`caBundle`, `credentials.basic`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(url, forKey: .url)
        if !urls.isEmpty { try container.encode(urls, forKey: .urls) }
        if !resolve.isEmpty { try container.encode(resolve, forKey: .resolve) }
        try container.encodeIfPresent(resolveEverySeconds, forKey: .resolveEverySeconds)
        try container.encode(url == nil, forKey: .builtInServer)
        try container.encodeIfPresent(caLabel, forKey: .caLabel)
        try container.encodeIfPresent(caBundlePath, forKey: .caBundle)
        try container.encode(tls, forKey: .tls)
        try container.encodeIfPresent(bootstrap, forKey: .bootstrap)
        if let basic { try container.encode(["basic": basic], forKey: .credentials) }
    }

    private enum Key: String, CodingKey { case url, urls, resolve, resolveEverySeconds, builtInServer, caLabel, caBundle, tls, bootstrap, credentials }
}
