import EST
import Glibc
import EventLoop
import Metrics
import PKI
import TLS
import Workload

/// One load thread: its own `Loop`, its share of the devices, and its own metrics (merged after
/// join). Its stop logic is one `Phase`: running until the deadline, the operation budget or a
/// stop request; then draining within the drain limit; aborted when that runs out (or on a
/// second request); done when every device has finished.
final class EngineWorker {
    /// How far this worker is towards its end. Requests only ever move it forward.
    enum Phase: Equatable {
        /// Devices run their lifecycles.
        case running
        /// No new operation; those on the wire have until the drain limit.
        case draining
        /// Operations on the wire were cut off; devices are finishing.
        case aborted
        /// Every device finished; the loop's own handles are closed.
        case done
    }

    let index: Int
    let loop: Loop
    let settings: EngineSettings
    let budget: OperationBudget
    let progress: RunProgress
    private(set) var phase = Phase.running
    private(set) var metrics: WorkerMetrics
    private(set) var tls = TLSFacts()
    /// Server deviations accepted leniently: kind → count and first example.
    private(set) var findings: [String: InteropFinding] = [:]
    /// Operations started but dropped unfinished by a stop (drain limit or abort), per operation.
    private(set) var cutOff: [ESTOperation: Int] = [:]
    /// The CA certificates of the last `cacerts` answer (DER): issued certificates must chain to them.
    private(set) var caCertificates: [[UInt8]] = []
    /// The same, read once: what each issued certificate is checked against.
    private(set) var issuingCAs: [ESTIssuingCA] = []
    /// Checks issued certificates' signatures (one per worker thread: it keeps OpenSSL contexts).
    private var certificateVerifier: CSRVerifier?
    /// Issuing answers judged so far (`SignatureChecks` samples by this count).
    private var issuingAnswers = 0
    /// Serial numbers issued in this run, per issuer (duplicates are findings).
    // Exclusivity unchecked (see EventLoop's `Loop`): this worker's thread only; `record` modifies it
    // in place without calling out.
    @exclusivity(unchecked) private(set) var serials = IssuedSerials()
    /// Client-side failures (not the server's doing), with the first one's text.
    private(set) var clientFailures = 0
    private(set) var firstClientFailure: String?

    /// CPU time this worker's thread used while running (user + system), ns.
    private(set) var cpuNs: UInt64 = 0
    /// Open model: passes begun after the warm-up and before the stop (arrivals started in the measured window).
    private(set) var measuredArrivals = 0
    /// Open model, measured window: arrivals that waited in the queue for a busy device (late), and
    /// arrivals dropped because the queue was full.
    private(set) var lateArrivals = 0
    private(set) var droppedArrivals = 0
    /// Several targets: measured operations and metrics per target (empty for one target), made
    /// before the clock starts so recording into them allocates nothing new.
    private(set) var targetTallies: [TargetTally] = []
    /// `target.resolveEverySeconds`: per target, the addresses this thread spreads new connections
    /// over (copied when the shared list's generation changes) and whose turn is next.
    private var rotations: [AddressRotation] = []
    /// A target's addresses as this thread last copied them, and the round-robin position.
    struct AddressRotation {
        var generation = UInt64.max
        var addresses: [SocketAddress] = []
        var next = 0
    }
    /// When the last measured operation was recorded (0: none).
    private(set) var lastRecordNs: UInt64 = 0
    private var devices: [EngineDevice] = []
    private var active = 0
    /// Builds channel-bound CSRs after handshakes (one builder per worker thread).
    let csrBuilder: CSRBuilder
    private var operationIDs = ESTOperationTable<OperationID>()
    /// Unreachable-failure reason → its slot in `progress` (this thread's cache).
    private var reasonSlots: [String: Int] = [:]
    /// Set from other threads before `wakeup` is signalled.
    let stopSignal = StopSignal()
    let checkpoint = WorkerCheckpoint()
    private var wakeup: Wakeup?
    /// Devices whose next operation begins on the next loop iteration (after I/O): a completion
    /// never starts the next operation by recursion.
    private var ready: ReadyList<EngineDevice>?
    /// The duration deadline (fires: drain), and the drain limit (fires: abort).
    private var deadline: EventLoop.Timer?
    private var drainLimit: EventLoop.Timer?
    // Open model: the arrival schedule's timer and dispatch state on this worker.
    private var scheduler: PreciseTimer?
    private var dispatcher: OpenModelDispatcher<EngineDevice>?
    private let runStartNs: UInt64
    /// This worker's share of the new-connection cap (token bucket), if the profile sets one.
    private var connectionLimiter: ConnectionRateLimiter?

