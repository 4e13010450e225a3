import Foundation
import EST
import EventLoop
import Metrics
import PKI
import TLS
import Synchronization
import Workload

/// One `estbench run`: validated plan and target in, merged metrics out. Makes the device keys and
/// CSRs on all cores before the clock starts, runs T worker threads (closed model: each device runs
/// its lifecycle back to back, with think time), stops at the duration or operation count, joins and
/// merges. Starts no server and prints nothing but through `say`.
public final class RunCoordinator: Sendable {
    /// What a finished run hands to the report.
    public struct Outcome: Sendable {
        public let metrics: WorkerMetrics
        public let tls: TLSFacts
        public let durationNs: UInt64
        /// When measurement began (wall clock): after key generation and the warm-up — result.json's `startTime`.
        public let measuredFrom: Date
        public let usedBuiltInServer: Bool
        public let target: String
        /// The run was stopped by `stop()` (SIGINT/SIGTERM) before its stop condition.
        public let interrupted: Bool
        /// The load threads' own CPU time (ns), and sentences about the tool's own health.
        public let workerCPUNs: [UInt64]
        public let warnings: [String]
        public let findings: [String: InteropFinding]
        /// Operations dropped unfinished by the stop (drain limit or abort), per operation.
        public let cutOff: [ESTOperation: Int]
        /// The abort rule that stopped the run early, with its reason (nil: none fired).
        public let abort: RunAbort?
        /// Open model: arrivals (passes) started after the warm-up and before the stop, late ones included.
        public var measuredArrivals = 0
        /// Wall clock when the run's clock started (after the devices were made and any wait for a
        /// common start): where a shard's timeline second 0 lies, for the merge.
        public var clockStartedAt = Date(timeIntervalSince1970: 0)
        /// Open model, measured window: arrivals that waited for a busy device (started late), and
        /// arrivals dropped because the bounded arrival queue was full (not measured).
        public var lateArrivals = 0
        public var droppedArrivals = 0
        /// Several targets (`target.urls`): measured operations per target, in the profile's order.
        public var perTarget: [TargetTally] = []
        /// Every device's key, CSR and issued certificate at the end, with the CA chain (`keepFleet` runs only).
        public var fleet: Fleet?
    }

    /// Why a plan cannot run (in this build or on this machine).
    public enum RunError: Error, Sendable, CustomStringConvertible {
        case unsupported(String)
        case setup(String)
        /// The common start could not be agreed (a shard barrier timed out): nothing was measured.
        case notStarted(String)

        public var description: String {
            switch self {
            case .unsupported(let s): return s
            case .setup(let s): return s
            case .notStarted(let s): return s
            }
        }
    }

    let plan: RunPlan
    let target: RunTarget
    let threads: Int
    let say: @Sendable (String) -> Void
    let generationProgress: GenerationProgress
    /// Devices made before (a capacity search makes them once for all its steps); nil: made by `run`.
    let pool: CSRPool?
    /// Hand back every device's key and certificate at the end (`run --save-fleet`).
    let keepFleet: Bool
    /// How far a stop has been asked to go, and the workers running now — under one lock, so a
    /// worker registering late gets the level in force and a level never goes back.
    private let stopState = Locked(StopState())
    /// The stop level, the workers to tell, and who asked: a person (`stop()`) or an abort rule.
    private struct StopState {
        var level = StopLevel.none
        var handles: [WorkerStopHandle] = []
        var interrupted = false
        var abort: RunAbort?
    }
    /// Live counts for a progress line.
    public let progress = RunProgress()
    /// The run under way (nil before the clock starts and after the workers end), for checkpoints.
    private let underWay = Locked<UnderWay?>(nil)
    private struct UnderWay {
        var startNs: UInt64
        var warmupEndNs: UInt64
        var measuredFrom: Date
    }

    /// A soak run's figures so far, merged from every worker's copy: what result.json holds while
    /// the run goes on (TLS facts and warnings come only at the end).
    public struct Checkpoint: Sendable {
        public var metrics: WorkerMetrics
        public var findings: [String: InteropFinding]
        /// Measured so far (warm-up excluded).
        public var durationNs: UInt64
        public var measuredFrom: Date
    }

