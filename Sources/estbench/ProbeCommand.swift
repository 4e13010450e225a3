import ArgumentParser
import EventLoop
import Foundation
import HTTP
import PKI
import TLS

/// `estbench probe`: a few requests to one URL, each with its phase times and what TLS negotiated —
/// the command a person tries first against a server.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Send requests to an HTTPS URL and print each one's phase times and TLS facts.",
        discussion: """
        Phases: connect (TCP), tls (handshake), first byte (request written to first response byte), \
        complete (first to last response byte), total (from the start of the request). \
        Credentials: --user USER:PASSWORD, or --user USER with the password in the environment \
        variable ESTBENCH_PASSWORD (keeps it off the process list). Passwords are never printed.

        Exit status: 0 every answer was 2xx; 1 any other answer (or a failure after the connection \
        was up: timeout, bad HTTP); 2 bad input; 3 no answer at all, every request failed to connect \
        or to complete TLS.
        """
    )

    enum Method: String, ExpressibleByArgument { case GET, POST }

    @Argument(help: "https://host[:port]/path")
    var url: String

    @Option(help: "GET or POST.")
    var method: Method = .GET

    @Option(name: .customLong("data-file"), help: "Request body file (POST).")
    var dataFile: String?

    @Option(name: .customLong("content-type"), help: "Content-Type of the body.")
    var contentType: String?

    @Option(help: "PEM file of CA certificates to trust (default: the system's).")
    var cacert: String?

    @Option(help: "PEM client certificate (chain) to present.")
    var cert: String?

    @Option(help: "PEM private key of --cert.")
    var key: String?

    @Option(help: "Basic credentials: USER:PASSWORD, or USER with ESTBENCH_PASSWORD set.")
    var user: String?

    @Flag(name: .customLong("tls1.2"), help: "Only TLS 1.2.")
    var tls12 = false

    @Flag(name: .customLong("tls1.3"), help: "Only TLS 1.3.")
    var tls13 = false

    @Option(help: "Key-exchange groups in preference order, e.g. X25519:P-256.")
    var groups: String?

    @Option(help: "Session resumption: off, tickets or ids.")
    var resume: TLSConfiguration.Resumption = .off

    @Option(help: "Number of requests (1...100000).")
    var count: Int = 1

    @Option(help: "Requests in flight at once (1...1000).")
    var concurrency: Int = 1

    @Flag(name: .customLong("new-connection-each"), help: "Open a new connection for every request.")
    var newConnectionEach = false

    @Option(help: "Seconds one request may take.")
    var timeout: Double = 30

    @Flag(help: "Do not verify the server's certificate (explicit opt-out).")
    var insecure = false

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count \(count) is out of range; allowed: 1...100000") }
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency \(concurrency) is out of range; allowed: 1...1000") }
        guard !(tls12 && tls13) else { throw ValidationError("--tls1.2 and --tls1.3 exclude each other") }
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
        guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--timeout \(timeout) is out of range; allowed: 0-3600 seconds") }
    }

    func run() throws {
        let target = try ProbeTarget(url: url)
        var tls = TLSConfiguration(role: .client)
        if tls12 { tls.minimumVersion = .tls12; tls.maximumVersion = .tls12 }
        if tls13 { tls.minimumVersion = .tls13; tls.maximumVersion = .tls13 }
        tls.groups = groups
        tls.resumption = resume
        tls.verifyPeer = !insecure
        if let cacert {
            tls.trustedCertificates = try certificates(in: cacert, option: "--cacert")
        } else {
            tls.trustFile = "/etc/ssl/certs/ca-certificates.crt"
        }
        var identity: (chain: [[UInt8]], key: PrivateKey)?
        if let cert, let key {
            let chain = try certificates(in: cert, option: "--cert")
            let privateKey: PrivateKey
            do { privateKey = try PrivateKey.load(pemFile: key) } catch { throw CLIError.badInput("--key: \(error)") }
            let belongs: Bool
            do { belongs = try privateKey.isKey(ofCertificate: chain[0]) } catch { throw CLIError.badInput("--cert \(cert): \(error)") }
            guard belongs else {
                throw CLIError.badInput("--cert \(cert) and --key \(key) do not belong together: the certificate's public key is not the key's "
                                        + "(the first certificate in the file must be the one issued for the key)")
            }
            identity = (chain, privateKey)
        }
        let context: TLSContext
        do { context = try TLSContext(tls) } catch { throw CLIError.badInput("TLS settings: \(error)") }

        var body: [UInt8] = []
        if let dataFile {
            guard let data = FileManager.default.contents(atPath: dataFile) else {
                throw CLIError.badInput("--data-file \(dataFile): cannot read it")
            }
            body = Array(data)
        }
        let template: HTTPRequestTemplate
        do {
            template = try HTTPRequestTemplate(method: method == .GET ? .get : .post, target: target.path, host: target.hostField,
                                               contentType: contentType, credentials: try credentials())
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.badInput("request: \(error)")
        }

        let loop = try Loop()
        let settings = ProbeRun.Settings(count: count, concurrency: concurrency, newConnectionEach: newConnectionEach,
                                         timeoutNs: UInt64(timeout * 1e9), method: method == .GET ? .get : .post,
                                         body: body, clientIdentity: identity)
        Console.out("probe \(url) → \(target.address): \(count) request(s), concurrency \(concurrency)"
                    + (newConnectionEach ? ", new connection each" : ", keep-alive") + ", resumption \(resume.rawValue)")
        let run = ProbeRun(loop: loop, context: context, target: target, template: template, settings: settings) {
            Console.out($0.line)
        }
        let started = MonotonicTime.nowNs()
        let records = try run.run()
        let elapsed = MonotonicTime.nowNs() - started
        try loop.close()
        ProbeSummary(records: records, elapsedNs: elapsed).print()
        let code = ProbeExit.code(records)
        if code != 0 { throw ExitCode(code) }
    }

    func certificates(in path: String, option: String) throws -> [[UInt8]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.badInput("\(option) \(path): cannot read it")
        }
        let ders: [[UInt8]]
        do { ders = try PEM.decodeAll(text, label: "CERTIFICATE") } catch { throw CLIError.badInput("\(option) \(path): \(error)") }
        guard !ders.isEmpty else { throw CLIError.badInput("\(option) \(path): no PEM CERTIFICATE in it") }
        return ders
    }

    func credentials() throws -> BasicCredentials? {
        guard let user else { return nil }
        let parts = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let password: String
        if parts.count == 2 {
            password = String(parts[1])
            Console.error("estbench: warning: a password given on the command line is visible to other users (ps); prefer --user USER with ESTBENCH_PASSWORD")
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["ESTBENCH_PASSWORD"] {
            password = fromEnvironment
        } else {
            throw CLIError.badInput("--user \(parts[0]): no password; give USER:PASSWORD or set ESTBENCH_PASSWORD")
        }
        do { return try BasicCredentials(user: String(parts[0]), password: password) } catch {
            throw CLIError.badInput("--user: \(error)")
        }
    }
}

extension TLSConfiguration.Resumption: ExpressibleByArgument {}
