import EST
import Glibc
import EventLoop
import Metrics
import PKI
import TLS
import Workload

/// One load thread: its own `Loop`, its share of the devices, and its own metrics (merged after
/// join). Stops at the deadline, when the operation budget is spent, or when `stop()` is signalled.
final class EngineWorker {
    let index: Int
    let loop: Loop
    let settings: EngineSettings
    let budget: OperationBudget
    let progress: RunProgress
    private(set) var metrics: WorkerMetrics
    private(set) var tls = TLSFacts()
    /// Server deviations accepted leniently: kind → count and first example.
    private(set) var findings: [String: InteropFinding] = [:]

    func finding(_ kind: String, _ example: @autoclosure () -> String) {
        if findings[kind] == nil {
            findings[kind] = InteropFinding(count: 1, example: String(example().prefix(200)))
        } else {
            findings[kind]!.count &+= 1
        }
    }

    /// CPU time this worker's thread used while running (user + system), ns.
    private(set) var cpuNs: UInt64 = 0
    /// When the last measured operation was recorded (0: none).
    private(set) var lastRecordNs: UInt64 = 0
    private var devices: [EngineDevice] = []
    /// Builds channel-bound CSRs after handshakes (one builder per worker thread).
    let csrBuilder: CSRBuilder
    private var operationIDs: [ESTOperation: OperationID] = [:]
    private var wakeup: Wakeup?
    /// Set from other threads before `wakeup` is signalled: 1 = drain, 2 = abort.
    let stopMode = StopSignal()
    private var drainDeadline: EventLoop.Timer?
    // Open model: the arrival schedule's timer and dispatch state on this worker.
    private var scheduler: PreciseTimer?
    private var dispatcher: OpenModelDispatcher<EngineDevice>?
    private var stopping = false
    private let runStartNs: UInt64
    /// This worker's share of the new-connection cap (token bucket), if the profile sets one.
    private var connectionLimiter: ConnectionRateLimiter?
    private var deadline: EventLoop.Timer?
    private var active = 0

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
        for c in credentials { devices.append(try EngineDevice(worker: self, credentials: c)) }
        wakeup = try Wakeup(loop: loop) { [unowned self] in
            if self.stopMode.isAbort { self.abortDevices() } else { self.drain() }
        }
        if let deadlineNs = settings.deadlineNs {
            let t = try EventLoop.Timer(loop: loop) { [unowned self] in self.stopDevices() }
            let now = MonotonicTime.nowNs()
            try t.start(timeoutNs: deadlineNs > now ? deadlineNs - now : 0)
            deadline = t
        }
    }

    /// Runs on the worker's thread until every device stopped; then closes the loop.
    func run() {
        active = devices.count
        if let arrivals = settings.arrivals?[index] {
            dispatcher = OpenModelDispatcher(arrivals: arrivals, runStartNs: runStartNs, devices: devices)
            do {
                scheduler = try PreciseTimer(loop: loop) {}
                scheduler?.handler = { [unowned self] in self.arrivalsDue() }
                scheduleNextArrival()
            } catch {
                stopDevices()
            }
        } else {
            for d in devices { d.start() }
        }
        if active == 0 { finishLoop() }
        let cpuStart = EngineWorker.threadCPUNs()
        _ = loop.run()
        cpuNs = EngineWorker.threadCPUNs() &- cpuStart
        metrics.close()
        try? loop.close()
    }

    /// The cross-thread handle the coordinator keeps to stop this worker.
    var stopHandle: WorkerStopHandle { WorkerStopHandle(signal: stopMode, wakeup: wakeup) }

    /// Graceful stop: no new operations; those in flight get `drainMs` to finish, then are dropped.
    private func drain() {
        stopDevices()
        if drainDeadline == nil, active > 0, let t = try? EventLoop.Timer(loop: loop, handler: {}) {
            t.handler = { [unowned self] in self.abortDevices() }
            try? t.start(timeoutMs: settings.drainLimitNs / 1_000_000)
            drainDeadline = t
        }
    }

    private func abortDevices() {
        stopDevices()
        for d in devices { d.abort() }
    }

    private func stopDevices() {
        stopping = true
        deadline?.close()
        deadline = nil
        scheduler?.close()
        scheduler = nil
        for d in devices { d.stop() }
    }

    // MARK: open model

    private func scheduleNextArrival() {
        guard dispatcher != nil, !stopping else { return }
        guard let due = dispatcher?.nextDueNs() else {
            if dispatcher?.allIdle == true { stopDevices() }
            return
        }
        try? scheduler?.start(atNs: due)
    }

    /// Starts every arrival whose intended time has come: on an idle device, or queued until one
    /// is free (the wait counts in its latency: coordinated omission corrected).
    private func arrivalsDue() {
        let now = MonotonicTime.nowNs()
        while !stopping, let dispatch = dispatcher?.takeDue(nowNs: now) {
            if case .start(let device, let scheduledNs) = dispatch { device.startPass(scheduledNs: scheduledNs) }
        }
        scheduleNextArrival()
    }

    /// A device finished its pass: give it the oldest queued arrival, or park it.
    func deviceIdle(_ device: EngineDevice) {
        if let scheduledNs = dispatcher?.deviceIdle(device) {
            device.startPass(scheduledNs: scheduledNs)
            return
        }
        if (dispatcher?.arrivalsExhausted == true || stopping) && dispatcher?.allIdle == true { stopDevices() }
    }

    func mayStartOperation() -> Bool { budget.take() }

    func deviceFinished() {
        active -= 1
        if active == 0 { finishLoop() }
    }

    private func finishLoop() {
        scheduler?.close()
        scheduler = nil
        deadline?.close()
        deadline = nil
        drainDeadline?.close()
        drainDeadline = nil
        wakeup?.close()
        wakeup = nil
    }

    func record(_ op: ESTOperation, stamps: OperationPhaseStamps, outcome: Outcome, device: EngineDevice) {
        // Warm-up: the operation ran (connections, sessions, caches warmed) but is not measured.
        let now = MonotonicTime.nowNs()
        if now < settings.warmupEndNs { return }
        lastRecordNs = now
        if let id = operationIDs[op] { metrics.record(id, stamps: stamps, outcome: outcome) }
        progress.completed(error: outcome.isError, latencyNs: stamps.correctedTotalNs)
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

    /// When the next new connection may open (nil: now).
    func admitConnection() -> UInt64? {
        guard var limiter = connectionLimiter else { return nil }
        defer { connectionLimiter = limiter }
        switch limiter.admit(nowNs: MonotonicTime.nowNs()) {
        case .admitted: return nil
        case .notBefore(let ns): return ns
        }
    }
}