    /// From any thread: asks every worker for a copy of its figures and merges them; nil before the
    /// warm-up ends, after the run, or when a worker did not answer within `timeoutNs`.
    public func checkpoint(timeoutNs: UInt64 = 2_000_000_000) -> Checkpoint? {
        guard let run = underWay.withLock({ $0 }), MonotonicTime.nowNs() > run.warmupEndNs else { return nil }
        let handles = stopState.withLock { $0.handles }
        guard handles.count == threads else { return nil }
        let numbers = handles.map { $0.requestCheckpoint() }
        let deadline = MonotonicTime.nowNs() + timeoutNs
        var copies: [(metrics: WorkerMetrics, findings: [String: InteropFinding])] = []
        while true {
            copies = zip(handles, numbers).compactMap { $0.checkpoint.copy(for: $1) }
            if copies.count == handles.count { break }
            if MonotonicTime.nowNs() > deadline { return nil }
            usleep(10_000)
        }
        var merged = WorkerMetrics(runStartNs: run.startNs)
        var findings: [String: InteropFinding] = [:]
        for copy in copies {
            merged.merge(copy.metrics)
            for (kind, finding) in copy.findings {
                if findings[kind] == nil { findings[kind] = finding } else { findings[kind]!.merge(finding) }
            }
        }
        let now = MonotonicTime.nowNs()
        return Checkpoint(metrics: merged, findings: findings, durationNs: now - run.warmupEndNs, measuredFrom: run.measuredFrom)
    }

    /// Shows device generation's progress: called with the total and a counter the generator
    /// threads bump; returns what ends the display.
    public typealias GenerationProgress = @Sendable (_ total: Int, _ counter: ProgressCounter) -> @Sendable () -> Void

    /// From any thread (a signal handler's): the first call drains, the second aborts.
    public func stop() {
        let (level, handles) = stopState.withLock { state -> (StopLevel, [WorkerStopHandle]) in
            state.level = state.level == .none ? .drain : .abort
            state.interrupted = true
            return (state.level, state.handles)
        }
        for h in handles { h.stop(level) }
    }

    /// An abort rule fired: the run drains (unless a stop came first) and records why.
    func abort(_ verdict: RunAbort) {
        let handles = stopState.withLock { state -> [WorkerStopHandle]? in
            guard state.level == .none else { return nil }
            state.level = .drain
            state.abort = verdict
            return state.handles
        }
        guard let handles else { return }
        say("abort: \(verdict.reason)")
        for h in handles { h.stop(.drain) }
    }

    /// Once a second from the clock's start: samples the live counts and stops the run when an
    /// abort rule fires. Set the returned flag to end the thread.
    private func startAbortMonitor(startNs: UInt64) -> MaintenanceFlag {
        let done = MaintenanceFlag()
        let policy = plan.profile.abort
        guard policy.targetUnusable || policy.errorRate != nil else { return done }
        let keep = policy.longestWindowSeconds + 1
        WorkerThreads.detach { [self] in
            var samples: [EndedCounts] = [progress.endedCounts]
            var second: UInt64 = 1
            while !done.isSet {
                let due = startNs + second * 1_000_000_000
                let now = MonotonicTime.nowNs()
                if now < due {
                    usleep(UInt32(min(100_000, (due - now) / 1000 + 1)))
                    continue
                }
                second += 1
                samples.append(progress.endedCounts)
                if samples.count > keep { samples.removeFirst(samples.count - keep) }
                if let verdict = RunAbort.check(policy, samples: samples) {
                    abort(verdict)
                    return
                }
            }
        }
        return done
    }

    /// The stop level requested so far.
    var stopLevel: StopLevel { stopState.withLock { $0.level } }

    /// Registers a started worker; a stop that came first is passed on at once.
    private func register(_ handle: WorkerStopHandle) {
        let level = stopState.withLock { state -> StopLevel in
            state.handles.append(handle)
            return state.level
        }
        if level != .none { handle.stop(level) }
    }

    /// - Parameters:
    ///   - target: where the load goes (the executable starts the built-in server, if any).
    ///   - say: the engine's only way to the console.
    ///   - generationProgress: shows the progress of generating device keys and CSRs.
    ///   - keepFleet: the outcome carries every device's key and certificate (`Outcome.fleet`).
    public convenience init(plan: RunPlan, target: RunTarget, threads: Int, say: @escaping @Sendable (String) -> Void,
                            generationProgress: @escaping GenerationProgress = { _, _ in {} }, keepFleet: Bool = false) {
        self.init(plan: plan, target: target, threads: threads, say: say, generationProgress: generationProgress, pool: nil, keepFleet: keepFleet)
    }

