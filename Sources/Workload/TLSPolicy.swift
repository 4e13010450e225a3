/// The client's TLS settings for the target: protocol version range, key-exchange groups,
/// cipher suites, SNI and whether to verify the server; empty lists mean the TLS library's defaults.
public struct TLSPolicy: Sendable, Equatable, Encodable {
    /// A TLS protocol version a profile may name.
    public enum Version: String, CaseIterable, Sendable, Encodable, Comparable {
        case tls12 = "1.2", tls13 = "1.3"
        public static func < (lhs: Version, rhs: Version) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var minVersion: Version = .tls12
    public var maxVersion: Version = .tls13
    public var groups: [String] = []
    public var suites: [String] = []
    /// Server name to send; nil means the URL's host (none for the built-in server's IP).
    public var sni: String?
    /// Verify the server's certificate chain and name (the default). false is the explicit
    /// opt-out, e.g. to compare with a load generator that never verifies; it is kept in the plan.
    public var verify = true

    public init() {}

    /// Encodes under the profile's own field names (`versions: {min, max}`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(["min": minVersion.rawValue, "max": maxVersion.rawValue], forKey: .versions)
        try container.encode(groups, forKey: .groups)
        try container.encode(suites, forKey: .suites)
        try container.encodeIfPresent(sni, forKey: .sni)
        try container.encode(verify, forKey: .verify)
    }

    private enum Key: String, CodingKey { case versions, groups, suites, sni, verify }
}
