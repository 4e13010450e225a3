/// The EST server a run drives: its URL (nil = the built-in server on 127.0.0.1), CA label,
/// trust anchors, TLS policy and how the client authenticates.
public struct EndpointTarget: Sendable, Equatable, Encodable {
    /// `https://host[:port]`; nil means start the built-in server with a fresh CA.
    public var url: String?
    /// `target.urls`: every URL devices are spread over, round-robin by device index (`url` is the
    /// first); empty when the profile gave one `url`.
    public var urls: [String] = []
    /// Optional CA label: `/.well-known/est/<label>/<operation>`.
    public var caLabel: String?
    /// PEM bundle of trust anchors; nil means the built-in server's CA or the system store.
    public var caBundlePath: String?
    public var tls: TLSPolicy = TLSPolicy()
    public var bootstrap: BootstrapIdentity?
    public var basic: BasicCredentials?

    public init() {}

    /// True when no URL is given and the run starts its own server.
    public var usesBuiltInServer: Bool { url == nil }

    /// Encodes under the profile's own field names (`caBundle`, `credentials.basic`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(url, forKey: .url)
        if !urls.isEmpty { try container.encode(urls, forKey: .urls) }
        try container.encode(url == nil, forKey: .builtInServer)
        try container.encodeIfPresent(caLabel, forKey: .caLabel)
        try container.encodeIfPresent(caBundlePath, forKey: .caBundle)
        try container.encode(tls, forKey: .tls)
        try container.encodeIfPresent(bootstrap, forKey: .bootstrap)
        if let basic { try container.encode(["basic": basic], forKey: .credentials) }
    }

    private enum Key: String, CodingKey { case url, urls, builtInServer, caLabel, caBundle, tls, bootstrap, credentials }
}
