import Glibc

/// One `target.resolve` entry, curl-style `host:port:address`: connections to `host:port` go to
/// `address` instead of what DNS says, while SNI and the Host field stay the URL's host (a server
/// behind a balancer reached directly, or a name not in DNS). Kept as written for the plan.
public struct HostOverride: Sendable, Equatable, Encodable {
    /// The URL host it applies to (lowercased: host names compare case-insensitively).
    public let host: String
    public let port: UInt16
    /// The IP address to connect to, without brackets.
    public let address: String

    /// Parses `host:port:address` (an IPv6 address in brackets); the error says what is allowed.
    public init(parsing text: String) throws(ProfileError) {
        func fail(_ why: String) -> ProfileError {
            .invalid([ProfileIssue(path: "target.resolve", message: "\"\(text)\" \(why); expected host:port:address, e.g. est.example:443:10.0.0.7 or est.example:8443:[2001:db8::7]")])
        }
        guard let first = text.firstIndex(of: ":") else { throw fail("has no port") }
        let host = text[..<first]
        let rest = text[text.index(after: first)...]
        guard let second = rest.firstIndex(of: ":") else { throw fail("has no address") }
        let portText = rest[..<second]
        var address = rest[rest.index(after: second)...]
        guard !host.isEmpty, !host.contains("["), !host.contains("/") else { throw fail("has no host name") }
        guard let port = UInt16(portText), port > 0 else { throw fail("has port \"\(portText)\", not 1-65535") }
        if address.hasPrefix("[") {
            guard address.hasSuffix("]"), address.count > 2 else { throw fail("has an unclosed \"[\" in the address") }
            address = address.dropFirst().dropLast()
            guard Self.isIP(String(address), family: AF_INET6) else { throw fail("has \"\(address)\", not an IPv6 address") }
        } else if address.contains(":") {
            throw fail("has an IPv6 address without brackets")
        } else {
            guard Self.isIP(String(address), family: AF_INET) else { throw fail("has \"\(address)\", not an IPv4 address (a name is not resolved here)") }
        }
        self.host = host.lowercased()
        self.port = port
        self.address = String(address)
    }

    /// As written in a profile: `host:port:address`, IPv6 in brackets.
    public var text: String { "\(host):\(port):" + (address.contains(":") ? "[\(address)]" : address) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    private static func isIP(_ text: String, family: Int32) -> Bool {
        var buffer = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buffer) { inet_pton(family, text, $0.baseAddress) } == 1
    }
}
