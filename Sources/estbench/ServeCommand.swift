import ArgumentParser
import DER
import Engine
import EventLoop
import Foundation
import PKI
import Server
import TLS

/// `estbench serve`: the built-in EST server (a real CA, real TLS) — the default target of runs and
/// the server side of the issuance hot path.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the built-in EST server (RFC 7030) with its own CA on 127.0.0.1.",
        discussion: """
        Credentials for --auth basic come from --user-file (lines USER:PASSWORD) or the environment \
        variable ESTBENCH_USERS (USER:PASSWORD[,USER:PASSWORD...]), never from the command line. \
        Faults: --fault OPERATION:FAULT=FRACTION, FAULT one of \(FaultPlan.Fault.syntax); e.g. \
        --fault simpleenroll:503=0.1 --fault cacerts:delay:200=1. \
        When it stops (SIGINT, SIGTERM or --duration), serve prints its event counts — among them each \
        defence against hostile clients: notTLS, handshakeTimeout, handshakeAbandoned, tlsFailure, \
        idleTimeout, requestTimeout (slow headers), headerTooLarge, bodyTooLarge, badChunk, badRequest, \
        connectionCap, outOfDescriptors, drainTimeout, and continued (100 Continue) and pipelined \
        requests — and, per operation with faults, the requests it saw and the faults it injected (counted only when a fault changed \
        the response: e.g. wrong-key only on enrollments); --stats-json writes the same as JSON: \
        {"events": {...}, "operations": {"simpleenroll": {"requests": N, "faults": {"503": N}}}}.
        """
    )

    @Option(help: "Address to listen on (IPv4 or [IPv6]:port).")
    var listen = "127.0.0.1:8443"

    @Option(help: "Worker threads, each with its own loop, 1...256 (default: this machine's cores).")
    var threads: Int?

    /// --threads, or one per core.
    var threadCount: Int { threads ?? WorkerThreads.coreCount }

    @Option(name: .customLong("ca-key"), help: "CA key type.")
    var caKey: KeyType = .p256

    @Option(name: .customLong("ca-dir"), help: "Load the CA from DIR, or create it there (keys mode 0600).")
    var caDir: String?

    @Flag(help: "Issue from an intermediate CA under the root.")
    var intermediate = false

    @Option(help: "Authentication: none, basic, cert or cert-or-basic.")
    var auth: ServerConfiguration.Authentication = .none

    @Flag(name: .customLong("channel-binding"), help: "Require tls-unique / tls-exporter in challengePassword.")
    var channelBinding = false

    @Option(name: .customLong("client-ca"), help: "PEM file of a further CA whose certificates are accepted as TLS client certificates, e.g. a factory CA (repeatable).")
    var clientCA: [String] = []

    @Option(name: .customLong("user-file"), help: "File of USER:PASSWORD lines for Basic authentication.")
    var userFile: String?

    @Option(help: "CA label served under /.well-known/est/LABEL/ (repeatable).")
    var label: [String] = []

    @Option(help: "Validity of issued certificates in days (1...3650).")
    var validity = 30

    @Option(help: "csrattrs answer: a file with the DER (or base64) SEQUENCE OF AttrOrOID, or \"none\" for 204.")
    var csrattrs: String?

    @Option(help: "Fault to inject (repeatable): OPERATION:FAULT=FRACTION.")
    var fault: [String] = []

    @Option(name: .customLong("fault-seed"), help: "Seed of the fault draws.")
    var faultSeed: UInt64 = 1

    @Option(name: .customLong("stats-json"), help: "On exit, write the event counts and per-operation requests and injected faults to this JSON file.")
    var statsJSON: String?

    @Option(name: .customLong("handshake-timeout"), help: "Milliseconds from accepting a connection to the end of its TLS handshake (silent and stalled clients are cut off).")
    var handshakeTimeout: UInt64 = 10_000

    @Option(name: .customLong("idle-timeout"), help: "Milliseconds a kept-alive connection may wait for its next request.")
    var idleTimeout: UInt64 = 30_000

    @Option(name: .customLong("request-timeout"), help: "Milliseconds from a request's first byte to its last: the header (and body) timeout that cuts off slow clients.")
    var requestTimeout: UInt64 = 10_000

    @Option(name: .customLong("max-header-bytes"), help: "Largest request line plus header section, 1024...1048576 bytes; larger is refused with 431.")
    var maxHeaderBytes = 16 * 1024

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body, 1024...67108864 bytes; a larger one (declared or chunked) is refused with 413.")
    var maxBodyBytes = 64 * 1024

    @Option(help: "Answer at most N requests per second (a token bucket shared by all threads): a server of known capacity for capacity searches. Excess requests wait, in order.")
    var capacity: Int?

    @Option(name: .customLong("capacity-queue"), help: "Requests that may wait for --capacity before the server answers 503 with Retry-After (default: N, one second's worth).")
    var capacityQueue: Int?

    @Option(name: .customLong("max-connections"), help: "Connections held at once; at the cap the server stops accepting until some close (default: the descriptor limit less a reserve).")
    var maxConnections: Int?

    @Option(name: .customLong("drain-timeout"), help: "Milliseconds a client that stopped reading its responses (over 256 KiB unsent) has to catch up before it is cut off.")
    var drainTimeout: UInt64 = 10_000

    @Flag(name: .customLong("reuse-port"), help: "Share the port with other processes (SO_REUSEPORT); without it a port in use is an error.")
    var reusePort = false

    @Option(help: "Stop by itself after this many seconds (0: run until SIGINT/SIGTERM).")
    var duration: Double = 0

    @Option(help: "Serve Prometheus metrics (the process's CPU, RSS and build info) at http://ADDR:PORT/metrics.")
    var metricsListen: String?

    @Option(parsing: .unconditional, help: "Keep serving /metrics this many seconds after the server stopped.")
    var metricsLinger: Double = 0

    func validate() throws {
        guard metricsLinger >= 0, metricsLinger.isFinite else { throw ValidationError("--metrics-linger must be 0 or more seconds") }
        guard (1...256).contains(threadCount) else { throw ValidationError("--threads \(threadCount) is out of range; allowed: 1...256") }
        guard (1...3650).contains(validity) else { throw ValidationError("--validity \(validity) is out of range; allowed: 1...3650 days") }
        guard duration >= 0, duration <= 10_000_000, duration.isFinite else {
            throw ValidationError("--duration must be 0 to 10000000 seconds")
        }
        if let maxConnections, !(1...10_000_000).contains(maxConnections) {
            throw ValidationError("--max-connections \(maxConnections) is out of range; allowed: 1...10000000")
        }
        guard (1...3_600_000).contains(drainTimeout) else { throw ValidationError("--drain-timeout takes 1...3600000 milliseconds") }
        if capacityQueue != nil && capacity == nil { throw ValidationError("--capacity-queue needs --capacity N") }
        if let capacity {
            do { _ = try ServerCapacity(requestsPerSecond: capacity, queueLimit: capacityQueue) } catch { throw ValidationError("--\(error)") }
        }
        guard (1...3_600_000).contains(idleTimeout), (1...3_600_000).contains(requestTimeout), (1...3_600_000).contains(handshakeTimeout) else {
            throw ValidationError("--handshake-timeout, --idle-timeout and --request-timeout take 1...3600000 milliseconds")
        }
        guard (1024...1 << 20).contains(maxHeaderBytes) else {
            throw ValidationError("--max-header-bytes \(maxHeaderBytes) is out of range; allowed: 1024...1048576")
        }
        guard (1024...64 << 20).contains(maxBodyBytes) else {
            throw ValidationError("--max-body-bytes \(maxBodyBytes) is out of range; allowed: 1024...67108864")
        }
    }

    /// The certificates of every --client-ca file (each may hold several).
    func clientCAs() throws -> [[UInt8]] {
        var certificates: [[UInt8]] = []
        for path in clientCA {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw CLIError.badInput("--client-ca \(path): cannot read it: \(error.localizedDescription)")
            }
            let found: [[UInt8]]
            do { found = try PEM.decodeAll(text, label: "CERTIFICATE") } catch { throw CLIError.badInput("--client-ca \(path): \(error)") }
            guard !found.isEmpty else { throw CLIError.badInput("--client-ca \(path): holds no PEM CERTIFICATE; expected the CA's certificate in PEM") }
            for der in found {
                do { _ = try CertificateView(der: der[...]) } catch { throw CLIError.badInput("--client-ca \(path): not a certificate: \(error)") }
            }
            certificates += found
        }
        return certificates
    }

    func run() throws {
        let address: SocketAddress
        do { address = try SocketAddress(parsing: listen) } catch {
            throw CLIError.badInput("--listen \"\(listen)\" is not IPv4:port or [IPv6]:port")
        }
        var configuration = ServerConfiguration(listen: address, threads: threadCount)
        configuration.authentication = auth
        configuration.requireChannelBinding = channelBinding
        configuration.labels = label
        configuration.validityDays = validity
        configuration.limits.handshakeTimeoutMs = handshakeTimeout
        configuration.limits.idleTimeoutMs = idleTimeout
        configuration.limits.http.headerBytes = maxHeaderBytes
        configuration.limits.http.bodyBytes = maxBodyBytes
        configuration.limits.requestTimeoutMs = requestTimeout
        configuration.limits.drainTimeoutMs = drainTimeout
        let descriptors = DescriptorLimit.raiseSoftToHard()
        configuration.limits.maxConnections = maxConnections ?? ServerLimits.defaultMaxConnections(descriptorLimit: descriptors)
        configuration.reusePort = reusePort
        configuration.users = try users()
        configuration.clientCAs = try clientCAs()
        configuration.csrAttributes = try csrAttributes()
        if (auth == .basic || auth == .certOrBasic) && configuration.users.isEmpty {
            throw CLIError.badInput("--auth \(auth.rawValue) needs users: --user-file F or ESTBENCH_USERS=USER:PASSWORD")
        }
        var faults = FaultPlan()
        faults.seed = faultSeed
        for spec in fault {
            do { try faults.add(spec) } catch { throw CLIError.badInput("--fault: \(error)") }
        }
        configuration.faults = faults
        if let capacity {
            do { configuration.capacity = try ServerCapacity(requestsPerSecond: capacity, queueLimit: capacityQueue) } catch {
                throw CLIError.badInput("--\(error)")
            }
        }

        let authority = try makeAuthority(listenIP: address.ip)
        let bundle = try writeBundle(authority)
        let server: ESTServer
        do { server = try ESTServer.make(configuration: configuration, authority: authority) } catch {
            throw CLIError.failed("server: \(error)")
        }
        // Signals are taken by this thread only (sigwait): workers never see them.
        let signals = SignalWaiter.blockTermination()
        do { try server.start() } catch { throw CLIError.badInput("cannot listen on \(listen): \(error)") }
        let host = address.family == .ipv6 ? "[\(address.ip)]" : address.ip
        Console.out("estbench serve: https://\(host):\(server.port)/.well-known/est/ — \(threadCount) thread(s), CA \(caKey)"
                    + (intermediate ? " + intermediate" : "") + ", auth \(auth.rawValue)"
                    + (configuration.clientCAs.isEmpty ? "" : ", \(configuration.clientCAs.count) client CA(s)")
                    + (faults.entries.isEmpty ? "" : ", \(faults.entries.count) fault(s)")
                    + ", max \(configuration.limits.maxConnections ?? 0) connections"
                    + (reusePort ? ", port shared" : "")
                    + (configuration.capacity.map { ", capacity \($0.requestsPerSecond)/s (queue \($0.queueLimit))" } ?? ""))
        let endpoint = try metricsListen.map { try MetricsEndpoint.start(listen: $0) }
        let feeder = endpoint.map { endpoint in
            MetricsFeeder(endpoint: endpoint) {
                PrometheusPage(counts: nil, cpuSeconds: PrometheusPage.processCPUSeconds, residentBytes: ProcessMemory.currentRSSBytes, shard: nil).text()
            }
        }
        if let endpoint { Console.out("metrics: http://\(endpoint.address)/metrics") }
        Console.out("try: curl --cacert \(bundle) https://\(host):\(server.port)/.well-known/est/cacerts | base64 -d | openssl pkcs7 -inform DER -print_certs")
        // A signal or the end of --duration both stop the server: which one came does not matter.
        if duration > 0 { _ = signals.wait(seconds: duration) } else { _ = signals.wait() }
        server.stop()
        let counts = server.counts
        Console.out("estbench serve: stopped — " + ServerEvent.allCases.compactMap { e in
            counts[e].map { $0 > 0 ? "\(e.rawValue) \($0)" : nil } ?? nil
        }.joined(separator: ", "))
        let tally = server.faultTally
        for line in faultLines(tally, faults) { Console.out(line) }
        if let statsJSON { try writeStats(to: statsJSON, events: counts, tally: tally, plan: faults) }
        if let endpoint, let feeder {
            endpoint.finish(feeder: feeder,
                            finalPage: PrometheusPage(counts: nil, cpuSeconds: PrometheusPage.processCPUSeconds,
                                                      residentBytes: ProcessMemory.currentRSSBytes, shard: nil, complete: true).text(),
                            lingerSeconds: metricsLinger)
        }
    }

    func users() throws -> [String: String] {
        var lines: [Substring] = []
        if let userFile {
            guard let text = try? String(contentsOfFile: userFile, encoding: .utf8) else {
                throw CLIError.badInput("--user-file \(userFile): cannot read it")
            }
            lines += text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        }
        if let env = ProcessInfo.processInfo.environment["ESTBENCH_USERS"] { lines += env.split(separator: ",") }
        var users: [String: String] = [:]
        for (n, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CLIError.badInput("user entry \(n + 1) is not USER:PASSWORD")
            }
            users[String(parts[0])] = String(parts[1])
        }
        return users
    }

    /// The --csrattrs file: DER or base64 of one DER SEQUENCE; "none": empty (204).
    func csrAttributes() throws -> [UInt8]? {
        guard let csrattrs else { return nil }
        if csrattrs == "none" { return [] }
        guard let data = FileManager.default.contents(atPath: csrattrs) else {
            throw CLIError.badInput("--csrattrs \(csrattrs): cannot read it (or give \"none\")")
        }
        var bytes = Array(data)
        if bytes.first != 0x30, let decoded = try? Base64.decode(bytes) { bytes = decoded }
        guard (try? DERReader.single(bytes).expect(.sequence)) != nil else {
            throw CLIError.badInput("--csrattrs \(csrattrs): not a DER SEQUENCE (SEQUENCE OF AttrOrOID), in DER or base64")
        }
        return bytes
    }

    /// The CA: loaded from --ca-dir, or made (and saved there, under the directory's lock, so that
    /// serve processes started at once on one new --ca-dir all get the same CA).
    func makeAuthority(listenIP: String) throws -> CertificateAuthority {
        var options = CertificateAuthority.Options()
        options.keyType = caKey
        options.intermediate = intermediate
        // The server certificate must name the address clients connect to.
        if !options.serverIPAddresses.contains(listenIP) && listenIP != "0.0.0.0" && listenIP != "::" {
            options.serverIPAddresses.append(listenIP)
        }
        guard let caDir else {
            do { return try CertificateAuthority(options: options) } catch { throw CLIError.failed("CA: \(error)") }
        }
        do {
            try FileManager.default.createDirectory(atPath: caDir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return try CertificateAuthority.loadOrCreate(in: caDir, options: options).authority
        } catch CertificateAuthorityError.cannotCreate(let error) {
            throw CLIError.failed("CA: \(error)")
        } catch {
            throw CLIError.badInput("--ca-dir \(caDir): \(error)")
        }
    }

    /// The PEM bundle clients trust (the root), beside the CA or in a temporary directory.
    func writeBundle(_ authority: CertificateAuthority) throws -> String {
        let directory = caDir ?? (FileManager.default.temporaryDirectory.path + "/estbench-serve-\(getpid())")
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/cacerts.pem"
        do { try PEM.encode(authority.root, label: "CERTIFICATE").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CLIError.badInput("cannot write the CA bundle to \(path): \(error)")
        }
        return path
    }
}

extension ServerConfiguration.Authentication: ExpressibleByArgument {}
