import Engine
import EventLoop
import Foundation
import PKI
import Server
import Workload

/// The built-in EST server `estbench run` loads when the profile names no target: 127.0.0.1, a
/// fresh CA, on the cores the load threads leave. Started before the engine, stopped after it.
struct BuiltInServer {
    let server: ESTServer
    let target: RunTarget

    /// The server's threads: the cores the load threads leave, at least one.
    static func threads(cores: Int, loadThreads: Int) -> Int { max(1, cores - loadThreads) }

    /// What the console says about the cores: the server runs on the machine it is measured from, so
    /// every figure includes its CPU as well as the load's.
    static func sharingNote(cores: Int, loadThreads: Int) -> String {
        let serverThreads = threads(cores: cores, loadThreads: loadThreads)
        let over = serverThreads + loadThreads > cores ? " (\(serverThreads + loadThreads) threads on \(cores) core(s): oversubscribed)" : ""
        return "the built-in server shares this machine's \(cores) core(s) with \(loadThreads) load thread(s)\(over): figures measure both "
            + "(give a target URL to measure a server alone)"
    }

    /// Starts the server for `plan` (its CA label and channel-binding requirement).
    static func start(plan: RunPlan, loadThreads: Int) throws -> BuiltInServer {
        let authority: CertificateAuthority
        do { authority = try CertificateAuthority() } catch { throw CLIError.badInput("built-in CA: \(error)") }
        let threads = BuiltInServer.threads(cores: WorkerThreads.coreCount, loadThreads: loadThreads)
        var configuration = ServerConfiguration(listen: try SocketAddress(ip: "127.0.0.1", port: 0), threads: threads)
        if let label = plan.profile.target.caLabel { configuration.labels = [label] }
        configuration.requireChannelBinding = plan.profile.channelBinding
        // Devices present factory certificates first: the server accepts the profile's factory CA as well.
        if case .factoryCA(let ca)? = plan.profile.target.bootstrap {
            do { configuration.clientCAs = try PEM.decodeAll(try String(contentsOfFile: ca.certificatePath, encoding: .utf8), label: "CERTIFICATE") } catch {
                throw CLIError.badInput("target.bootstrap.caCertificate \(ca.certificatePath): cannot read it: \(error)")
            }
        }
        let server = try ESTServer.make(configuration: configuration, authority: authority, log: ServerLog { _ in })
        try server.start()
        let address = try SocketAddress(ip: "127.0.0.1", port: server.port)
        return BuiltInServer(server: server,
                             target: .builtInServer(address: address, root: authority.root, label: plan.profile.target.caLabel, threads: threads))
    }

    func stop() { server.stop() }
}