    /// - Parameter pool: devices already made (at least `deviceCount(plan.profile)` of them).
    init(plan: RunPlan, target: RunTarget, threads: Int, say: @escaping @Sendable (String) -> Void,
         generationProgress: @escaping GenerationProgress, pool: CSRPool?, keepFleet: Bool = false) {
        self.keepFleet = keepFleet
        self.plan = plan
        self.target = target
        self.threads = max(1, threads)
        self.say = say
        self.generationProgress = generationProgress
        self.pool = pool
    }

    /// Devices a run needs: the closed model's concurrent devices (at most the population), or the
    /// whole population for the open model.
    static func deviceCount(_ profile: Profile) -> Int {
        RunPlan(name: "", profile: profile).planDeviceCount
    }

    /// Runs the plan (this process's shard of it); `beforeStart` is called once the devices are made
    /// (a shard waits there for the common start), `measuring` on this thread when the clock starts.
    public func run(beforeStart: () throws(RunError) -> Void = {}, measuring: () -> Void = {}) throws(RunError) -> Outcome {
        let profile = plan.profile
        if target.isBuiltInServer, let serverThreads = target.serverThreads {
            say("target: the built-in EST server on \(target.address.ip):\(target.address.port) with a fresh CA (\(serverThreads) thread(s))")
        }
        let client = try ClientSetup.load(plan: plan, target: target)
        if !target.alternates.isEmpty {
            say("targets: \(target.all.count) servers (\(target.all.map(\.description).joined(separator: ", "))), devices round-robin by index")
        }
        if !profile.target.tls.verify { say("tls: server certificate NOT verified (target.tls.verify: false)") }
        if let problem = plan.shardProblem { throw .unsupported(problem) }
        // Global device indices of this process (its shard's slice); pool entry of device range.lowerBound + j.
        let range = plan.deviceRange
        let count = range.count
        let filesBefore = DescriptorLimit.current
        let files = DescriptorLimit.raiseSoftToHard()
        if files > filesBefore { say("open files: limit raised from \(filesBefore) to \(files)") }
        if count + 64 > files {
            say("open files: \(count) device(s) may need more sockets than the limit of \(files) (ulimit -n): connections past it fail with EMFILE")
        }
        let pool: CSRPool
        let poolOffset: Int
        if let given = self.pool { (pool, poolOffset) = (given, 0) } else { (pool, poolOffset) = try devices(range: range) }
        let bootstraps = try DeviceBootstraps.make(profile, pool: pool, poolOffset: poolOffset, firstIndex: range.lowerBound, count: count,
                                                   threads: WorkerThreads.coreCount)
        if let bootstraps { say("bootstrap: \(bootstraps.identities.count) per-device identit\(bootstraps.identities.count == 1 ? "y" : "ies")") }
        try beforeStart()

        let start = MonotonicTime.nowNs()
        let clockStartedAt = Date()
        let measuredFrom = Date().addingTimeInterval(max(0, profile.warmupSeconds))
        let settings = try EngineSettings(plan: plan, target: target, client: client, threads: threads, startNs: start)
        let budget = OperationBudget(limit: plan.operationLimit)
        let threads = self.threads
        say("run: \(count) device(s)\(plan.shard.map { " (shard \($0): devices \(range.lowerBound)..<\(range.upperBound))" } ?? "") on \(threads) worker thread(s), \(settings.arrivals == nil ? "closed model" : "open model (latency from the intended start)")")
        measuring()
        let maintenance = RunCoordinator.startHeapTrimming(progress)
        defer { maintenance.set() }
        let refreshed = settings.targets.compactMap(\.addresses)
        var refresher: AddressRefresher?
        if let every = settings.resolveEveryNs, !refreshed.isEmpty {
            for t in refreshed {
                say("target: \(t.host) resolves to \(t.snapshot().addresses.map(\.description).joined(separator: ", ")); "
                    + "new connections spread over them, resolved again every \(Double(every) / 1e9) s")
            }
            refresher = AddressRefresher(targets: refreshed, intervalNs: every)
            refresher?.start()
        }
        defer { refresher?.stop() }
        let monitor = startAbortMonitor(startNs: start)
        defer { monitor.set() }
        underWay.withLock { $0 = UnderWay(startNs: start, warmupEndNs: settings.warmupEndNs, measuredFrom: measuredFrom) }
        let results = WorkerThreads.run(count: threads) { [self] w -> Result<WorkerResult, RunError> in
            // Device w, w + T, w + 2T, ... : each worker's credentials are made on its own thread.
            let worker: EngineWorker
            let credentials: [DeviceCredentials]
            do {
                credentials = try stride(from: w, to: count, by: threads).map {
                    let device = try DeviceCredentials(index: range.lowerBound + $0, key: pool.keys[poolOffset + $0],
                                                       csr: pool.csrs[poolOffset + $0])
                    device.bootstrap = bootstraps?.identities[$0]
                    device.certificate = pool.certificate(at: poolOffset + $0)
                    if !client.deviceAuthorizations.isEmpty { device.authorization = client.deviceAuthorizations[range.lowerBound + $0] }
                    return device
                }
                worker = try EngineWorker(index: w, settings: settings, budget: budget, progress: self.progress, runStartNs: start,
                                          credentials: credentials)
            } catch {
                return .failure(.setup("worker \(w) could not start: \(error)"))
            }
            self.register(worker.stopHandle)
            worker.run()
            var result = WorkerResult(metrics: worker.metrics, tls: worker.tls, cpuNs: worker.cpuNs, findings: worker.findings,
                                      lastRecordNs: worker.lastRecordNs, cutOff: worker.cutOff,
                                      clientFailures: worker.clientFailures, firstClientFailure: worker.firstClientFailure,
                                      serials: worker.serials, measuredArrivals: worker.measuredArrivals)
            result.lateArrivals = worker.lateArrivals
            result.droppedArrivals = worker.droppedArrivals
            result.targetTallies = worker.targetTallies
            if self.keepFleet {
                result.fleet = credentials.map { FleetDevice(index: $0.index, key: $0.key, csr: Array(pool.csrs[$0.index]), certificate: $0.certificate) }
                result.caCertificates = worker.caCertificates
            }
            return .success(result)
        }
        monitor.set()
        underWay.withLock { $0 = nil }
        var workers: [WorkerResult] = []
        for result in results { workers.append(try result.get()) }
        let stopped = stopState.withLock { (interrupted: $0.interrupted, abort: $0.abort) }
        // Measured time excludes the warm-up, and ends with the last measured operation (not when
        // the workers had closed their connections) — but, when the run stopped at its duration
        // deadline, not before it: a rate is completions over the time they were asked for in. A run
        // the operation count ended (or that ended on its own, e.g. a burst) ends at its last operation.
        let warmupNs = settings.warmupEndNs - start
        let wallEnd = MonotonicTime.nowNs()
        var end = workers.map(\.lastRecordNs).max() ?? 0
        if end == 0 { end = wallEnd }
        let stoppedAtDeadline = settings.deadlineNs.map { wallEnd >= $0 && stopLevel == .none && budget.ranOutNs == nil } ?? false
        if stoppedAtDeadline, let deadline = settings.deadlineNs { end = max(end, deadline) }
        let wall = end > start ? end - start : 0
        let elapsed = wall > warmupNs ? wall - warmupNs : wall
        var merged = WorkerMetrics(runStartNs: start)
        var facts = TLSFacts()
        var findings: [String: InteropFinding] = [:]
        var cutOff: [ESTOperation: Int] = [:]
        var clientFailures = 0
        var firstClientFailure: String?
        var serials = IssuedSerials()
        for (index, worker) in workers.enumerated() {
            // A worker's own serials were compared among themselves as they came (its findings): the
            // first worker's set is taken whole, and only later workers' serials are added to it —
            // with one load thread nothing is hashed again (20,000 enrollments: ~6 ms of the stop).
            let duplicates = index == 0 ? [] : serials.merge(worker.serials)
            if index == 0 { serials = worker.serials }
            for duplicate in duplicates {
                let deviation = duplicate.deviation
                if findings[deviation.kind] == nil {
                    findings[deviation.kind] = InteropFinding(count: 1, example: deviation.example)
                } else {
                    findings[deviation.kind]!.count += 1
                }
            }
            merged.merge(worker.metrics)
            facts.merge(worker.tls)
            for (kind, finding) in worker.findings {
                if findings[kind] == nil { findings[kind] = finding } else { findings[kind]!.merge(finding) }
            }
            cutOff.merge(worker.cutOff, uniquingKeysWith: +)
            clientFailures += worker.clientFailures
            firstClientFailure = firstClientFailure ?? worker.firstClientFailure
        }
        let cpu = workers.map(\.cpuNs)
        // The open model's plan over the time arrivals were asked for: from the warm-up's end to the
        // stop (the deadline, or when the operation count refused a start); none after an interrupt.
        var planned: PlannedArrivals?
        if let schedule = plan.arrivalSchedule, stopLevel == .none {
            let stopNs = budget.ranOutNs ?? (stoppedAtDeadline ? settings.deadlineNs ?? end : end)
            planned = PlannedArrivals(schedule: schedule, fromNs: warmupNs, toNs: stopNs > start ? stopNs - start : 0, threads: threads,
                                      shard: plan.shard, poisson: profile.arrivals == .poisson)
        }
        var warnings = RunCoordinator.warnings(merged, cpu: cpu, threadWallNs: wallEnd > start ? wallEnd - start : 0,
                                               open: settings.arrivals != nil, planned: planned)
        warnings += ClientExhaustion.warnings(merged.operations, limits: .current(sourceAddresses: settings.sourceAddresses.count,
                                                                                 builtInServer: target.isBuiltInServer))
        let cut = cutOff.values.reduce(0, +)
        if cut > 0 {
            let which = cutOff.sorted { $0.key.ordinal < $1.key.ordinal }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            warnings.append("the stop cut off \(cut) operation(s) still in flight after the \(settings.drainLimitNs % 1_000_000_000 == 0 ? "\(settings.drainLimitNs / 1_000_000_000)" : "\(Double(settings.drainLimitNs) / 1e9)") s drain limit (\(which)): not measured")
        }
        if serials.isFull {
            warnings.append("more than \(IssuedSerials.limit) certificates on one load thread: later serial numbers were not checked for duplicates")
        }
        let late = workers.reduce(0) { $0 + $1.lateArrivals }
        let dropped = workers.reduce(0) { $0 + $1.droppedArrivals }
        if dropped > 0 {
            warnings.append("\(dropped) arrival(s) dropped: every device was busy and the arrival queue was full (load.open.queueLimit "
                            + "\(profile.arrivalQueueLimit) across \(threads) load thread(s)); dropped arrivals are not measured: add devices (devices.count) or lower the rate")
        }
        if late > 0 {
            warnings.append("\(late) arrival(s) started late, after waiting for a busy device (their latency counts from the intended start)")
        }
        if let refresher {
            refresher.stop()
            let tally = refresher.tally
            if tally.failures > 0 {
                warnings.append("target.resolveEverySeconds: \(tally.failures) of \(tally.lookups) lookup(s) failed (the addresses known were kept), e.g. \(tally.firstFailure ?? "?")")
            }
            if tally.changes > 0 {
                say("target: the addresses changed \(tally.changes) time(s) during the run; now "
                    + refreshed.map { "\($0.host) → \($0.snapshot().addresses.map(\.description).joined(separator: ", "))" }.joined(separator: "; "))
            }
        }
        if clientFailures > 0 {
            warnings.append("\(clientFailures) failure(s) on estbench's side, e.g. \(firstClientFailure ?? "?")")
        }
        var outcome = Outcome(metrics: merged, tls: facts, durationNs: elapsed, measuredFrom: measuredFrom, usedBuiltInServer: target.isBuiltInServer,
                              target: target.description, interrupted: stopped.interrupted, workerCPUNs: cpu,
                              warnings: warnings, findings: findings, cutOff: cutOff, abort: stopped.abort)
        outcome.measuredArrivals = workers.reduce(0) { $0 + $1.measuredArrivals }
        outcome.lateArrivals = late
        outcome.droppedArrivals = dropped
        for worker in workers {
            if outcome.perTarget.isEmpty { outcome.perTarget = worker.targetTallies } else {
                for (i, tally) in worker.targetTallies.enumerated() { outcome.perTarget[i].merge(tally) }
            }
        }
        if keepFleet {
            outcome.fleet = Fleet(devices: workers.flatMap(\.fleet).sorted { $0.index < $1.index },
                                  chain: workers.first { !$0.caCertificates.isEmpty }?.caCertificates ?? fleetChainFallback())
        }
        outcome.clockStartedAt = clockStartedAt
        return outcome
    }

