import DER
import Foundation
import EST
import EventLoop
import HTTP
import Metrics
import Report
import PKI
import Server
import TLS
import Synchronization
import Workload

/// One `estbench run`: validated plan in, merged metrics out. Makes the device keys and CSRs on
/// all cores before the clock starts, starts the built-in server when the plan names no target,
/// runs T worker threads (closed model: each device runs its lifecycle back to back, with think
/// time), stops at the duration or operation count, joins and merges.
public final class RunCoordinator: Sendable {
    /// What a finished run hands to the report.
    public struct Outcome: Sendable {
        public let metrics: WorkerMetrics
        public let tls: TLSFacts
        public let durationNs: UInt64
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
    }

    /// Why a plan cannot run (in this build or on this machine).
    public enum RunError: Error, CustomStringConvertible {
        case unsupported(String)
        case setup(String)

        public var description: String {
            switch self {
            case .unsupported(let s): return s
            case .setup(let s): return s
            }
        }
    }

    let plan: RunPlan
    let threads: Int
    let say: @Sendable (String) -> Void
    /// How far a stop has been asked to go, and the workers running now — under one lock, so a
    /// worker registering late gets the level in force and a level never goes back.
    private let stopState = Mutex<(level: StopLevel, handles: [WorkerStopHandle])>((.none, []))
    /// Live counts for a progress line.
    public let progress = RunProgress()