    init(index: Int, settings: EngineSettings, budget: OperationBudget, progress: RunProgress, runStartNs: UInt64,
         credentials: [DeviceCredentials]) throws {
        self.progress = progress
        csrBuilder = try CSRBuilder(template: settings.csrTemplate)
        connectionLimiter = settings.connectionsPerSecondPerWorker.map { ConnectionRateLimiter(perSecond: $0) }
        self.index = index
        self.runStartNs = runStartNs
        loop = try Loop()
        self.settings = settings
        self.budget = budget
        metrics = WorkerMetrics(runStartNs: runStartNs)
        // The lifecycle's operations, in order (simplereenroll implies simpleenroll: a device enrolls first).
        for step in settings.steps {
            for op in step.operation == .simplereenroll ? [.simpleenroll, .simplereenroll] : [step.operation]
            where operationIDs[op] == nil {
                operationIDs[op] = metrics.register(op.rawValue)
            }
        }
        if settings.targets.count > 1 {
            // The same names in the same order: an operation's ID is valid in every target's metrics.
            let names = metrics.operations.map(\.name)
            targetTallies = settings.targets.map {
                TargetTally(target: $0.description, address: $0.address.description, metrics: WorkerMetrics(runStartNs: runStartNs, operations: names))
            }
        }
        rotations = Array(repeating: AddressRotation(), count: settings.targets.count)
        for c in credentials { devices.append(try EngineDevice(worker: self, credentials: c)) }
        ready = try ReadyList(loop: loop) { $0.readyTurn() }
        wakeup = try Wakeup(loop: loop) {}
        wakeup?.handler = { [unowned self] in
            // One wakeup may carry a checkpoint request, a stop, or both (libuv coalesces them).
            self.checkpoint.answer(metrics: self.metrics, findings: self.findings)
            switch self.stopSignal.level {
            case .abort: self.abort()
            case .drain: self.drain()
            case .none: break
            }
        }
        if let deadlineNs = settings.deadlineNs {
            let t = try EventLoop.Timer(loop: loop) {}
            t.handler = { [unowned self] in self.drain() }
            let now = MonotonicTime.nowNs()
            try t.start(timeoutNs: deadlineNs > now ? deadlineNs - now : 0)
            deadline = t
        }
    }

    var isOpenModel: Bool { settings.arrivals != nil }

    /// Devices may begin new operations.
    var acceptsOperations: Bool { phase == .running }

    /// Runs on the worker's thread until every device finished; then closes the loop.
    func run() {
        active = devices.count
        if let arrivals = settings.arrivals?[index] {
            dispatcher = OpenModelDispatcher(arrivals: arrivals, runStartNs: runStartNs, devices: devices, process: settings.arrivalProcess,
                                             seed: settings.seed, queueLimit: settings.arrivalQueueLimitPerWorker)
            do {
                let s = try PreciseTimer(loop: loop) {}
                s.handler = { [unowned self] in self.arrivalsDue() }
                scheduler = s
                scheduleNextArrival()
            } catch {
                clientFailure("arrival timer: \(error)")
                drain()
            }
        } else {
            for d in devices { d.start() }
        }
        if active == 0 { finishLoop() }
        let cpuStart = EngineWorker.threadCPUNs()
        _ = loop.run()
        cpuNs = EngineWorker.threadCPUNs() &- cpuStart
        metrics.close()
        for i in targetTallies.indices { targetTallies[i].metrics.close() }
        do { try loop.close() } catch {
            // Every handle is closed by now; a busy loop here would be a bug worth saying.
            clientFailure("loop close: \(error)")
        }
    }

    /// The cross-thread handle the coordinator keeps to stop this worker.
    var stopHandle: WorkerStopHandle { WorkerStopHandle(signal: stopSignal, wakeup: wakeup, checkpoint: checkpoint) }

    // MARK: stopping

    /// running → draining: no new operations; those on the wire have the drain limit to finish.
    func drain() {
        guard phase == .running else { return }
        phase = .draining
        closeSchedule()
        countOpenAtStop()
        for d in devices { d.stop() }
        guard active > 0 else { return }
        do {
            let t = try EventLoop.Timer(loop: loop) {}
            t.handler = { [unowned self] in self.abort() }
            try t.start(timeoutNs: settings.drainLimitNs)
            drainLimit = t
        } catch {
            clientFailure("drain timer: \(error)")
            abort()
        }
    }

    /// running or draining → aborted: operations on the wire are cut off now.
    func abort() {
        guard phase == .running || phase == .draining else { return }
        phase = .aborted
        closeSchedule()
        for d in devices { d.abort() }
    }

    private func closeSchedule() {
        deadline?.close()
        deadline = nil
        scheduler?.close()
        scheduler = nil
    }

