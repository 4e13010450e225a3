import Foundation
import Metrics
import Report

/// How the clients enroll in a calibration.
enum CalibrationMode: String, CaseIterable, Encodable {
    /// N enrollments on a few kept-alive connections, the same POST each time.
    case keepalive
    /// Every enrollment on a new TLS 1.3 connection (no resumption), at a fixed arrival rate.
    case newconn
}

/// One client's run in a calibration: what it finished and what it cost, its own CPU and the server's.
struct CalibrationRun: Encodable {
    let client: String
    /// Enrollments answered with a certificate.
    let succeeded: UInt64
    /// The client process's CPU time (user + system), from wait4, ns.
    let processCPUNs: UInt64
    /// estbench only: its load threads' CPU time while they ran (result.json's `tool.cpuNs`), ns.
    let loadThreadsCPUNs: UInt64?
    /// The server process's CPU time during this run, ns.
    let serverCPUNs: UInt64
    /// The kernel's part of it (system time, to the 10 ms clock tick), ns.
    let serverSystemCPUNs: UInt64

    private func perRequestUs(_ ns: UInt64) -> Double { succeeded > 0 ? Double(ns) / Double(succeeded) / 1000 : 0 }
    var processUsPerRequest: Double { perRequestUs(processCPUNs) }
    /// The figure compared: the load threads' for estbench (devices' keys are made before its clock
    /// starts), the whole process's for h2load.
    var clientUsPerRequest: Double { perRequestUs(loadThreadsCPUNs ?? processCPUNs) }
    var serverUsPerRequest: Double { perRequestUs(serverCPUNs) }
    var serverSystemUsPerRequest: Double { perRequestUs(serverSystemCPUNs) }
}

/// The two clients of a calibration, run one at a time against `server`, each measured the same way.
struct CalibrationClients {
    let h2load: String
    let server: CalibrationServer
    let folder: String
    /// The CSR body h2load posts (base64 of a P-256 PKCS#10, 64-column lines).
    let csrBody: String
    let requests: Int
    let connections: Int
    let rate: Int
    /// A bound on one client's run.
    var timeoutSeconds: Double { 60 + Double(requests) / Double(rate) * 3 }

    func h2loadArguments(_ mode: CalibrationMode) -> [String] {
        let common = ["--h1", "-t", "1", "-d", csrBody, "-H", "Content-Type: application/pkcs10"]
        switch mode {
        case .keepalive:
            return common + ["-c", "\(connections)", "-n", "\(requests)", server.enrollURL]
        case .newconn:
            // One client per enrollment, a new connection each, started as evenly as h2load allows
            // (estbench's open model spaces its arrivals evenly): at the default 500/s one every 2 ms.
            // A connection that arrives while the server sleeps costs the client the server's wake-up
            // (its connect runs the server's SYN handling and wakes it): 5 every 10 ms cost h2load ~20%
            // less CPU per connection than 1 every 2 ms, measured — the comparison would measure the
            // arrival pattern. h2load refuses a per-period rate above its number of clients.
            let pace = Self.h2loadPace(rate: rate, clients: requests)
            return common + ["-c", "\(requests)", "-n", "\(requests)", "-r", "\(pace.perPeriod)", "--rate-period", "\(pace.periodMs)ms",
                             server.enrollURL]
        }
    }

    /// h2load's `-r` and `--rate-period` for `rate` new connections per second. h2load's period is a
    /// whole number of milliseconds: the shortest (up to 100 ms) in which `rate` starts a whole number
    /// of connections — one every 1000/rate ms when rate divides 1000 — keeps the rate exact and the
    /// starts as even as h2load can make them; a rate with no such period is rounded, 10 ms periods
    /// from 100/s up. Never more per period than `clients`.
    static func h2loadPace(rate: Int, clients: Int) -> (perPeriod: Int, periodMs: Int) {
        if let periodMs = (1...100).first(where: { rate * $0 % 1000 == 0 }) {
            return (min(clients, rate * periodMs / 1000), periodMs)
        }
        let periodMs = rate >= 100 ? 10 : 100
        return (min(clients, max(1, rate * periodMs / 1000)), periodMs)
    }

    /// h2load's TLS 1.3 cipher suites, in its order (nghttp2's default). OpenSSL's own order puts
    /// AES-256-GCM-SHA384 first, which costs both sides a SHA-384 key schedule: estbench offers
    /// h2load's list so that both negotiate the same suite.
    static let h2loadSuites = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256"]

    /// newconn: devices that take the arrivals in turn, each enrolling again on a new connection. h2load
    /// posts one CSR body from every client; a device per enrollment would make (and keep) 2,000 keys and
    /// CSRs, which is neither connection work nor in h2load's figure (~27 µs per enrollment of the whole
    /// process's CPU, measured). 32 covers 500 arrivals per second many times over at a few ms each.
    static let newconnDevices = 32

    /// The estbench profile equivalent to `h2loadArguments(mode)`.
    func profile(_ mode: CalibrationMode) -> String {
        Self.profile(mode, url: server.url, bundle: server.bundle, requests: requests, connections: connections, rate: rate,
                     durationSeconds: Int(timeoutSeconds - 30))
    }

