import Synchronization

/// The token bucket behind `ServerCapacity`, shared by every server worker thread: one atomic
/// theoretical arrival time (GCRA, the virtual-scheduling form of a token bucket). Each request
/// claims the next free slot; one whose slot is later than now waits for it, so answers leave in
/// the order their requests were admitted, at most N per second across all workers.
final class CapacityGate: Sendable {
    /// What becomes of one request.
    enum Admission: Equatable {
        /// Answer now.
        case now
        /// Answer after this many ns (the request waits in the queue).
        case after(ns: UInt64)
        /// The queue is full: refuse (503 with Retry-After).
        case refused
    }

    private let intervalNs: UInt64
    /// How far the theoretical arrival time may run ahead of now before a request waits (the bucket size).
    private let toleranceNs: UInt64
    /// The longest wait a request may be given: `queueLimit` requests ahead of it.
    private let maxWaitNs: UInt64
    /// The theoretical arrival time of the next request (ns, `MonotonicTime`); 0 before the first.
    private let nextNs = Atomic<UInt64>(0)

    init(_ capacity: ServerCapacity) {
        intervalNs = capacity.intervalNs
        toleranceNs = UInt64(capacity.burst - 1) * capacity.intervalNs
        maxWaitNs = UInt64(capacity.queueLimit) * capacity.intervalNs
    }

    /// Claims a slot for a request complete at `nowNs` (any thread).
    func admit(nowNs: UInt64) -> Admission {
        var current = nextNs.load(ordering: .relaxed)
        while true {
            let base = max(current, nowNs)
            let slot = base > nowNs + toleranceNs ? base - toleranceNs : nowNs
            let wait = slot - nowNs
            if wait > maxWaitNs { return .refused }
            let (exchanged, original) = nextNs.compareExchange(expected: current, desired: base + intervalNs, ordering: .relaxed)
            if exchanged { return wait == 0 ? .now : .after(ns: wait) }
            current = original
        }
    }
}
