/// One worker's share of the global open-model schedule, wrk2-style: worker w takes arrivals
/// k ≡ w (mod W), interleaved rather than contiguous, so every worker sees the same rate shape
/// (ramps and steps included) at 1/W of the rate, and an unbounded schedule needs no total.
public struct WorkerArrivals: Sendable, Equatable {
    public let schedule: ArrivalSchedule
    public let worker: Int
    public let workerCount: Int

    public init(schedule: ArrivalSchedule, worker: Int, workerCount: Int) {
        precondition(workerCount > 0 && (0..<workerCount).contains(worker), "worker \(worker) outside 0..<\(workerCount)")
        self.schedule = schedule
        self.worker = worker
        self.workerCount = workerCount
    }

    /// The global arrival index of this worker's `local`-th arrival.
    public func globalArrival(local: Int) -> Int { local * workerCount + worker }

    /// Intended start (ns from run start) of this worker's `local`-th arrival; nil past the end.
    public func intendedStartNs(local: Int) -> UInt64? {
        schedule.intendedStartNs(arrival: globalArrival(local: local))
    }

    /// How many arrivals this worker gets; nil when the schedule is unbounded.
    public var count: Int? {
        schedule.totalArrivals.map { total in total > worker ? (total - worker + workerCount - 1) / workerCount : 0 }
    }
}
