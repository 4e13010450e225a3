import Workload

/// The open model's dispatch on one worker, wrk2-style, as plain state: an arrival whose intended start
/// has come runs on the device idle longest, or waits (FIFO, at most `queueLimit`) for the next device
/// to finish its pass — either way its latency counts from the intended start; one more than the
/// queue holds is dropped and counted (k6's dropped iterations), never held in unbounded memory. Times are inputs and no clock is read here,
/// so the decisions can be driven by a fake clock in tests; the worker owns the timers.
struct OpenModelDispatcher<Device> {
    /// What became of one due arrival.
    enum Dispatch {
        /// Start a pass on this idle device, intended at `scheduledNs`.
        case start(Device, scheduledNs: UInt64)
        /// No device was idle: the arrival waits for the next one to finish.
        case queued
        /// No device was idle and the queue was full: the arrival, intended at `scheduledNs`, is dropped.
        case dropped(scheduledNs: UInt64)
    }

    let arrivals: WorkerArrivals
    /// Arrivals that may wait for a device at once.
    let queueLimit: Int
    let runStartNs: UInt64
    let deviceCount: Int
    /// Idle devices in FIFO order (each arrival takes the device idle longest: devices rotate).
    private var idle: [Device]
    private var idleHead = 0
    /// Intended starts of arrivals waiting for a device, oldest first.
    private var pending: [UInt64] = []
    private var pendingHead = 0
    /// This worker's walk through its arrivals (uniform or Poisson).
    private var cursor: ArrivalCursor
    /// This worker's next arrival (local index into `arrivals`).
    var nextArrival: Int { cursor.taken }
    /// The schedule has no arrival left (set by `nextDueNs()`).
    private(set) var arrivalsExhausted = false
    /// Arrivals dropped because the queue was full.
    private(set) var droppedCount = 0

    init(arrivals: WorkerArrivals, runStartNs: UInt64, devices: [Device], process: ArrivalProcess = .uniform, seed: UInt64 = 0,
         queueLimit: Int = .max) {
        self.arrivals = arrivals
        cursor = ArrivalCursor(arrivals: arrivals, process: process, seed: seed)
        self.queueLimit = max(0, queueLimit)
        self.runStartNs = runStartNs
        deviceCount = devices.count
        idle = devices
    }

    var idleCount: Int { idle.count - idleHead }
    var allIdle: Bool { idleCount == deviceCount }
    /// Arrivals waiting for a device.
    var queuedCount: Int { pending.count - pendingHead }

    /// When the next arrival is due (ns, same clock as `runStartNs`); nil once the schedule is exhausted.
    mutating func nextDueNs() -> UInt64? {
        guard let offset = cursor.currentNs else {
            arrivalsExhausted = true
            return nil
        }
        return runStartNs &+ offset
    }

    /// Takes the next arrival due at or before `nowNs` off the schedule: onto the device idle longest,
    /// or into the queue. nil when none is due. One at a time, so starting a device may re-enter.
    mutating func takeDue(nowNs: UInt64) -> Dispatch? {
        guard let offset = cursor.currentNs, runStartNs &+ offset <= nowNs else { return nil }
        cursor.advance()
        let intended = runStartNs &+ offset
        guard let device = takeIdle() else {
            guard queuedCount < queueLimit else {
                droppedCount += 1
                return .dropped(scheduledNs: intended)
            }
            pending.append(intended)
            return .queued
        }
        return .start(device, scheduledNs: intended)
    }

    /// `device` finished its pass: the intended start of the oldest queued arrival for it to run now,
    /// or nil (it is parked as idle).
    mutating func deviceIdle(_ device: Device) -> UInt64? {
        if pendingHead < pending.count {
            let intended = pending[pendingHead]
            pendingHead += 1
            if pendingHead > 1024 && pendingHead * 2 > pending.count {
                pending.removeFirst(pendingHead)
                pendingHead = 0
            }
            return intended
        }
        idle.append(device)
        return nil
    }

    private mutating func takeIdle() -> Device? {
        guard idleHead < idle.count else { return nil }
        let d = idle[idleHead]
        idleHead += 1
        if idleHead > 1024 && idleHead * 2 > idle.count {
            idle.removeFirst(idleHead)
            idleHead = 0
        }
        return d
    }
}