    /// From any thread (a signal handler's): the first call drains, the second aborts.
    public func stop() {
        let (level, handles) = stopState.withLock { state -> (StopLevel, [WorkerStopHandle]) in
            state.level = state.level == .none ? .drain : .abort
            return (state.level, state.handles)
        }
        for h in handles { h.stop(level) }
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

    public init(plan: RunPlan, threads: Int, say: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.threads = max(1, threads)
        self.say = say
    }

    public func run() throws -> Outcome {
        let profile = plan.profile
        var concurrentDevices = profile.devices.count
        var thinkMs = 0
        var schedule: ArrivalSchedule?
        switch profile.load {
        case .closed(let devices, let think):
            concurrentDevices = devices
            thinkMs = think
        case .open(let open):
            schedule = ArrivalSchedule(open)
        }
        var steps: [LifecycleStep] = []
        var mixOperations: [ESTOperation] = []
        switch profile.lifecycle {
        case .steps(let s): steps = s
        case .mix(let entries): mixOperations = entries.compactMap { ESTOperation(rawValue: $0.operation.rawValue) }
        }
        let keyType = PKI.KeyType(rawValue: profile.devices.keyType.rawValue) ?? .p256
        let count = min(profile.devices.count, concurrentDevices)

        // Target: the URL given, or the built-in server on 127.0.0.1 with a fresh CA.
        var server: ESTServer?
        let address: SocketAddress
        let serverName: String
        var trust: [[UInt8]] = []
        let targetText: String
        var label: String? = profile.target.caLabel
        if profile.target.usesBuiltInServer {
            let authority: CertificateAuthority
            do { authority = try CertificateAuthority() } catch { throw RunError.setup("built-in CA: \(error)") }
            var configuration = ServerConfiguration(listen: try SocketAddress(ip: "127.0.0.1", port: 0),
                                                    threads: max(1, WorkerThreads.coreCount - threads))
            if let label { configuration.labels = [label] }
            configuration.requireChannelBinding = profile.channelBinding
            let s = try ESTServer.make(configuration: configuration, authority: authority, log: ServerLog { _ in })
            try s.start()
            server = s
            address = try SocketAddress(ip: "127.0.0.1", port: s.port)
            serverName = "127.0.0.1"
            trust = [authority.root]
            targetText = "built-in server https://127.0.0.1:\(s.port)"
            say("target: the built-in EST server on 127.0.0.1:\(s.port) with a fresh CA (\(configuration.threads) thread(s))")
        } else {
            guard let url = profile.target.url else { throw RunError.setup("no target") }
            let parsed: HTTPSURL
            do { parsed = try HTTPSURL(parsing: url) } catch { throw RunError.setup("target.url: \(error)") }
            let (host, port) = (parsed.host, parsed.port)
            address = try RunCoordinator.resolve(host: host, port: port)
            serverName = profile.target.tls.sni ?? host
            targetText = url
            label = profile.target.caLabel
        }
        defer { server?.stop() }

        // TLS policy.
        var tls = TLSConfiguration(role: .client)
        tls.minimumVersion = profile.target.tls.minVersion == .tls13 ? .tls13 : .tls12
        tls.maximumVersion = profile.target.tls.maxVersion == .tls12 ? .tls12 : .tls13
        if !profile.target.tls.groups.isEmpty { tls.groups = profile.target.tls.groups.joined(separator: ":") }
        if !profile.target.tls.suites.isEmpty { tls.cipherSuites = profile.target.tls.suites.joined(separator: ":") }
        tls.resumption = TLSConfiguration.Resumption(rawValue: profile.connection.resumption.rawValue) ?? .off
        // A device waits between operations far longer than it uses its buffers: 10,000 kept-alive
        // devices would otherwise pin 2 x 16 KiB of OpenSSL buffers each.
        tls.releaseBuffers = true
        tls.verifyPeer = profile.target.tls.verify
        if !tls.verifyPeer { say("tls: server certificate NOT verified (target.tls.verify: false)") }
        tls.trustedCertificates = trust
        if trust.isEmpty {
            if let bundle = profile.target.caBundlePath {
                tls.trustFile = bundle
            } else {
                tls.trustFile = "/etc/ssl/certs/ca-certificates.crt"
            }
        }
        let context: TLSContext
        do { context = try TLSContext(tls) } catch { throw RunError.setup("TLS settings: \(error)") }

        // Requests, built once per operation.
        var credentials: HTTP.BasicCredentials?
        if let basic = profile.target.basic {
            let secret: String?
            do { secret = try plan.basicPassword() } catch { throw RunError.setup("\(error)") }
            guard let password = secret else { throw RunError.setup("no password for \(basic.user)") }
            credentials = try HTTP.BasicCredentials(user: basic.user, password: password)
        }
        let hostField = address.family == .ipv6 ? "[\(address.ip)]:\(address.port)" : "\(serverName):\(address.port)"
        var templates: [ESTOperation: HTTPRequestTemplate] = [:]
        for op in ESTOperation.allCases {
            templates[op] = try HTTPRequestTemplate(method: op.usesPOST ? .post : .get, target: ESTPath(label: label, operation: op).target,
                                                    host: hostField, contentType: op.requestContentType, credentials: credentials)
        }
        var expanded: [EngineSettings.Step] = []
        for s in steps {
            guard let op = ESTOperation(rawValue: s.operation.rawValue) else { continue }
            for r in 0..<s.repeatCount {
                let last = r == s.repeatCount - 1
                expanded.append(.init(operation: op, thinkTimeMs: UInt64(max(0, s.thinkTimeMs)) + (last && s == steps.last ? UInt64(max(0, thinkMs)) : 0)))
            }
        }
        var timeouts: [ESTOperation: UInt64] = [:]
        for op in ESTOperation.allCases {
            if let w = WorkloadOperation(rawValue: op.rawValue) { timeouts[op] = UInt64(profile.timeouts.milliseconds(for: w)) }
        }

        // Keys and CSRs for every device: from the pool file, or made on all cores before the clock starts.
        let all: [(Int, PrivateKey, [UInt8])]
        if case .poolFile(let path) = profile.devices.source {
            let pool: CSRPool
            do { pool = try CSRPool.load(path: path) } catch { throw RunError.setup("\(error)") }
            guard pool.count >= count else {
                throw RunError.setup("pool \(path) holds \(pool.count) devices; the profile needs \(count)")
            }
            say("pool: \(count) of \(pool.count) \(pool.header.keyType) device(s) from \(path) (loaded in \(pool.loadNs / 1_000_000) ms)")
            all = (0..<count).map { ($0, pool.keys[$0], Array(pool.csrs[$0])) }
        } else {
            all = try RunCoordinator.makeDevices(count: count, keyType: keyType, profile: profile, say: say)
        }

        let start = MonotonicTime.nowNs()
        let settings = EngineSettings(
            address: address, serverName: serverName, tlsContext: context, templates: templates,
            steps: expanded.isEmpty ? mixOperations.map { .init(operation: $0, thinkTimeMs: 0) } : expanded,
            mix: mixOperations.isEmpty ? nil : profile.lifecycle, mixThinkTimeMs: UInt64(max(0, thinkMs)), seed: profile.seed,
            channelBinding: profile.channelBinding,
            follow202: { if case .follow(let n, let wait) = profile.onAccepted202 { return (n, UInt64(wait * 1000)) } else { return nil } }(),
            warmupEndNs: start + UInt64(max(0, profile.warmupSeconds) * 1e9),
            bootstrap: try RunCoordinator.bootstrap(profile),
            connectionsPerSecondPerWorker: profile.maxNewConnectionsPerSecond.map { $0 / Double(threads) },
            csrTemplate: try PKI.CSRTemplate(commonName: profile.devices.csr.commonNamePattern, sanDNS: profile.devices.csr.sanDNSPatterns),
            keepAlive: profile.connection.reuse != .newPerOperation,
            operationsPerConnection: { if case .perConnection(let n) = profile.connection.reuse { return n } else { return nil } }(),
            resumes: profile.connection.resumption != .off, timeoutMs: timeouts,
            deadlineNs: profile.stop.durationSeconds.map { start + UInt64($0 * 1e9) },
            arrivals: schedule?.split(workers: threads))
        let budget = OperationBudget(limit: profile.stop.operations)
        let shares = (0..<threads).map { w in all.enumerated().filter { $0.offset % threads == w }.map { $0.element } }
        let boxes = shares.map { share in SendableBox(share.map { DeviceCredentials(index: $0.0, key: $0.1, csr: $0.2[...]) }) }
        say("run: \(count) device(s) on \(threads) worker thread(s), \(schedule == nil ? "closed model" : "open model (latency from the intended start)")")
        let maintenance = RunCoordinator.startHeapTrimming(progress)
        defer { maintenance.set() }
        let results = WorkerThreads.run(count: threads) { [self] w -> WorkerResult? in
            let worker: EngineWorker
            do {
                worker = try EngineWorker(index: w, settings: settings, budget: budget, progress: self.progress, runStartNs: start,
                                          credentials: boxes[w].value)
            } catch {
                self.say("worker \(w) could not start: \(error)")
                return nil
            }
            self.register(worker.stopHandle)
            worker.run()
            return WorkerResult(metrics: worker.metrics, tls: worker.tls, cpuNs: worker.cpuNs, findings: worker.findings,
                                lastRecordNs: worker.lastRecordNs, cutOff: worker.cutOff, clientFailures: worker.clientFailures,
                                firstClientFailure: worker.firstClientFailure)
        }
        // Measured time excludes the warm-up, and ends with the last measured operation (not when
        // the workers had closed their connections) — but not before a duration stop's deadline:
        // a rate is completions over the time they were asked for in.
        let warmupNs = UInt64(max(0, profile.warmupSeconds) * 1e9)
        let wallEnd = MonotonicTime.nowNs()
        var end = results.compactMap { $0?.lastRecordNs }.max() ?? 0
        if end == 0 { end = wallEnd }
        if let deadline = settings.deadlineNs, stopLevel == .none { end = max(end, min(deadline, wallEnd)) }
        let wall = end > start ? end - start : 0
        let elapsed = wall > warmupNs ? wall - warmupNs : wall
        var merged = WorkerMetrics(runStartNs: start)
        var facts = TLSFacts()
        var cpu: [UInt64] = []
        var findings: [String: InteropFinding] = [:]
        var cutOff: [ESTOperation: Int] = [:]
        var clientFailures = 0
        var firstClientFailure: String?
        for r in results {
            guard let r else { throw RunError.setup("a worker could not start") }
            merged.merge(r.metrics)
            facts.merge(r.tls)
            cpu.append(r.cpuNs)
            for (kind, finding) in r.findings {
                if findings[kind] == nil { findings[kind] = finding } else { findings[kind]!.merge(finding) }
            }
            cutOff.merge(r.cutOff, uniquingKeysWith: +)
            clientFailures += r.clientFailures
            firstClientFailure = firstClientFailure ?? r.firstClientFailure
        }
        var warnings = RunCoordinator.warnings(merged, cpu: cpu, elapsedNs: elapsed, open: schedule != nil)
        let cut = cutOff.values.reduce(0, +)
        if cut > 0 {
            let which = cutOff.sorted { $0.key.ordinal < $1.key.ordinal }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            warnings.append("the stop cut off \(cut) operation(s) still in flight after the \(settings.drainLimitNs / 1_000_000_000) s drain limit (\(which)): not measured")
        }
        if clientFailures > 0 {
            warnings.append("\(clientFailures) failure(s) on estbench's side, e.g. \(firstClientFailure ?? "?")")
        }
        return Outcome(metrics: merged, tls: facts, durationNs: elapsed, usedBuiltInServer: server != nil, target: targetText,
                       interrupted: stopLevel != .none, workerCPUNs: cpu,
                       warnings: warnings, findings: findings, cutOff: cutOff)
    }

    /// Once a second while the workers run: gives the heap back after a handshake storm
    /// (`HeapTrimPolicy`). Set the returned flag to end the thread.
    static func startHeapTrimming(_ progress: RunProgress) -> MaintenanceFlag {
        let done = MaintenanceFlag()
        Thread.detachNewThread {
            var policy = HeapTrimPolicy()
            while !done.isSet {
                usleep(1_000_000)
                if policy.tick(handshakes: progress.handshakes) { ProcessMemory.trimHeap() }
            }
        }
        return done
    }

    /// The tool must never be its own bottleneck unnoticed: a load thread busy most of the run, or
    /// an open-model schedule that fell behind (p99 start lag over 1 ms), is said out loud.
    static func warnings(_ metrics: WorkerMetrics, cpu: [UInt64], elapsedNs: UInt64, open: Bool) -> [String] {
        var out: [String] = []
        for (w, c) in cpu.enumerated() where elapsedNs > 0 && Double(c) / Double(elapsedNs) > 0.9 {
            out.append("load thread \(w) was busy \(Int(Double(c) * 100 / Double(elapsedNs)))% of the run: estbench may be the bottleneck; add --threads or cores")
        }
        if open {
            for op in metrics.operations where op.startLag.totalCount > 0 {
                let p99 = op.startLag.valueAtPercentile(99)
                if p99 > 1000 {
                    out.append("\(op.name): the open-model schedule fell behind (p99 start lag \(p99 / 1000) ms): latency is measured from the intended start, throughput is below the plan")
                }
            }
        }
        return out
    }

    /// The profile's bootstrap certificate (PEM chain) and key (PEM), loaded once.
    static func bootstrap(_ profile: Profile) throws -> (chain: [[UInt8]], key: PKI.PrivateKey)? {
        guard let identity = profile.target.bootstrap else { return nil }
        let text: String
        do { text = try String(contentsOfFile: identity.certificatePath, encoding: .utf8) } catch {
            throw RunError.setup("target.bootstrap.certificate \(identity.certificatePath): cannot read it")
        }
        let chain = (try? PEM.decodeAll(text, label: "CERTIFICATE")) ?? []
        guard !chain.isEmpty else { throw RunError.setup("target.bootstrap.certificate \(identity.certificatePath): no PEM CERTIFICATE") }
        do { return (chain, try PKI.PrivateKey.load(pemFile: identity.keyPath)) } catch {
            throw RunError.setup("target.bootstrap.key: \(error)")
        }
    }

    /// A fresh key and CSR per device, generated on all cores.
    static func makeDevices(count: Int, keyType: PKI.KeyType, profile: Profile,
                            say: @Sendable (String) -> Void) throws -> [(Int, PrivateKey, [UInt8])] {
        say("pool: \(count) \(keyType) key(s) and CSR(s)")
        let commonName = profile.devices.csr.commonNamePattern
        let sans = profile.devices.csr.sanDNSPatterns
        let template: PKI.CSRTemplate
        do { template = try PKI.CSRTemplate(commonName: commonName, sanDNS: sans) } catch { throw RunError.setup("CSR template: \(error)") }
        let makers = max(1, min(WorkerThreads.coreCount, count))
        let made = WorkerThreads.run(count: makers) { t -> [(Int, PrivateKey, [UInt8])] in
            var out: [(Int, PrivateKey, [UInt8])] = []
            guard let builder = try? CSRBuilder(template: template), let generator = try? KeyGenerator(type: keyType),
                  let first = try? generator.generate(), let signer = try? Signer(key: first) else { return out }
            var i = t
            while i < count {
                // One signer per thread, switched from key to key.
                if let key = try? generator.generate(), (try? signer.switchKey(to: key)) != nil,
                   let csr = try? builder.build(index: i, signer: signer) {
                    out.append((i, key, csr))
                }
                i += makers
            }
            return out
        }
        let all = made.flatMap { $0 }.sorted { $0.0 < $1.0 }
        guard all.count == count else { throw RunError.setup("could only make \(all.count) of \(count) device keys") }
        return all
    }

    static func resolve(host: String, port: UInt16) throws -> SocketAddress {
        do { return try SocketAddress.resolve(host: host, port: port) } catch { throw RunError.setup("\(error)") }
    }
}

/// Ends a maintenance thread.
final class MaintenanceFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

/// Moves non-Sendable values into a worker thread that owns them from then on.
struct SendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
