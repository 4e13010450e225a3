import EST
import EventLoop
import Metrics
import Report
import TLS

/// One load thread: its own `Loop`, its share of the devices, and its own metrics (merged after
/// join). Stops at the deadline, when the operation budget is spent, or when `stop()` is signalled.
final class EngineWorker {
    let index: Int
    let loop: Loop
    let settings: EngineSettings
    let budget: OperationBudget
    private(set) var metrics: WorkerMetrics
    private(set) var tls = TLSFacts()
    private var devices: [EngineDevice] = []
    private var operationIDs: [ESTOperation: OperationID] = [:]
    private var wakeup: Wakeup?
    /// Set from other threads before `wakeup` is signalled: 1 = drain, 2 = abort.
    let stopMode = StopSignal()
    private var drainDeadline: EventLoop.Timer?
    private var deadline: EventLoop.Timer?
    private var active = 0

    init(index: Int, settings: EngineSettings, budget: OperationBudget, runStartNs: UInt64,
         credentials: [DeviceCredentials]) throws {
        self.index = index
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
        for d in devices { d.start() }
        if active == 0 { finishLoop() }
        _ = loop.run()
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
            try? t.start(timeoutMs: 5_000)
            drainDeadline = t
        }
    }

    private func abortDevices() {
        stopDevices()
        for d in devices { d.abort() }
    }

    private func stopDevices() {
        deadline?.close()
        deadline = nil
        for d in devices { d.stop() }
    }

    func mayStartOperation() -> Bool { budget.take() }

    func deviceFinished() {
        active -= 1
        if active == 0 { finishLoop() }
    }

    private func finishLoop() {
        deadline?.close()
        deadline = nil
        drainDeadline?.close()
        drainDeadline = nil
        wakeup?.close()
        wakeup = nil
    }

    func record(_ op: ESTOperation, stamps: OperationPhaseStamps, outcome: Outcome, device: EngineDevice) {
        if let id = operationIDs[op] { metrics.record(id, stamps: stamps, outcome: outcome) }
    }

    func handshake(_ session: TLSSession) {
        tls.handshakes += 1
        if session.isResumed { tls.resumed += 1 }
        if session.helloRetryRequest { tls.helloRetryRequests += 1 }
        tls.versions[session.negotiatedVersion, default: 0] += 1
        if let g = session.group { tls.groups[g, default: 0] += 1 }
    }
}