    func deviceFinished() {
        active -= 1
        if active == 0 { finishLoop() }
    }

    /// Every device finished: closes the worker's own handles so the loop ends.
    private func finishLoop() {
        phase = .done
        closeSchedule()
        drainLimit?.close()
        drainLimit = nil
        ready?.close()
        ready = nil
        wakeup?.close()
        wakeup = nil
    }

    // MARK: the ready list

    /// `device` begins its next operation on the next loop iteration.
    func enqueueReady(_ device: EngineDevice) {
        // The list closes only once every device has finished: a finished device is never queued.
        if ready?.append(device) != true { clientFailure("device \(device.credentials.index) queued after the worker finished") }
    }

    // MARK: open model

    private func scheduleNextArrival() {
        guard phase == .running, let scheduler, dispatcher != nil else { return }
        guard let due = dispatcher?.nextDueNs() else {
            if dispatcher?.allIdle == true { drain() }
            return
        }
        do { try scheduler.start(atNs: due) } catch {
            clientFailure("arrival timer: \(error)")
            drain()
        }
    }

    /// Starts every arrival whose intended time has come: on an idle device, or queued until one
    /// is free (the wait counts in its latency: coordinated omission corrected).
    private func arrivalsDue() {
        let now = MonotonicTime.nowNs()
        while phase == .running, let dispatch = dispatcher?.takeDue(nowNs: now) {
            switch dispatch {
            case .start(let device, let scheduledNs):
                countArrival(nowNs: now)
                progress.arrivalStarted(lagNs: now > scheduledNs ? now - scheduledNs : 0)
                device.startPass(scheduledNs: scheduledNs)
            case .queued:
                break
            case .dropped(let scheduledNs):
                if scheduledNs >= settings.warmupEndNs { droppedArrivals += 1 }
            }
        }
        scheduleNextArrival()
    }

    /// A device finished its pass: give it the oldest queued arrival, or park it.
    func deviceIdle(_ device: EngineDevice) {
        guard phase == .running, dispatcher != nil else { return device.stop() }
        if let scheduledNs = dispatcher?.deviceIdle(device) {
            let now = MonotonicTime.nowNs()
            countArrival(nowNs: now)
            progress.arrivalStarted(lagNs: now > scheduledNs ? now - scheduledNs : 0)
            if scheduledNs >= settings.warmupEndNs { lateArrivals += 1 }
            device.queuePass(scheduledNs: scheduledNs)
            return
        }
        if dispatcher?.arrivalsExhausted == true && dispatcher?.allIdle == true { drain() }
    }

    /// The address a new connection to target `index` goes to: the next of the addresses its name
    /// resolves to now (`target.resolveEverySeconds`), else `fallback`. Copies the list only when it changed.
    func connectAddress(target index: Int, fallback: SocketAddress) -> SocketAddress {
        guard index < rotations.count, let shared = settings.targets[index].addresses else { return fallback }
        if shared.generation != rotations[index].generation {
            let (generation, addresses) = shared.snapshot()
            rotations[index].generation = generation
            rotations[index].addresses = addresses
        }
        let count = rotations[index].addresses.count
        guard count > 0 else { return fallback }
        let turn = rotations[index].next % count
        rotations[index].next = turn + 1
        return rotations[index].addresses[turn]
    }

    /// An arrival starts its pass now (late or not): counted when in the measured window.
    private func countArrival(nowNs: UInt64) {
        if nowNs >= settings.warmupEndNs { measuredArrivals += 1 }
    }

    func mayStartOperation() -> Bool {
        if budget.take() {
            progress.operationStarted()
            return true
        }
        // stop.operations is spent: the open model takes no further arrival, so the worker drains and
        // the run ends when the operations on the wire complete (not at the duration deadline). A
        // closed model's devices end one by one as they come to begin: the first refused is the
        // moment of the stop, before any of them closed its connection.
        if isOpenModel {
            drain()
        } else if phase == .running {
            countOpenAtStop()
        }
        return false
    }

    /// The connections open at the moment the run began to stop — its first stop (the operation
    /// count, then perhaps the deadline or a signal): counted once, before any device closes.
    private func countOpenAtStop() {
        if tls.openAtStop == nil { tls.openAtStop = UInt64(devices.count(where: \.holdsConnection)) }
    }

    // MARK: what devices report

