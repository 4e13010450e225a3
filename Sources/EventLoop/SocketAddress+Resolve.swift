#if canImport(Glibc)
import Glibc
#endif

/// Name resolution before a run (blocking getaddrinfo: never on a loop thread while it serves).
extension SocketAddress {
    /// IP literals directly; names through getaddrinfo (the first address, IPv4 first), once, before
    /// the clock starts.
    public static func resolve(host: String, port: UInt16) throws(ResolutionError) -> SocketAddress {
        // Not a literal: a name, looked up below (the literal's own error says nothing here).
        if let literal = try? SocketAddress(ip: host, port: port) { return literal }
        let all = try resolveAll(host: host, port: port)
        return all[0]  // resolveAll never returns an empty list
    }

    /// Every address `host` resolves to (IPv4 first, each once, in getaddrinfo's order otherwise):
    /// what `target.resolveEverySeconds` spreads new connections over. Blocking: on a helper thread only.
    public static func resolveAll(host: String, port: UInt16) throws(ResolutionError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &result)
        guard rc == 0, let first = result else {
            throw ResolutionError(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var v4: [String] = []
        var v6: [String] = []
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let info = p {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if info.pointee.ai_family == AF_INET {
                info.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var a = sin.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count))
                }
                let ip = SocketAddress.string(text)
                if !v4.contains(ip) { v4.append(ip) }
            } else if info.pointee.ai_family == AF_INET6 {
                info.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin in
                    var a = sin.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count))
                }
                let ip = SocketAddress.string(text)
                if !v6.contains(ip) { v6.append(ip) }
            }
            p = info.pointee.ai_next
        }
        var addresses: [SocketAddress] = []
        for ip in v4 + v6 {
            do { addresses.append(try SocketAddress(ip: ip, port: port)) } catch {
                throw ResolutionError(host: host, reason: "getaddrinfo gave \(ip), which is not an address: \(error)")
            }
        }
        guard !addresses.isEmpty else { throw ResolutionError(host: host, reason: "no IPv4 or IPv6 address") }
        return addresses
    }

    private static func string(_ cText: [CChar]) -> String {
        String(decoding: cText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