    /// The chain a saved fleet names when no cacerts answer was seen: the run's own trust anchors
    /// (the built-in server's root, or the caBundle file's certificates — not the system store).
    private func fleetChainFallback() -> [[UInt8]] {
        switch target.trust {
        case .certificates(let certificates): return certificates
        case .file(let path) where path != RunTarget.systemTrustFile:
            do { return try PEM.decodeAll(try String(contentsOfFile: path, encoding: .utf8), label: "CERTIFICATE") } catch {
                say("fleet: the chain is left empty: caBundle \(path) could not be read again: \(error)")
                return []
            }
        case .file: return []
        }
    }

    /// Keys and CSRs for the devices `range` (global indices): from the profile's pool file (entry i
    /// for device i), or generated on all cores before the clock starts (with a progress display),
    /// entry 0 for device `range.lowerBound`. Returns the pool and the entry of device `range.lowerBound`.
    func devices(range: Range<Int>) throws(RunError) -> (CSRPool, Int) {
        let count = range.count
        let profile = plan.profile
        if case .fleet(let path) = profile.devices.source {
            let started = MonotonicTime.nowNs()
            let pool: CSRPool
            do { pool = try Fleet.load(path: path).pool(loadNs: MonotonicTime.nowNs() - started) } catch { throw .setup("devices.fleet: \(error)") }
            guard pool.count >= range.upperBound else {
                throw .setup("devices.fleet \(path) holds \(pool.count) devices; the profile needs \(range.upperBound) (devices.count or load.closed.devices at most \(pool.count))")
            }
            let enrolled = range.filter { pool.certificate(at: $0) != nil }.count
            say("fleet: \(count) of \(pool.count) \(pool.header.keyType) device(s) from \(path), \(enrolled) with an issued certificate (loaded in \(pool.loadNs / 1_000_000) ms)")
            return (pool, range.lowerBound)
        }
        if case .poolFile(let path) = profile.devices.source {
            let pool: CSRPool
            do { pool = try CSRPool.load(path: path) } catch { throw .setup("\(error)") }
            guard pool.count >= range.upperBound else {
                throw .setup("pool \(path) holds \(pool.count) devices; the profile needs \(range.upperBound)")
            }
            say("pool: \(count) of \(pool.count) \(pool.header.keyType) device(s) from \(path) (loaded in \(pool.loadNs / 1_000_000) ms)")
            return (pool, range.lowerBound)
        }
        let keyType = profile.devices.keyType
        say("pool: \(count) \(keyType) key(s) and CSR(s)")
        let template: PKI.CSRTemplate
        do { template = try PKI.CSRTemplate(commonName: profile.devices.csr.commonNamePattern, sanDNS: profile.devices.csr.sanDNSPatterns) } catch {
            throw .setup("CSR template: \(error)")
        }
        let counter = ProgressCounter()
        let finish = generationProgress(count, counter)
        defer { finish() }
        do {
            return (try PoolGenerator.generateDevices(keyType: keyType, template: template, firstIndex: range.lowerBound, count: count,
                                                      threads: WorkerThreads.coreCount, progress: counter), 0)
        } catch {
            throw .setup("\(error)")
        }
    }

