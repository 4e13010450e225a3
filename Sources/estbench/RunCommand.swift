import ArgumentParser
import Engine
import Foundation
import Metrics
import PKI
import Workload

/// `estbench run`: load an EST server from a workload profile (with no profile and no target: the
/// built-in default against the built-in server), then print the per-operation summary.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workload profile against an EST server (default: the built-in server).",
        discussion: """
        This build runs closed-model profiles with ordered lifecycles; results are printed, and \
        result files arrive with the report module. Without a profile: \(RunCommand.defaultName) \
        (20 devices, cacerts → simpleenroll → simplereenroll ×2 for 10 s on the built-in server).
        """
    )

    static let defaultName = "built-in default"
    static let defaultProfile = """
    devices:
      count: 20
      keyType: p256
      csr:
        commonName: "estbench-device-{i}"
    lifecycle:
      - op: cacerts
      - op: simpleenroll
      - op: simplereenroll
        repeat: 2
    connection:
      keepAlive: true
    load:
      closed:
        devices: 20
        thinkTimeMs: 0
    stop:
      durationSeconds: 10
    """

    @Argument(help: "Workload profile (YAML); none: the built-in default.")
    var profile: String?

    @Option(name: .customLong("set"), help: "Override a profile field: path=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Target URL (https://host:port); none: the built-in server.")
    var target: String?

    @Option(help: "Number of devices.")
    var devices: Int?

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: "Stop after this many operations.")
    var requests: Int?

    @Option(help: "Load threads (default: half the cores when the built-in server runs too).")
    var threads: Int?

    func run() throws {
        var list: [ProfileOverride] = []
        for text in overrides {
            do { list.append(try ProfileOverride(parsing: text)) } catch { throw CLIError.badInput("--set \(text): \(error)") }
        }
        func flag(_ f: ProfileFlag, _ value: String?) throws {
            guard let value else { return }
            list += ProfileOverride.overrides(flag: f, value: value)
        }
        try flag(.target, target)
        try flag(.devices, devices.map(String.init))
        try flag(.duration, duration.map { String($0) })
        try flag(.requests, requests.map(String.init))
        let plan: RunPlan
        do {
            if let profile {
                plan = try RunPlan.load(file: profile, overrides: list)
            } else {
                plan = try RunPlan.load(yaml: RunCommand.defaultProfile, name: "default", overrides: list)
            }
        } catch {
            throw CLIError.badInput("\(error)")
        }
        let cores = WorkerThreads.coreCount
        let loadThreads = threads ?? (plan.profile.target.usesBuiltInServer ? max(1, cores / 2) : cores)
        let coordinator = RunCoordinator(plan: plan, threads: loadThreads) { Console.out($0) }
        let outcome: RunCoordinator.Outcome
        do { outcome = try coordinator.run() } catch let error as RunCoordinator.RunError {
            throw CLIError.badInput("\(error)")
        }
        RunReport(outcome: outcome).print()
    }
}

/// The console summary of a run: per operation count, rate, latency percentiles (corrected for
/// coordinated omission) and outcomes; then what TLS did.
struct RunReport {
    let outcome: RunCoordinator.Outcome

    func print() {
        let summary = MetricsSummary(outcome.metrics, durationNs: outcome.durationNs)
        Console.out("--- \(outcome.target), \(Format.seconds(outcome.durationNs))")
        Console.out(Format.padded("operation", 16) + Format.padded("count", 9, right: true) + Format.padded("ops/s", 10, right: true)
                    + Format.padded("p50 ms", 10, right: true) + Format.padded("p90 ms", 10, right: true)
                    + Format.padded("p99 ms", 10, right: true) + Format.padded("p99.9 ms", 10, right: true)
                    + Format.padded("max ms", 10, right: true) + "  outcomes")
        for op in summary.operations where op.count > 0 {
            let l = op.latency["total"]
            func ms(_ us: UInt64?) -> String { us.map { Format.fixed(Double($0) / 1000, 2) } ?? "-" }
            let outcomes = op.counters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            Console.out(Format.padded(op.name, 16) + Format.padded(String(op.count), 9, right: true)
                        + Format.padded(Format.fixed(op.ratePerSecond, 1), 10, right: true)
                        + Format.padded(ms(l?.p50Us), 10, right: true) + Format.padded(ms(l?.p90Us), 10, right: true)
                        + Format.padded(ms(l?.p99Us), 10, right: true) + Format.padded(ms(l?.p999Us), 10, right: true)
                        + Format.padded(ms(l?.maxUs), 10, right: true) + "  " + outcomes)
        }
        let t = outcome.tls
        Console.out("tls: \(t.handshakes) handshake(s) \(t.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), "
                    + "\(t.resumed) resumed, \(t.helloRetryRequests) HelloRetryRequest(s)")
    }
}
