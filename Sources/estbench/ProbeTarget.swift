import EST
import EventLoop

/// An `https://host[:port]/path` URL resolved to a socket address before any connection is made.
struct ProbeTarget {
    let host: String
    let port: UInt16
    let path: String
    let address: SocketAddress

    var hostField: String { url.hostField }

    private let url: HTTPSURL

    init(url text: String) throws {
        do { url = try HTTPSURL(parsing: text) } catch {
            throw CLIError.badInput("\(error)" + (text.contains("@") ? "; use --user" : ""))
        }
        host = url.host
        port = url.port
        path = url.path
        address = try ProbeTarget.resolve(host: host, port: port)
    }

    /// IP literals directly; names through getaddrinfo (IPv4 first), once, before the clock starts.
    static func resolve(host: String, port: UInt16) throws -> SocketAddress {
        do { return try SocketAddress.resolve(host: host, port: port) } catch {
            throw CLIError.badInput("\(error)")
        }
    }
}