    /// Once a second while the workers run: gives the heap back after a handshake storm
    /// (`HeapTrimPolicy`). Set the returned flag to end the thread.
    static func startHeapTrimming(_ progress: RunProgress) -> MaintenanceFlag {
        let done = MaintenanceFlag()
        WorkerThreads.detach {
            var policy = HeapTrimPolicy()
            while !done.isSet {
                usleep(1_000_000)
                if policy.tick(handshakes: progress.handshakes) { ProcessMemory.trimHeap() }
            }
        }
        return done
    }

    /// The tool must never be its own bottleneck unnoticed: a load thread busy most of the run, an
    /// open-model schedule that fell behind (p99 start lag over 1 ms, from the operations that had an
    /// intended start), and arrivals more than 0.5% below the plan are each said out loud.
    /// `threadWallNs`: how long the load threads ran (warm-up and drain included), the span their
    /// CPU time is measured over.
    static func warnings(_ metrics: WorkerMetrics, cpu: [UInt64], threadWallNs: UInt64, open: Bool,
                         planned: PlannedArrivals? = nil) -> [String] {
        var out: [String] = []
        for (w, c) in cpu.enumerated() where threadWallNs > 0 && Double(c) / Double(threadWallNs) > 0.9 {
            out.append("load thread \(w) was busy \(Int(Double(c) * 100 / Double(threadWallNs)))% of the run: estbench may be the bottleneck; add --threads or cores")
        }
        for op in metrics.operations where op.latenciesAtCeiling > 0 {
            out.append("\(op.name): \(op.latenciesAtCeiling) latenc\(op.latenciesAtCeiling == 1 ? "y" : "ies") of \(LatencyScale.highestUs / 1_000_000) s or more "
                       + "(the histograms' ceiling) recorded as \(LatencyScale.highestUs / 1_000_000) s: a percentile of \(LatencyScale.highestUs / 1_000) ms means that much or more"
                       + " (latency counts from the intended start: a wait for a maxNewConnectionsPerSecond slot is in it)")
        }
        guard open else { return out }
        for op in metrics.operations where op.startLag.totalCount > 0 {
            let p99 = op.startLag.percentileValue(99)
            if p99 > 1000 {
                out.append("\(op.name): the open-model schedule fell behind: p99 start lag \(String(format: "%.1f", Double(p99) / 1000)) ms "
                           + "over \(op.startLag.totalCount) arrival(s) (latency is measured from the intended start)")
            }
        }
        let achieved = metrics.operations.reduce(UInt64(0)) { $0 + $1.startLag.totalCount }
        if let planned, let sentence = planned.shortfall(achieved: Int(achieved)) { out.append(sentence) }
        return out
    }
}

