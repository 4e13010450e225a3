import ArgumentParser
import Foundation
import Glibc
import PKI

/// Which modes `bench calibrate` measures.
enum CalibrationModeChoice: String, ExpressibleByArgument, CaseIterable {
    case keepalive, newconn, both

    var modes: [CalibrationMode] {
        switch self {
        case .keepalive: return [.keepalive]
        case .newconn: return [.newconn]
        case .both: return [.keepalive, .newconn]
        }
    }
}

/// `bench calibrate`: is the load generator the bottleneck? h2load and estbench against the same
/// `estbench serve --threads 1`, one after the other in interleaved pairs, each client's CPU per
/// request measured the same way, and the server's CPU per request under each.
struct BenchCalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "CPU per request of h2load and of estbench against the built-in server (a child serve --threads 1), and their ratio.",
        discussion: """
        Needs h2load on PATH (apt-get install -y nghttp2-client). Per mode, pairs of runs (h2load, then \
        estbench run --threads 1 with an equivalent profile) against one `estbench serve --threads 1` on \
        127.0.0.1: keepalive (the same enrollment POST on 4 kept-alive connections) and newconn (each \
        enrollment on a new TLS 1.3 connection, --rate arrivals per second). Prints per mode the medians \
        (and min–max) over the pairs of h2load's CPU per request, estbench's per operation, their ratio, and the \
        server's CPU per request under each; with keepalive, also `bench issue`'s in-process issuance beside it.
        """
    )

    static let h2loadMissing = "h2load is not installed (not found on PATH); install it with: apt-get install -y nghttp2-client"

    @Option(help: "Enrollments per run (10...1000000; default 20000 kept-alive, 2000 on new connections: enough that start-up is a small part of the whole process's CPU).")
    var requests: Int?

    @Option(help: "Interleaved pairs of runs (h2load, estbench) per mode (1...20).")
    var pairs: Int = 3

    @Option(help: "keepalive, newconn or both.")
    var mode: CalibrationModeChoice = .both

    @Option(help: "newconn: new connections (enrollments) per second (10...100000).")
    var rate: Int = 500

    @Flag(help: "Print one JSON document instead of the text.")
    var json = false

    func validate() throws {
        if let requests, !(10...1_000_000).contains(requests) {
            throw ValidationError("--requests \(requests) is out of range; allowed: 10...1000000")
        }
        guard (1...20).contains(pairs) else { throw ValidationError("--pairs \(pairs) is out of range; allowed: 1...20") }
        guard (10...100_000).contains(rate) else { throw ValidationError("--rate \(rate) is out of range; allowed: 10...100000") }
    }

    /// The `--json` document.
    struct Document: Encodable {
        let estbench: String
        let h2load: String
        let modes: [CalibrationSummary]
        /// `bench issue`'s in-process issuance for the server's P-256 CA (ours), µs; with keepalive only.
        let benchIssueUs: Double?
        /// Server CPU per kept-alive enrollment (median, under h2load) over `benchIssueUs`.
        let serverKeepaliveOverBenchIssue: Double?
        /// The kernel's part of that server CPU (median, under h2load), µs per request.
        let serverKeepaliveKernelUs: Double?
        /// The server's CPU without the kernel's part, over `benchIssueUs`: its user-space work alone.
        let serverKeepaliveUserOverBenchIssue: Double?
    }

    func run() throws {
        guard let h2load = SpawnedChild.onPath("h2load") else { throw CLIError.badInput(Self.h2loadMissing) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-calibrate-\(getpid())").path
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw CLIError.failed("cannot make \(folder): \(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let version = try h2loadVersion(h2load, folder: folder)
        let csrBody = folder + "/csr.b64"
        try CalibrationClients.write(String(decoding: Base64.encode(try csr()), as: UTF8.self), to: csrBody)

        let server = try CalibrationServer.start(in: folder)
        defer { server.stop() }
        progress("server: estbench serve --threads 1 on \(server.url) (pid \(server.child.pid)); h2load: \(h2load)")
        var summaries: [CalibrationSummary] = []
        for mode in mode.modes {
            let requests = self.requests ?? (mode == .keepalive ? 20_000 : 2_000)
            let clients = CalibrationClients(h2load: h2load, server: server, folder: folder, csrBody: csrBody, requests: requests,
                                             connections: min(4, requests), rate: rate)
            var h2loadRuns: [CalibrationRun] = [], estbenchRuns: [CalibrationRun] = []
            for pair in 1...pairs {
                let h = try clients.runH2load(mode, label: "\(mode.rawValue)-\(pair)-h2load")
                let e = try clients.runEstbench(mode, label: "\(mode.rawValue)-\(pair)-estbench")
                for run in [h, e] where run.succeeded != UInt64(requests) {
                    throw CLIError.failed("\(run.client) (\(mode.rawValue)) finished \(run.succeeded) of \(requests) enrollments")
                }
                h2loadRuns.append(h)
                estbenchRuns.append(e)
                progress("\(mode.rawValue) pair \(pair)/\(pairs): h2load \(Format.fixed(h.clientUsPerRequest, 1)) µs/request, "
                         + "estbench \(Format.fixed(e.clientUsPerRequest, 1)) µs/operation")
            }
            summaries.append(CalibrationSummary(mode: mode, requests: requests, h2load: h2loadRuns, estbench: estbenchRuns))
        }
        // The server's CPU per kept-alive enrollment beside the issuance path alone, in process.
        var issueUs: Double?, overIssue: Double?, kernelUs: Double?, userOverIssue: Double?
        if let keepalive = summaries.first(where: { $0.mode == .keepalive }) {
            let rows = try BenchReport.measure { try IssueBenchmark.run(caKeyType: .p256, rounds: 1) }
            if let issue = rows.first(where: { $0.name == IssueBenchmark.issue })?.nsPerOp, issue > 0 {
                let server = keepalive.serverUsPerRequestUnderH2load.median, kernel = keepalive.serverSystemUsPerRequestUnderH2load.median
                issueUs = issue / 1000
                overIssue = server * 1000 / issue
                kernelUs = kernel
                userOverIssue = (server - kernel) * 1000 / issue
            }
        }
        let document = Document(estbench: Estbench.version, h2load: version, modes: summaries, benchIssueUs: issueUs,
                                serverKeepaliveOverBenchIssue: overIssue, serverKeepaliveKernelUs: kernelUs,
                                serverKeepaliveUserOverBenchIssue: userOverIssue)
        json ? Console.outJSON(document) : printText(document)
    }

    func printText(_ d: Document) {
        Console.out("# estbench \(d.estbench) and \(d.h2load), one after the other against estbench serve --threads 1 on 127.0.0.1;"
                    + " CPU time (user + system) per request")
        for summary in d.modes { summary.lines.forEach(Console.out) }
        if let issue = d.benchIssueUs, let ratio = d.serverKeepaliveOverBenchIssue, let kernel = d.serverKeepaliveKernelUs,
           let userRatio = d.serverKeepaliveUserOverBenchIssue {
            Console.out("server per kept-alive enrollment (under h2load) is \(Format.fixed(ratio, 2))x bench issue's in-process issue path"
                        + " (P-256 CA: \(Format.fixed(issue, 1)) µs); \(Format.fixed(kernel, 1)) µs of it is the kernel's (socket reads, writes,"
                        + " wake-ups), and without it \(Format.fixed(userRatio, 2))x: the rest is TLS records, HTTP, base64 and the event loop")
        }
        Console.out("estbench checked every response (status, media type, base64, the PKCS#7, the certificate issued for its key and its "
                    + "validity; the server chain verified once); issued-certificate signatures are not checked without cacerts in the lifecycle. "
                    + "h2load checks the status only.")
    }

    /// The CSR h2load posts: P-256, like the profile's devices.
    func csr() throws -> [UInt8] {
        do {
            let builder = try CSRBuilder(template: try CSRTemplate(commonName: "h2load-{i}", sanDNS: ["{i}.devices.example"]))
            return try builder.build(index: 1, signer: try Signer(key: try KeyGenerator(type: .p256).generate()))
        } catch { throw CLIError.failed("cannot make the CSR: \(error)") }
    }

    /// Progress goes to standard error, one line per step.
    func progress(_ line: String) { Console.error("calibrate: " + line) }

    /// "h2load nghttp2/1.52.0".
    func h2loadVersion(_ h2load: String, folder: String) throws -> String {
        let out = folder + "/h2load-version.out"
        let end = try SpawnedChild.start(h2load, ["--version"], stdout: out, stderr: folder + "/h2load-version.err").wait(timeoutSeconds: 10)
        let text = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard end.status == 0, !text.isEmpty else { throw CLIError.failed("\(h2load) --version exited \(end.status)") }
        return text
    }
}
