import EventLoop
import TLS

/// Everything `estbench serve` is started with (secrets come from files or the environment,
/// never from the command line).
public struct ServerConfiguration: Sendable {
    /// How clients prove who they are.
    public enum Authentication: String, Sendable, CaseIterable {
        case none, basic, cert
        case certOrBasic = "cert-or-basic"
    }

    public var listen: SocketAddress
    public var threads: Int
    /// `SO_REUSEPORT` on the listening socket: other processes may share the port (off: a port in
    /// use is an error, EADDRINUSE).
    public var reusePort = false
    public var authentication: Authentication = .none
    /// CSRs must carry the connection's tls-unique / tls-exporter value in challengePassword.
    public var requireChannelBinding = false
    /// Further CA certificates (DER) whose certificates are accepted as TLS client certificates,
    /// beside the server's own CA: e.g. a factory CA that signed the devices' bootstrap identities.
    public var clientCAs: [[UInt8]] = []
    /// user → password for Basic authentication.
    public var users: [String: String] = [:]
    /// CA labels served besides the unlabeled path (empty: no labels).
    public var labels: [String] = []
    public var validityDays = 30
    public var limits = ServerLimits()
    public var faults = FaultPlan()
    /// A cap on requests answered per second, for a server of known capacity (nil: no cap, no delay).
    public var capacity: ServerCapacity?
    public var minimumTLSVersion: TLSVersion = .tls12
    public var maximumTLSVersion: TLSVersion = .tls13
    public var resumption: TLSConfiguration.Resumption = .tickets
    /// The csrattrs answer (DER `SEQUENCE OF AttrOrOID`): nil for the default derived from the CA
    /// key, empty for "none" (204 No Content).
    public var csrAttributes: [UInt8]?

    public init(listen: SocketAddress, threads: Int) {
        self.listen = listen
        self.threads = threads
    }
}