    static func profile(_ mode: CalibrationMode, url: String, bundle: String, requests: Int, connections: Int, rate: Int,
                        durationSeconds: Int) -> String {
        let devices = mode == .keepalive ? connections : min(requests, newconnDevices)
        var text = """
        target:
          url: \(url)
          caBundle: \(bundle)
          tls:
            versions: {min: "1.3", max: "1.3"}
            suites: [\(CalibrationClients.h2loadSuites.joined(separator: ", "))]
        devices:
          count: \(devices)
          keyType: p256
        lifecycle:
          - op: simpleenroll

        """
        switch mode {
        case .keepalive:
            text += "connection: {keepAlive: true}\nload: {closed: {devices: \(devices)}}\n"
        case .newconn:
            text += "connection: {newPerOperation: true, resumption: off}\nload: {open: {rate: \(rate)}}\n"
        }
        text += "stop: {operations: \(requests), durationSeconds: \(durationSeconds)}\n"
        return text
    }

    func runH2load(_ mode: CalibrationMode, label: String) throws -> CalibrationRun {
        let out = "\(folder)/\(label).out"
        let (end, serverNs, serverSystemNs) = try measured(h2load, h2loadArguments(mode), out: out, err: "\(folder)/\(label).err")
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        guard end.status == 0, let succeeded = CalibrationClients.h2loadSucceeded(text) else {
            throw CLIError.failed("h2load (\(mode.rawValue)) exited \(end.status) without its request counts: \(CalibrationClients.tail(out, "\(folder)/\(label).err"))")
        }
        return CalibrationRun(client: "h2load", succeeded: succeeded, processCPUNs: end.cpuNs, loadThreadsCPUNs: nil, serverCPUNs: serverNs,
                              serverSystemCPUNs: serverSystemNs)
    }

    func runEstbench(_ mode: CalibrationMode, label: String) throws -> CalibrationRun {
        let profilePath = "\(folder)/calibrate-\(mode.rawValue).yaml"
        try CalibrationClients.write(profile(mode), to: profilePath)
        let out = "\(folder)/\(label).out", err = "\(folder)/\(label).err"
        let arguments = ["run", profilePath, "--threads", "1", "--json", "--results", "\(folder)/results", "--checkpoint-seconds", "0"]
        let (end, serverNs, serverSystemNs) = try measured(ChildRuns.executable.path, arguments, out: out, err: err)
        let digest: Digest, result: RunResult
        do {
            digest = try JSONDecoder().decode(Digest.self, from: Data(contentsOf: URL(fileURLWithPath: out)))
            guard let folder = digest.results else { throw CLIError.failed("no results folder") }
            result = try ReportRun.load(folder: URL(fileURLWithPath: folder)).result
        } catch {
            throw CLIError.failed("estbench run (\(mode.rawValue)) exited \(end.status) without a result: \(CalibrationClients.tail(err))")
        }
        guard end.status == RunExit.passed, let tool = result.tool else {
            throw CLIError.failed("estbench run (\(mode.rawValue)) exited \(end.status): \(CalibrationClients.tail(err))")
        }
        let succeeded = digest.operations.reduce(UInt64(0)) { $0 + $1.succeeded }
        return CalibrationRun(client: "estbench", succeeded: succeeded, processCPUNs: end.cpuNs, loadThreadsCPUNs: tool.cpuNs,
                              serverCPUNs: serverNs, serverSystemCPUNs: serverSystemNs)
    }

    /// What calibrate reads of `estbench run --json`: the successes and the results folder.
    private struct Digest: Decodable {
        struct Operation: Decodable { let succeeded: UInt64 }
        let operations: [Operation]
        let results: String?
    }

    /// Runs a child to its end; its end and the server's CPU time meanwhile.
    /// Runs one client to its end; with its end, the server's CPU time during the run and the kernel's part of it.
    private func measured(_ executable: String, _ arguments: [String], out: String, err: String) throws -> (SpawnedChild.End, UInt64, UInt64) {
        let before = try server.cpuNs(), systemBefore = try server.systemNs()
        let child = try SpawnedChild.start(executable, arguments, stdout: out, stderr: err)
        let end = child.wait(timeoutSeconds: timeoutSeconds)
        let cpu = try server.cpuNs() - before
        return (end, cpu, min(cpu, try server.systemNs() - systemBefore))
    }

    /// h2load's 2xx count ("status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx"), nil when it printed none.
    static func h2loadSucceeded(_ output: String) -> UInt64? {
        for line in output.split(separator: "\n") where line.hasPrefix("status codes:") {
            let words = line.dropFirst("status codes:".count).split(whereSeparator: { $0 == " " || $0 == "," })
            if let i = words.firstIndex(of: "2xx"), i > words.startIndex { return UInt64(words[i - 1]) }
        }
        return nil
    }

    /// The last lines a child wrote to these files (its folder is removed when calibrate ends).
    static func tail(_ paths: String...) -> String {
        let text = paths.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n")
        return String(text.split(separator: "\n").suffix(6).joined(separator: "\n"))
    }

    static func write(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CLIError.failed("cannot write \(path): \(error)")
        }
    }
}
