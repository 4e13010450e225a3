import EST
import EventLoop
import Workload

/// Where a run sends its load, settled before the engine starts: the executable starts the built-in
/// server or resolves the profile's URL; the engine only connects to what this says.
public struct RunTarget: Sendable {
    /// The certificates a client trusts for this target.
    public enum Trust: Sendable, Equatable {
        /// DER certificates (the built-in server's fresh root).
        case certificates([[UInt8]])
        /// A PEM bundle file (the profile's caBundle, or the system's).
        case file(String)
    }

    /// The system's trust bundle, used when a profile names no caBundle.
    public static let systemTrustFile = "/etc/ssl/certs/ca-certificates.crt"

    public var address: SocketAddress
    /// The TLS server name (SNI) and the host name the certificate is checked against.
    public var serverName: String
    public var trust: Trust
    /// The EST CA label (`/.well-known/est/<label>/...`), nil for none.
    public var label: String?
    /// The HTTP Host field: the URL's host (an IPv6 address in brackets) with its port unless 443.
    public var hostField: String
    /// The URL's path, put before `/.well-known/est` (a deployment behind a proxy): "" for none,
    /// else starting with "/" and without a trailing one.
    public var pathPrefix: String
    /// What the console and the summary call this target, e.g. the URL.
    public var description: String
    public var isBuiltInServer: Bool
    /// The built-in server's thread count, for the console (nil for another server).
    public var serverThreads: Int?
    /// `target.resolveEverySeconds`: the host name to resolve again and every address it resolved to
    /// (new connections spread over them); nil for an IP literal, a `target.resolve` entry, or without it.
    public var refreshedHost: (name: String, addresses: [SocketAddress])?
    /// Further servers (`target.urls` after the first): device i goes to target i mod (1 + count).
    public var alternates: [RunTarget] = []

    /// - Parameters:
    ///   - hostField: nil: the server name (an IPv6 address in brackets) with the port unless 443.
    ///   - pathPrefix: a URL path to put before `/.well-known/est` (trailing slashes dropped).
    public init(address: SocketAddress, serverName: String, trust: Trust, label: String?, description: String,
                hostField: String? = nil, pathPrefix: String = "", isBuiltInServer: Bool = false, serverThreads: Int? = nil) {
        self.address = address
        self.serverName = serverName
        self.trust = trust
        self.label = label
        let host = address.family == .ipv6 && serverName == address.ip ? "[\(serverName)]" : serverName
        self.hostField = hostField ?? (address.port == 443 ? host : "\(host):\(address.port)")
        var prefix = Substring(pathPrefix)
        while prefix.hasSuffix("/") { prefix = prefix.dropLast() }
        self.pathPrefix = prefix.isEmpty || prefix.hasPrefix("/") ? String(prefix) : "/" + prefix
        self.description = description
        self.isBuiltInServer = isBuiltInServer
        self.serverThreads = serverThreads
    }

    /// The profile's `target.url`, resolved (a DNS lookup, or the address `target.resolve` gives): the Host field and path prefix from the URL;
    /// its SNI, label and trust bundle from the profile.
    public static func resolving(_ profile: Profile) throws(RunCoordinator.RunError) -> RunTarget {
        guard let url = profile.target.url else { throw .setup("no target") }
        let parsed: HTTPSURL
        do { parsed = try HTTPSURL(parsing: url) } catch { throw .setup("target.url: \(error)") }
        let address: SocketAddress
        var refreshed: (name: String, addresses: [SocketAddress])?
        if let ip = profile.target.override(host: parsed.host, port: parsed.port) {
            // target.resolve: this address, not DNS; SNI and Host stay the URL's host.
            do { address = try SocketAddress(ip: ip, port: parsed.port) } catch {
                throw .setup("target.resolve: \(parsed.host):\(parsed.port):\(ip) is not an address to connect to: \(error)")
            }
        } else {
            do { address = try SocketAddress.resolve(host: parsed.host, port: parsed.port) } catch { throw .setup("\(error)") }
            if profile.target.resolveEverySeconds != nil, !parsed.host.contains(":"), parsed.host != address.ip {
                do { refreshed = (parsed.host, try SocketAddress.resolveAll(host: parsed.host, port: parsed.port)) } catch { throw .setup("\(error)") }
            }
        }
        var target = RunTarget(address: address, serverName: profile.target.tls.sni ?? parsed.host,
                               trust: .file(profile.target.caBundlePath ?? systemTrustFile),
                               label: profile.target.caLabel, description: url, hostField: parsed.hostField, pathPrefix: parsed.path)
        target.refreshedHost = refreshed
        for other in profile.target.urls.dropFirst() {
            var single = profile
            single.target.url = other
            single.target.urls = []
            target.alternates.append(try resolving(single))
        }
        return target
    }

    /// This target and its alternates, in device order.
    public var all: [RunTarget] { [self] + alternates }

    /// The built-in server listening on `address` (127.0.0.1), trusting its fresh root.
    public static func builtInServer(address: SocketAddress, root: [UInt8], label: String?, threads: Int) -> RunTarget {
        RunTarget(address: address, serverName: address.ip, trust: .certificates([root]), label: label,
                  description: "built-in server https://\(address.ip):\(address.port)", hostField: "\(address.ip):\(address.port)",
                  isBuiltInServer: true, serverThreads: threads)
    }
}