/// The open model's arrivals the plan asked for over the measured time (from the warm-up's end to
/// the stop), to compare the achieved arrivals against: "throughput below plan" only when it was.
struct PlannedArrivals: Equatable {
    /// Arrivals intended in [fromNs, toNs) (ns from the run's start).
    let count: Int
    let seconds: Double
    /// Arrivals that may fall either side of the window's edges without being a shortfall: one in
    /// flight per load thread when the stop came.
    let allowance: Int

    /// `poisson`: the arrivals were a Poisson process, whose count varies by about √count around the
    /// plan: three standard deviations more are allowed before it is called a shortfall.
    init(schedule: ArrivalSchedule, fromNs: UInt64, toNs: UInt64, threads: Int, shard: Shard? = nil, poisson: Bool = false) {
        let all = { (ns: UInt64) in ns == 0 ? 0 : schedule.arrivalsDue(atNs: ns - 1) }
        let due = { (ns: UInt64) in shard.map { s in s.arrivals(ofFirst: all(ns)) } ?? all(ns) }
        count = toNs > fromNs ? max(0, due(toNs) - due(fromNs)) : 0
        seconds = Double(toNs > fromNs ? toNs - fromNs : 0) / 1e9
        allowance = max(1, threads) + (poisson ? Int((3 * Double(count).squareRoot()).rounded(.up)) : 0)
    }

    /// The warning when `achieved` arrivals (passes begun and measured) are more than 0.5% under the
    /// plan's; nil when the plan was met.
    func shortfall(achieved: Int) -> String? {
        guard count > 0, seconds > 0, Double(achieved + allowance) < Double(count) * 0.995 else { return nil }
        let achievedRate = Double(achieved) / seconds
        let plannedRate = Double(count) / seconds
        return "throughput below plan: \(String(format: "%.1f", achievedRate)) arrivals/s achieved against the plan's "
            + "\(String(format: "%.1f", plannedRate))/s (\(achieved) of \(count) arrivals over the measured \(String(format: "%.2f", seconds)) s)"
    }
}

/// Ends a maintenance thread.
final class MaintenanceFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
