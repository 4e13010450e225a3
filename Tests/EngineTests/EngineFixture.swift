import Engine
import EST
import EventLoop
import Foundation
import Metrics
import PKI
import Server
import Workload
import XCTest

/// An in-process EST server on 127.0.0.1 (its own CA, optional faults) and in-process runs of the
/// engine against it: the engine's behaviour tested without child processes.
final class EngineFixture {
    let authority: CertificateAuthority
    let server: ESTServer
    let directory: URL
    /// The root certificate as a PEM file, for `target.caBundle`.
    let bundlePath: String
    private var stopped = false

    /// - Parameters:
    ///   - authentication, users, clientCAs: the server's `--auth`, `--user-file` and `--client-ca`.
    ///   - listen: where the server listens (nil: 127.0.0.1, a free port).
    ///   - authorityOptions: the CA and server certificate (e.g. the names the server certificate covers).
    init(faults: [String] = [], channelBinding: Bool = false, threads: Int = 1, capacity: ServerCapacity? = nil,
         authentication: ServerConfiguration.Authentication = .none, users: [String: String] = [:], clientCAs: [[UInt8]] = [],
         authorityOptions: CertificateAuthority.Options = CertificateAuthority.Options(),
         listen: SocketAddress? = nil) throws {
        authority = try CertificateAuthority(options: authorityOptions)
        var configuration = ServerConfiguration(listen: try listen ?? SocketAddress(ip: "127.0.0.1", port: 0), threads: threads)
        var plan = FaultPlan()
        for f in faults { try plan.add(f) }
        configuration.faults = plan
        configuration.requireChannelBinding = channelBinding
        configuration.capacity = capacity
        configuration.authentication = authentication
        configuration.users = users
        configuration.clientCAs = clientCAs
        server = try ESTServer.make(configuration: configuration, authority: authority, log: ServerLog { _ in })
        try server.start()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        bundlePath = directory.appendingPathComponent("root.pem").path
        try PEM.encode(authority.root, label: "CERTIFICATE").write(toFile: bundlePath, atomically: true, encoding: .utf8)
    }

    /// Stops the server (once) and returns what it counted.
    @discardableResult
    func stop() -> FaultTally {
        if !stopped {
            stopped = true
            server.stop()
            try? FileManager.default.removeItem(at: directory)  // a temporary folder: leftovers do no harm
        }
        return server.faultTally
    }

    deinit { stop() }

    /// Stops the server and returns its event counts.
    func stopCounts() -> [ServerEvent: Int] {
        stop()
        return server.counts
    }

    /// The profile's `target` section for this server.
    var target: String {
        """
        target:
          url: https://127.0.0.1:\(server.port)
          caBundle: \(bundlePath)
        """
    }

    /// Writes `text` to a file in the fixture's folder and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A finished in-process run, with the wall time it took.
    struct Run {
        let outcome: RunCoordinator.Outcome
        let wallSeconds: Double
        /// From the start of measurement (after key generation and warm-up) to the run's return.
        var secondsAfterMeasurementStarted: Double = 0

        func counters(_ op: String) -> [String: UInt64] {
            outcome.metrics[op]?.outcomes.byKey ?? [:]
        }

        func count(_ op: String) -> UInt64 { outcome.metrics[op]?.count ?? 0 }
    }

    /// Runs `yaml` (the target section is prepended) on `threads` load threads; `during` runs on
    /// another thread with the coordinator once the run has started (to send stops).
    /// `target` holds more lines of the target section (indented two spaces).
    func run(_ yaml: String, threads: Int = 1, target extra: String = "", keepFleet: Bool = false,
             during: (@Sendable (RunCoordinator) -> Void)? = nil) throws -> Run {
        let plan = try RunPlan.load(yaml: target + "\n" + (extra.isEmpty ? "" : extra + "\n") + yaml, name: "engine-test")
        let coordinator = RunCoordinator(plan: plan, target: try RunTarget.resolving(plan.profile), threads: threads, say: { _ in },
                                         keepFleet: keepFleet)
        if let during {
            Thread.detachNewThread { during(coordinator) }
        }
        let start = Date()
        let outcome = try coordinator.run()
        let end = Date()
        return Run(outcome: outcome, wallSeconds: end.timeIntervalSince(start),
                   secondsAfterMeasurementStarted: end.timeIntervalSince(outcome.measuredFrom))
    }
}

extension EngineFixture.Run {
    /// Every failed operation carries a reason: per operation and error class, the reasons'
    /// counts add up to the class's counter.
    func assertEveryFailureHasAReason(file: StaticString = #filePath, line: UInt = #line) {
        for op in outcome.metrics.operations {
            for (outcome, count) in op.outcomes.nonZero where outcome.isError {
                let reasons = op.reasons.ranked(outcome.key)
                XCTAssertEqual(reasons.reduce(UInt64(0)) { $0 + $1.tally.count }, count,
                               "\(op.name) \(outcome.key): reasons \(reasons.map(\.reason))", file: file, line: line)
            }
        }
    }

    /// The reasons of one operation's error class, reason → count.
    func reasons(_ op: String, _ outcomeKey: String) -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for entry in outcome.metrics[op]?.reasons.ranked(outcomeKey) ?? [] { out[entry.reason] = entry.tally.count }
        return out
    }
}
