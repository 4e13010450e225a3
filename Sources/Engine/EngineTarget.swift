import EST
import EventLoop
import HTTP

/// One server a device talks to, as the engine needs it on the hot path: the address to connect to,
/// the TLS server name, and the request templates (their Host field and path are this server's).
struct EngineTarget {
    let address: SocketAddress
    let serverName: String
    let templates: ESTOperationTable<HTTPRequestTemplate>
    /// What the console calls it (the URL).
    let description: String
    /// `target.resolveEverySeconds`: every address its name resolves to now (new connections spread
    /// over them); nil: always `address`.
    var addresses: TargetAddresses? = nil
}
