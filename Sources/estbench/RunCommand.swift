import ArgumentParser
import Engine
import EventLoop
import Foundation
import Metrics
import PKI
import Report
import Synchronization
import Workload

/// `estbench run`: load an EST server from a workload profile (with no profile and no target: the
/// built-in default against the built-in server), then print the per-operation summary.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workload profile against an EST server (default: the built-in server).",
        discussion: """
        Runs closed-model (devices, think time) and open-model (rate, ramp, steps, burst) profiles; \
        prints a summary per operation and the verdict, and writes result.json, timeline.csv, .hgrm \
        and .hlog files and report.html into a new folder under --results. Without a profile: \(RunCommand.defaultName) \
        (20 devices, cacerts → simpleenroll → simplereenroll ×2 for 10 s on the built-in server).

        Exit status: 0 every threshold held (no thresholds: at least one operation succeeded); \
        1 the server was measured and failed (a threshold failed, the error-rate abort fired, or no \
        operation succeeded); 2 bad input, nothing run (including a results folder that cannot be \
        written); 3 the target could not be measured (every failure was a connect or TLS failure — \
        the default abort rule stops such a run after 5 s — or the results could not be written); \
        130 interrupted.
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

    @Option(help: "Target URL (https://host[:port][/path]; a path goes before /.well-known/est); none: the built-in server.")
    var target: String?

    // Numbers are read unconditionally: "--rate -5" is a value out of range, not a missing one.
    @Option(parsing: .unconditional, help: "Open-model arrival rate per second, above 0 (replaces the profile's load model).")
    var rate: Double?

    @Option(parsing: .unconditional, help: "Number of devices, at least 1.")
    var devices: Int?

    @Option(parsing: .unconditional, help: "Stop after this many seconds (above 0).")
    var duration: Double?

    @Option(parsing: .unconditional, help: "Stop after this many operations, at least 1.")
    var requests: Int?

    @Option(parsing: .unconditional, help: "Load threads, 1...256 (default: half the cores when the built-in server runs too).")
    var threads: Int?

    @Option(help: "Parent folder under which each run's results folder is made.")
    var results = "Results"

    @Option(help: "Run shard I of N of the plan (0-based, e.g. 0/3): its slice of the devices, the rate, a burst and stop.operations.")
    var shard: String?

    @Option(parsing: .unconditional, help: "Shards of the plan; this one's index comes from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).")
    var shards: Int?

    @Option(help: "Start measuring at this UTC instant (e.g. 2026-12-07T10:00:00Z), once the devices are made.")
    var startAt: String?

    @Option(help: "Start measuring this long after estbench started (e.g. 60s, 2m), once the devices are made.")
    var startIn: String?

    @Option(help: "Shards: mark this one ready in DIR (a volume every shard sees) and start with the others, 3 s after the last is ready.")
    var barrier: String?

    @Option(help: "How long to wait at --barrier for every shard before giving up with exit 3 (e.g. 600s).")
    var barrierTimeout = "600s"

    @Option(help: "Serve Prometheus metrics at http://ADDR:PORT/metrics while running (e.g. 0.0.0.0:9464).")
    var metricsListen: String?

    @Option(parsing: .unconditional, help: "Keep serving /metrics this many seconds after the results are written.")
    var metricsLinger: Double = 0

    @Option(parsing: .unconditional, help: "Rewrite result.json (marked partial) every this many seconds while the run goes on, so a killed soak run loses at most that much; 0: only at the end.")
    var checkpointSeconds: Double = 60

    @Option(name: .customLong("source-addresses"), help: "Bind connections to these local addresses, device i on address i mod n: A-B (IPv4 range) or addresses, comma-separated (profile sourceAddresses).")
    var sourceAddresses: String?

    @Option(name: .customLong("save-fleet"), help: "After the run, write every device's key, CSR, issued certificate and the CA chain to FILE (mode 0600), for a later run's devices.fleet.")
    var saveFleet: String?

    @Flag(help: "Print the verdict, the per-operation summary and the results folder as JSON on standard output (the rest goes to standard error).")
    var json = false

    @Option(name: .customLong("repeat"), parsing: .unconditional,
            help: "Run the profile N times, one after another, into one folder <UTC>-<profile>-x<N>/ under --results (what compare takes).")
    var repetitions = 1

    func validate() throws {
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate \(Format.number(rate)) is out of range; allowed: above 0 (arrivals per second)") }
        if let devices, devices < 1 { throw ValidationError("--devices \(devices) is out of range; allowed: 1 or more") }
        if let duration, !(duration > 0 && duration.isFinite) { throw ValidationError("--duration \(Format.number(duration)) is out of range; allowed: above 0 seconds") }
        if let requests, requests < 1 { throw ValidationError("--requests \(requests) is out of range; allowed: 1 or more") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads \(threads) is out of range; allowed: 1...256") }
        if !(1...1000).contains(repetitions) { throw ValidationError("--repeat \(repetitions) is out of range; allowed: 1...1000") }
    }

    func run() throws {
        let invokedAt = Date()
        var list = try ProfileOverride.parsing(setArguments: overrides)
        func flag(_ f: ProfileFlag, _ value: String?) throws {
            guard let value else { return }
            list += ProfileOverride.overrides(flag: f, value: value)
        }
        try flag(.target, target)
        try flag(.rate, rate.map { String($0) })
        try flag(.devices, devices.map(String.init))
        try flag(.duration, duration.map { String($0) })
        try flag(.requests, requests.map(String.init))
        if let sourceAddresses {
            do { list.append(try ProfileOverride(parsing: "sourceAddresses=\(sourceAddresses)")) } catch {
                throw CLIError.badInput("--source-addresses \(sourceAddresses): \(error)")
            }
        }
        var plan: RunPlan
        do {
            if let profile {
                plan = try RunPlan.load(file: profile, overrides: list)
            } else {
                plan = try RunPlan.load(yaml: RunCommand.defaultProfile, name: "default", overrides: list)
            }
        } catch {
            throw CLIError.badInput("\(error)")
        }
        plan.shard = try resolveShard()
        if let problem = plan.shardProblem { throw CLIError.badInput(problem) }
        let start = try resolveStart(plan: plan, invokedAt: invokedAt)
        if !(metricsLinger >= 0 && metricsLinger.isFinite) { throw CLIError.badInput("--metrics-linger \(Format.number(metricsLinger)): allowed: 0 or more seconds") }
        if !(checkpointSeconds >= 0 && checkpointSeconds.isFinite) {
            throw CLIError.badInput("--checkpoint-seconds \(Format.number(checkpointSeconds)): allowed: 0 (off) or more seconds")
        }
        let endpoint = try metricsListen.map { try MetricsEndpoint.start(listen: $0) }
        if let endpoint { Console.out("metrics: http://\(endpoint.address)/metrics") }
        // The results folder's parent must take a folder before anything runs.
        do { try ResultsFolder.checkWritable(base: URL(fileURLWithPath: results)) } catch {
            throw CLIError.badInput("--results \(results): cannot write results there: \(error)")
        }
        if let saveFleet {
            let folder = URL(fileURLWithPath: saveFleet).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: folder) else {
                throw CLIError.badInput("--save-fleet \(saveFleet): its folder \(folder) is not writable")
            }
            if case .search = plan.profile.load { throw CLIError.badInput("--save-fleet: a capacity search keeps no fleet; run a closed or open model") }
            if repetitions > 1 { throw CLIError.badInput("--save-fleet with --repeat: each run would overwrite the fleet; save one run's") }
        }
        if repetitions > 1 {
            try runRepeated(plan)
            return
        }
        if json { Console.humanToStandardError() }
        let cores = WorkerThreads.coreCount
        let loadThreads = threads ?? (plan.profile.target.usesBuiltInServer ? max(1, cores / 2) : cores)
        // Before any thread starts (the built-in server's too): only the signal thread sees SIGINT/SIGTERM.
        let signals = SignalWaiter.blockTermination()
        // Target: the URL given, or the built-in server on 127.0.0.1 with a fresh CA.
        var server: BuiltInServer?
        let target: RunTarget
        if plan.profile.target.usesBuiltInServer {
            let started = try BuiltInServer.start(plan: plan, loadThreads: loadThreads)
            server = started
            target = started.target
            Console.out(BuiltInServer.sharingNote(cores: cores, loadThreads: loadThreads))
        } else {
            do { target = try RunTarget.resolving(plan.profile) } catch { throw CLIError.badInput("\(error)") }
        }
        if case .search = plan.profile.load {
            try runSearch(plan, target: target, server: server, loadThreads: loadThreads, signals: signals)
            return
        }
        let live = RunProgressLine(interval: RunProgressLine.intervalSeconds(terminal: Console.stderrIsTerminal))
        let coordinator = RunCoordinator(plan: plan, target: target, threads: loadThreads, say: { Console.out($0) },
                                         generationProgress: RunCommand.generationBar, keepFleet: saveFleet != nil)
        RunCommand.handleSignals(signals, first: "stopping — draining operations in flight (again to drop them)", stop: coordinator.stop)
        let shardIndex = plan.shard?.index
        let feeder = endpoint.map { endpoint in
            MetricsFeeder(endpoint: endpoint) { [progress = coordinator.progress] in
                PrometheusPage(counts: progress.liveCounts, cpuSeconds: PrometheusPage.processCPUSeconds,
                               residentBytes: ProcessMemory.currentRSSBytes, shard: shardIndex).text()
            }
        }
        let checkpoints = checkpointSeconds > 0
            ? ResultCheckpoints.start(coordinator, plan: plan, base: URL(fileURLWithPath: results),
                                      folderSuffix: plan.shard.map { "-shard\($0.index)of\($0.count)" } ?? "", everySeconds: checkpointSeconds)
            : nil
        let outcome: RunCoordinator.Outcome
        var lateness: (instant: Date?, lateSeconds: Double) = (nil, 0)
        do { outcome = try coordinator.run(beforeStart: { () throws(RunCoordinator.RunError) in lateness = try start.wait(say: { Console.out($0) }) },
                                           measuring: { live.start(progress: coordinator.progress, warmupNs: UInt64(max(0, plan.profile.warmupSeconds) * 1e9)) }) } catch {
            live.finish()
            server?.stop()
            if case RunCoordinator.RunError.notStarted = error { throw CLIError(message: "\(error)", exitCode: RunExit.unmeasurable) }
            throw CLIError.badInput("\(error)")
        }
        live.finish()
        // The last checkpoint is written (or not started) before the result replaces it.
        let checkpointFolder = checkpoints?.stop()
        server?.stop()
        // From here on the results are being made: a late exit must not cut them off (and if one
        // was already decided, it is on its way).
        RunCommand.claimResultsWriting()
        var result: RunResult
        do {
            result = try RunResult(
                estbenchVersion: Estbench.version, startTime: UTCTime.iso8601(outcome.measuredFrom), durationNs: outcome.durationNs,
                interrupted: outcome.interrupted, plan: plan,
                environment: .current(openSSLVersion: OpenSSLVersion.text, libuvVersion: LibUVVersion.text),
                metrics: outcome.metrics, tls: outcome.tls, warnings: outcome.warnings)
        } catch {
            throw CLIError(message: "results could not be written: \(error)", exitCode: RunExit.unmeasurable)
        }
        result.findings = outcome.findings
        if !outcome.perTarget.isEmpty {
            result.targets = outcome.perTarget.map {
                TargetResult(url: $0.target, address: $0.address, metrics: $0.metrics, durationNs: outcome.durationNs)
            }
        }
        if let shard = plan.shard {
            result.shard = ShardRecord(index: shard.index, count: shard.count, startAt: lateness.instant.map(UTCTime.iso8601),
                                       lateSeconds: lateness.lateSeconds, clockStartedAt: outcome.clockStartedAt.timeIntervalSince1970)
        }
        // Judged on the measured window (the metrics exclude the warm-up).
        let thresholds = ThresholdVerdict.evaluate(plan.profile.thresholds, operations: outcome.metrics.operations, durationNs: outcome.durationNs)
        let counts = RunExit.Counts(outcome.metrics.operations)
        result.verdict = RunVerdict(thresholds: thresholds, counts: counts, abort: outcome.abort?.rule, interrupted: outcome.interrupted)
        result.abortRule = outcome.abort?.rule
        result.abortReason = outcome.abort?.reason
        let operationCount = counts.operations
        let tool = ToolUsage(threads: outcome.workerCPUNs.count, cpuNs: outcome.workerCPUNs.reduce(0, +), operations: operationCount,
                             peakRSSBytes: ProcessMemory.peakRSSBytes, endRSSBytes: ProcessMemory.currentRSSBytes)
        result.tool = tool
        Console.out("--- \(outcome.target)")
        Console.human(ConsoleSummary(result).text)
        for target in result.targets ?? [] {
            Console.out("--- target \(target.url) (\(target.address))")
            Console.human(ConsoleSummary(metrics: target.metrics).text)
        }
        for (kind, f) in outcome.findings.sorted(by: { $0.key < $1.key }) {
            Console.out("finding: \(kind) ×\(f.count) — e.g. \(f.example)")
        }
        let t = outcome.tls
        if operationCount > 0 {
            Console.out("estbench's own CPU: \(Format.fixed(Double(tool.cpuNs) / Double(operationCount) / 1000, 1)) us per operation on \(tool.threads) load thread(s)")
        }
        Console.out("estbench's own memory: peak RSS \(tool.peakRSSBytes >> 20) MiB, \(tool.endRSSBytes >> 20) MiB at the end"
                    + (outcome.usedBuiltInServer ? " (built-in server included)" : ""))
        Console.out(t.consoleLine)
        var folderPath: String?
        var writeError: String?
        if let saveFleet, let fleet = outcome.fleet {
            do {
                try fleet.write(path: saveFleet)
                Console.out("fleet: \(fleet.devices.count) device(s), \(fleet.devices.filter { $0.certificate != nil }.count) with an issued certificate, saved to \(saveFleet) (mode 0600)")
            } catch {
                writeError = "\(error)"
            }
        }
        do throws(ReportError) {
            let folder: ResultsFolder
            if let checkpointFolder { folder = checkpointFolder } else {
                folder = try ResultsFolder.create(base: URL(fileURLWithPath: results), startTime: outcome.measuredFrom,
                                                  profileName: result.profileName + (plan.shard.map { "-shard\($0.index)of\($0.count)" } ?? ""))
            }
            try folder.write(result, metrics: outcome.metrics)
            folderPath = folder.url.path
            Console.out("results: \(folder.url.path)")
        } catch {
            // The summary above stays the record of what was measured; the error names the file and why.
            let checkpoint = checkpointFolder.map { ResultCheckpoints.leftovers(in: $0, after: error) } ?? ""
            writeError = (writeError.map { $0 + "; " } ?? "") + "results: \(error)" + checkpoint
        }
        let code = RunExit.code(verdict: thresholds, counts: counts, abort: outcome.abort?.rule, interrupted: outcome.interrupted,
                                resultsWritten: writeError == nil)
        if let endpoint, let feeder {
            // The last page: the measured totals, exactly result.json's; served for --metrics-linger more seconds.
            endpoint.finish(feeder: feeder,
                            finalPage: PrometheusPage(counts: PrometheusPage.finalCounts(result), cpuSeconds: PrometheusPage.processCPUSeconds,
                                                      residentBytes: ProcessMemory.currentRSSBytes, shard: shardIndex, complete: true).text(),
                            lingerSeconds: metricsLinger)
        }
        if json {
            do { Console.write(1, try RunDigest(result, results: folderPath, exitCode: code).jsonText()) } catch {
                Console.error("estbench: --json: \(error)")
            }
        }
        if let writeError { throw CLIError(message: writeError, exitCode: code) }
        if code != RunExit.passed { throw ExitCode(code) }
    }

    /// `--shard I/N`, or `--shards N` with the index from JOB_COMPLETION_INDEX; nil when neither.
    func resolveShard(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        let result: Result<Shard, ShardError>
        switch (shard, shards) {
        case (nil, nil): return nil
        case (_?, _?): throw CLIError.badInput("--shard and --shards: give one (--shards takes the index from JOB_COMPLETION_INDEX)")
        case (let text?, nil): result = Shard.parse(text)
        case (nil, let count?):
            guard let text = environment["JOB_COMPLETION_INDEX"] else {
                throw CLIError.badInput("--shards \(count): JOB_COMPLETION_INDEX is not set (it is in a Kubernetes Indexed Job); elsewhere use --shard I/N")
            }
            guard let index = Int(text) else { throw CLIError.badInput("JOB_COMPLETION_INDEX '\(text)' is not a number") }
            result = Shard.make(index: index, count: count)
        }
        switch result {
        case .success(let shard): return shard
        case .failure(let error): throw CLIError.badInput("--shard: \(error)")
        }
    }

    /// The common start from --start-at, --start-in or --barrier (at most one).
    func resolveStart(plan: RunPlan, invokedAt: Date) throws -> ShardStart {
        let given = [startAt != nil, startIn != nil, barrier != nil].filter { $0 }.count
        if given > 1 { throw CLIError.badInput("--start-at, --start-in and --barrier: give one") }
        if let startAt {
            guard let date = ShardStart.instant(startAt) else { throw CLIError.badInput("--start-at \(startAt): not a UTC instant like 2026-12-07T10:00:00Z") }
            return .at(date)
        }
        if let startIn {
            guard let seconds = ShardStart.seconds(startIn) else { throw CLIError.badInput("--start-in \(startIn): not a duration like 60s or 2m") }
            return .at(invokedAt.addingTimeInterval(seconds))
        }
        if let barrier {
            guard let shard = plan.shard else { throw CLIError.badInput("--barrier \(barrier): only shards (--shard, --shards) wait at a barrier") }
            guard let timeout = ShardStart.seconds(barrierTimeout), timeout > 0 else {
                throw CLIError.badInput("--barrier-timeout \(barrierTimeout): not a duration like 600s")
            }
            return .barrier(directory: URL(fileURLWithPath: barrier, isDirectory: true),
                            shard: .init(index: shard.index, count: shard.count, planHash: plan.planHash),
                            timeoutSeconds: timeout, marginSeconds: 3)
        }
        return .now
    }

    /// SIGINT/SIGTERM go to one thread (blocked everywhere else). The first drains in-flight
    /// operations (within stop.drainSeconds, 5 s by default) — a run's, or a capacity search's running
    /// step, which ends the search; the second drops them, and the results are written from what the
    /// workers hand back. If the workers have not handed back within 2 s of the second signal (or
    /// a third one comes), estbench exits at once with status 130 — but never while the results
    /// folder is being written. `first` says what the first signal does; `stop` stops the run.
    static func handleSignals(_ signals: SignalWaiter, first: String, stop: @escaping @Sendable () -> Void) {
        signals.onEachSignal { count in
            switch count {
            case 1:
                Console.error("estbench: \(first)")
                stop()
            case 2:
                Console.error("estbench: stopping now — operations in flight are dropped")
                stop()
                WorkerThreads.detach {
                    sleep(2)
                    exitUnlessWriting("the workers did not stop within 2 s of the second signal")
                }
            default:
                exitUnlessWriting("third signal")
            }
        }
    }

    /// The "generating" bar for the devices made before a run (a terminal only); its closure ends it.
    static let generationBar: RunCoordinator.GenerationProgress = { total, counter in
        let bar = Console.stderrIsTerminal ? ProgressBar(total: total, label: "generating", counter: counter) : nil
        return { bar?.finish() }
    }

    /// Where a run's ending is: a forced exit (second or third signal) may only happen before the
    /// results are being made, and once it is decided the results are not started.
    enum Ending { case running, writing, exiting }
    static let ending = Locked(Ending.running)

    /// From here on the results are being made: a forced exit must not cut them off. If one was
    /// already decided, it is on its way: this thread waits for it.
    static func claimResultsWriting() {
        let mayWrite = ending.withLock { state -> Bool in
            guard state == .running else { return false }
            state = .writing
            return true
        }
        if !mayWrite { while true { pause() } }
    }

    static func exitUnlessWriting(_ why: String) {
        let exiting = ending.withLock { state -> Bool in
            guard state == .running else { return false }
            state = .exiting
            return true
        }
        guard exiting else { return }
        Console.error("estbench: exiting now (\(why)); no results were written")
        // _exit, not exit: atexit handlers (OpenSSL's cleanup) must not run under busy workers.
        _exit(130)
    }
}