    /// One finished operation of a device talking to target `target` (its index in `settings.targets`):
    /// measured in the totals and, with several targets, in that target's own metrics.
    func record(_ op: ESTOperation, target: Int, stamps: OperationPhaseStamps, outcome: Outcome, reason: FailureReason? = nil) {
        // The abort rules see every operation, warm-up included: an unusable target is so from the start.
        var unreachableSlot: Int?
        switch outcome {
        case .connectError, .tlsError: unreachableSlot = reasonSlot(outcome, reason)
        default: break
        }
        progress.ended(failed: outcome.isError, unreachableSlot: unreachableSlot)
        // Warm-up: the operation ran (connections, sessions, caches warmed) but is not measured.
        let now = MonotonicTime.nowNs()
        if now < settings.warmupEndNs {
            // Not measured, so it does not use up stop.operations.
            budget.giveBack()
            return
        }
        lastRecordNs = now
        if let id = operationIDs[op] {
            metrics.record(id, stamps: stamps, outcome: outcome, reason: reason)
            if target < targetTallies.count { targetTallies[target].metrics.record(id, stamps: stamps, outcome: outcome, reason: reason) }
        }
        if target < targetTallies.count {
            targetTallies[target].operations += 1
            if outcome == .success2xx { targetTallies[target].succeeded += 1 }
        }
        progress.completed(error: outcome.isError, latencyNs: stamps.correctedTotalNs)
        progress.measured(op, outcome: outcome, latencyNs: stamps.correctedTotalNs)
    }

    /// The live-count slot of an unreachable failure's reason (cached: the shared table is locked once per new reason).
    private func reasonSlot(_ outcome: Outcome, _ reason: FailureReason?) -> Int {
        let key: String
        if case .tlsError = outcome { key = "TLS: " + (reason?.key ?? outcome.key) } else { key = reason?.key ?? outcome.key }
        if let slot = reasonSlots[key] { return slot }
        let slot = progress.reasonSlot(key)
        reasonSlots[key] = slot
        return slot
    }

    func cutOff(_ op: ESTOperation) { cutOff[op, default: 0] += 1 }

    /// A `cacerts` answer's certificates: kept when they differ from those known.
    func learnCACertificates(_ certificates: [ArraySlice<UInt8>]) {
        if certificates.count == caCertificates.count && zip(certificates, caCertificates).allSatisfy({ $0.elementsEqual($1) }) { return }
        caCertificates = certificates.map { Array($0) }
        issuingCAs = caCertificates.compactMap(ESTIssuingCA.init(der:))
        if certificateVerifier == nil {
            do { certificateVerifier = try CSRVerifier() } catch {
                clientFailure("certificate verifier: \(error) (issued certificates are checked by issuer name only)")
            }
        }
    }

    /// An issued certificate: its serial is recorded, a serial its issuer issued before is a finding.
    func issued(_ certificate: CertificateView) {
        if let duplicate = serials.record(issuer: certificate.issuer, serial: certificate.serialNumber, subject: certificate.subject) {
            finding(duplicate.deviation.kind, duplicate.deviation.example)
        }
    }

    /// The verifier for the next answer to `operation` when its certificate's signature is to be
    /// checked (`settings.signatureChecks`), else nil (the issuer name is still checked).
    func signatureVerifier(for operation: ESTOperation) -> CSRVerifier? {
        guard operation.issuesCertificate, let verifier = certificateVerifier else { return nil }
        issuingAnswers += 1
        return settings.signatureChecks.verifies(issuingAnswers - 1) ? verifier : nil
    }

    /// Wall-clock seconds, for validity windows.
    func nowUnixSeconds() -> Int64 { Int64(time(nil)) }

    func clientFailure(_ text: @autoclosure () -> String) {
        clientFailures += 1
        if firstClientFailure == nil { firstClientFailure = String(text().prefix(300)) }
    }

    func finding(_ kind: String, _ example: @autoclosure () -> String) {
        if findings[kind] == nil {
            findings[kind] = InteropFinding(count: 1, example: String(example().prefix(200)))
        } else {
            findings[kind]!.count &+= 1
        }
    }

    func handshake(_ session: TLSSession) {
        tls.handshakes += 1
        progress.handshakeDone()
        if session.isResumed { tls.resumed += 1 }
        if session.helloRetryRequest { tls.helloRetryRequests += 1 }
        tls.versions[session.negotiatedVersion, default: 0] += 1
        if let g = session.group { tls.groups[g, default: 0] += 1 }
    }

    static func threadCPUNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Takes the next new-connection admission: nil when the connection may open now, else the
    /// instant the caller's reserved turn comes (it connects then without asking again).
    func reserveConnection() -> UInt64? {
        guard var limiter = connectionLimiter else { return nil }
        defer { connectionLimiter = limiter }
        let now = MonotonicTime.nowNs()
        let admittedNs = limiter.reserve(nowNs: now)
        return admittedNs > now ? admittedNs : nil
    }
}
