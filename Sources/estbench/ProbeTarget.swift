import EventLoop

/// An `https://host[:port]/path` URL resolved to a socket address before any connection is made.
struct ProbeTarget {
    let host: String
    let port: UInt16
    let path: String
    let address: SocketAddress

    /// The Host field: host, with the port when not 443, IPv6 in brackets.
    var hostField: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == 443 ? h : "\(h):\(port)"
    }

    init(url: String) throws {
        guard url.hasPrefix("https://") else {
            throw CLIError.badInput("URL \"\(url)\" must start with https:// (estbench speaks HTTP/1.1 over TLS only)")
        }
        let rest = url.dropFirst("https://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var hostPart = Substring(authority)
        var portText: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw CLIError.badInput("URL \"\(url)\": unclosed \"[\" in the host") }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw CLIError.badInput("URL \"\(url)\": unexpected \"\(after)\" after the IPv6 address")
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty, !hostPart.contains("@") else {
            throw CLIError.badInput("URL \"\(url)\" has no host (credentials in URLs are not accepted; use --user)")
        }
        host = String(hostPart)
        if let portText {
            guard let p = UInt16(portText), p > 0 else { throw CLIError.badInput("URL \"\(url)\": port \"\(portText)\" is not 1-65535") }
            port = p
        } else {
            port = 443
        }
        address = try ProbeTarget.resolve(host: host, port: port)
    }

    /// IP literals directly; names through getaddrinfo (IPv4 first), once, before the clock starts.
    static func resolve(host: String, port: UInt16) throws -> SocketAddress {
        do { return try SocketAddress.resolve(host: host, port: port) } catch {
            throw CLIError.badInput("\(error)")
        }
    }
}
