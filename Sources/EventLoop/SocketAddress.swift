import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 socket address (a `sockaddr_storage` by value), parsed from literals such as
/// "127.0.0.1:8443" or "[::1]:8443" with `uv_ip4_addr` / `uv_ip6_addr`. No name resolution.
public struct SocketAddress: Sendable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable { case ipv4, ipv6 }

    private var storage: sockaddr_storage

    /// Parses "a.b.c.d:port" or "[v6]:port" (a scope such as "[fe80::1%eth0]:443" is allowed).
    public init(parsing text: String) throws(UVError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                  text[text.index(after: close)...].hasPrefix(":") else { throw Self.invalid }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw Self.invalid }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            // A bare IPv6 literal is ambiguous with its port: brackets are required.
            if host.contains(":") { throw Self.invalid }
        }
        guard let port = UInt16(portText) else { throw Self.invalid }
        try self.init(ip: String(host), port: port)
    }

    /// An IPv4 or IPv6 literal (no brackets) and a port.
    public init(ip: String, port: UInt16) throws(UVError) {
        var storage = sockaddr_storage()
        if ip.contains(":") {
            let rc = withUnsafeMutableBytes(of: &storage) { raw in
                uv_ip6_addr(ip, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self))
            }
            try uvCheck(rc, .parseAddress)
        } else {
            let rc = withUnsafeMutableBytes(of: &storage) { raw in
                uv_ip4_addr(ip, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self))
            }
            try uvCheck(rc, .parseAddress)
        }
        self.storage = storage
    }

    /// The local (`getsockname`) or remote (`getpeername`) address of an open TCP handle.
    init(of tcp: UnsafePointer<uv_tcp_t>, peer: Bool) throws(UVError) {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutableBytes(of: &storage) { raw in
            let address = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            return peer ? uv_tcp_getpeername(tcp, address, &length) : uv_tcp_getsockname(tcp, address, &length)
        }
        try uvCheck(rc, peer ? .peerName : .socketName)
        self.storage = storage
    }

    /// The local address of a socket descriptor (`getsockname`).
    init(descriptor: Int32) throws(UVError) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutableBytes(of: &storage) { raw in
            getsockname(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
        }
        if rc != 0 { throw UVError(code: -errno, operation: .socketName) }
        self.storage = storage
    }

    public var family: Family { Int32(storage.ss_family) == AF_INET6 ? .ipv6 : .ipv4 }

    public var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            switch family {
            case .ipv4: return UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
            case .ipv6: return UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
            }
        }
    }

    /// The address without the port, e.g. "127.0.0.1" or "::1".
    public var ip: String {
        var text = [CChar](repeating: 0, count: 64)
        withUnsafeBytes(of: storage) { raw in
            let base = raw.baseAddress!
            switch family {
            case .ipv4:
                let rc = uv_ip4_name(base.assumingMemoryBound(to: sockaddr_in.self), &text, text.count)
                uvCheckInfallible(rc, .formatAddress)
            case .ipv6:
                let rc = uv_ip6_name(base.assumingMemoryBound(to: sockaddr_in6.self), &text, text.count)
                uvCheckInfallible(rc, .formatAddress)
            }
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "127.0.0.1:8443" or "[::1]:8443": parses back to the same address.
    public var description: String {
        family == .ipv6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// Lends the address as the `sockaddr` libuv calls take (copied by them during the call).
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>) throws(UVError) -> R) throws(UVError) -> R {
        var copy = storage
        return try withUnsafeMutableBytes(of: &copy) { raw throws(UVError) -> R in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self))
        }
    }

    private static var invalid: UVError { UVError(code: UV_EINVAL.rawValue, operation: .parseAddress) }
}
