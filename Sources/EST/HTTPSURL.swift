/// An `https://host[:port][/path]` URL as EST targets are given (IPv6 hosts in brackets, no
/// credentials): the one parser for `probe` URLs and `run` targets.
public struct HTTPSURL: Sendable, Equatable {
    public let host: String
    public let port: UInt16
    public let path: String

    /// Why a text is not such a URL.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let url: String
        public let reason: String
        public var description: String { "URL \"\(url)\" \(reason)" }
    }

    /// The Host field: host, with the port when not 443, IPv6 in brackets.
    public var hostField: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == 443 ? h : "\(h):\(port)"
    }

    public init(parsing url: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(url: url, reason: reason) }
        guard url.hasPrefix("https://") else {
            throw fail("must start with https:// (estbench speaks HTTP/1.1 over TLS only)")
        }
        let rest = url.dropFirst("https://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var hostPart = rest[..<slash]
        var portText: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw fail("has an unclosed \"[\" in the host") }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw fail("has \"\(after)\" after the IPv6 address")
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty, !hostPart.contains("@") else {
            throw fail("has no host (credentials in URLs are not accepted)")
        }
        host = String(hostPart)
        if let portText {
            guard let p = UInt16(portText), p > 0 else { throw fail("has port \"\(portText)\", not 1-65535") }
            port = p
        } else {
            port = 443
        }
    }
}
