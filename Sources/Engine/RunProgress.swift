import PKI
import EST
import Metrics
import Synchronization

/// Operations completed and failed so far, bumped by workers (relaxed atomics: one add each), and
/// a coarse latency histogram (half-octave buckets) of the interval since its last reading, for the
/// live line's p99 — the exact figures are the HDR histograms in the results. Read by whoever prints
/// the live progress line; the abort monitor reads the counts of every ended operation.
public final class RunProgress: Sendable {
    private let completedCount = Atomic<Int>(0)
    private let errorCount = Atomic<Int>(0)
    private let buckets = (0..<80).map { _ in SharedCounter() }
    private let handshakeCount = Atomic<Int>(0)
    // Every operation that ended (warm-up included), for the abort rules' windows.
    private let endedCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)
    private let unreachableCount = Atomic<Int>(0)
    /// Unreachable failures per reason slot; a slot's name is registered once (under the lock),
    /// a worker caches the slot, so counting is one relaxed add.
    private let reasonSlots = (0..<RunProgress.reasonSlotCount).map { _ in SharedCounter() }
    private let reasonNames = Locked<[String]>([])
    // For /metrics: measured operations per (operation, outcome class), a latency histogram per
    // operation on `LiveCounts.bucketBoundsSeconds` with its sum, operations started, the last
    // arrival's start lag. One relaxed add each.
    private let outcomeSlots = (0..<(ESTOperation.allCases.count * Outcome.classLabels.count)).map { _ in SharedCounter() }
    private let latencySlots = (0..<(ESTOperation.allCases.count * (LiveCounts.bucketBoundsSeconds.count + 1))).map { _ in SharedCounter() }
    private let latencySumUs = (0..<ESTOperation.allCases.count).map { _ in SharedCounter() }
    private let startedCount = Atomic<Int>(0)
    private let lastStartLagNs = Atomic<UInt64>(0)

    static let reasonSlotCount = 16
    static let otherReason = "other reasons"

    public init() {}

    /// One operation ended (measured or warm-up); `reasonSlot` when it was unreachable (connect or TLS failure).
    func ended(failed: Bool, unreachableSlot: Int?) {
        endedCount.add(1, ordering: .relaxed)
        if failed { failedCount.add(1, ordering: .relaxed) }
        if let slot = unreachableSlot {
            unreachableCount.add(1, ordering: .relaxed)
            reasonSlots[slot].count.add(1, ordering: .relaxed)
        }
    }

    /// The slot counting `reason` (found or registered; the last slot holds every reason past the others).
    func reasonSlot(_ reason: String) -> Int {
        reasonNames.withLock { names in
            if let index = names.firstIndex(of: reason) { return index }
            guard names.count < RunProgress.reasonSlotCount - 1 else {
                if names.count == RunProgress.reasonSlotCount - 1 { names.append(RunProgress.otherReason) }
                return RunProgress.reasonSlotCount - 1
            }
            names.append(reason)
            return names.count - 1
        }
    }

    /// The cumulative counts now (for the abort monitor).
    public var endedCounts: EndedCounts {
        var reasons: [String: Int] = [:]
        for (index, name) in reasonNames.withLock({ $0 }).enumerated() {
            reasons[name, default: 0] += reasonSlots[index].count.load(ordering: .relaxed)
        }
        return EndedCounts(ended: endedCount.load(ordering: .relaxed), failed: failedCount.load(ordering: .relaxed),
                           unreachable: unreachableCount.load(ordering: .relaxed), unreachableReasons: reasons)
    }

    /// A measured operation of `operation` ended with `outcome`; its corrected latency when it got a response.
    func measured(_ operation: ESTOperation, outcome: Outcome, latencyNs: UInt64?) {
        outcomeSlots[operation.ordinal * Outcome.classLabels.count + outcome.classIndex].count.add(1, ordering: .relaxed)
        guard outcome.receivedResponse, let latencyNs else { return }
        let bounds = LiveCounts.bucketBoundsNs
        var bucket = 0
        while bucket < bounds.count && latencyNs > bounds[bucket] { bucket += 1 }
        latencySlots[operation.ordinal * (bounds.count + 1) + bucket].count.add(1, ordering: .relaxed)
        latencySumUs[operation.ordinal].count.add(Int(latencyNs / 1000), ordering: .relaxed)
    }

    /// An operation starts (warm-up included): with `ended`, the operations in flight.
    func operationStarted() { startedCount.add(1, ordering: .relaxed) }

    /// An open-model arrival started `lagNs` after its intended time.
    func arrivalStarted(lagNs: UInt64) { lastStartLagNs.store(lagNs, ordering: .relaxed) }

    /// The counts for /metrics now.
    public var liveCounts: LiveCounts {
        let classes = Outcome.classLabels.count
        let buckets = LiveCounts.bucketBoundsSeconds.count + 1
        var operations: [LiveCounts.Operation] = []
        for op in ESTOperation.allCases {
            let outcomes = (0..<classes).map { outcomeSlots[op.ordinal * classes + $0].count.load(ordering: .relaxed) }
            let latency = (0..<buckets).map { latencySlots[op.ordinal * buckets + $0].count.load(ordering: .relaxed) }
            guard outcomes.contains(where: { $0 > 0 }) else { continue }
            operations.append(.init(name: op.rawValue, outcomes: outcomes, latencyBuckets: latency,
                                    latencySumSeconds: Double(latencySumUs[op.ordinal].count.load(ordering: .relaxed)) / 1e6))
        }
        let ended = endedCount.load(ordering: .relaxed)
        return LiveCounts(operations: operations, inFlight: max(0, startedCount.load(ordering: .relaxed) - ended),
                          scheduleLagSeconds: Double(lastStartLagNs.load(ordering: .relaxed)) / 1e9)
    }

    func completed(error: Bool, latencyNs: UInt64?) {
        completedCount.add(1, ordering: .relaxed)
        if error { errorCount.add(1, ordering: .relaxed) }
        if let latencyNs {
            buckets[RunProgress.bucket(latencyNs)].count.add(1, ordering: .relaxed)
        }
    }

    func handshakeDone() { handshakeCount.add(1, ordering: .relaxed) }

    /// TLS handshakes completed so far.
    public var handshakes: Int { handshakeCount.load(ordering: .relaxed) }

    /// Half-octave bucket of a latency in ns: 2 buckets per doubling.
    static func bucket(_ ns: UInt64) -> Int {
        let v = max(2, ns)
        let octave = 63 - v.leadingZeroBitCount
        let half = (v >> (octave - 1)) & 1 == 1 ? 1 : 0
        return min(79, octave * 2 + half)
    }

    /// Upper bound (inclusive) of bucket `i`, in ns.
    static func upperNs(_ i: Int) -> UInt64 {
        let octave = i / 2
        let base = UInt64(1) << octave
        return i % 2 == 0 ? base + base / 2 - 1 : base * 2 - 1
    }

    /// p99 of the responses since the last call (upper bucket bound, within a half octave), and
    /// starts a new interval; nil when no response came in the interval. One reader only.
    public func takeIntervalP99Ns() -> UInt64? {
        RunProgress.p99Ns(buckets.map { $0.count.exchange(0, ordering: .relaxed) })
    }

    /// p99 of bucket counts (upper bucket bound), nil when empty.
    static func p99Ns(_ counts: [Int]) -> UInt64? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = Int((Double(total) * 0.99).rounded(.up))
        var seen = 0
        for (i, c) in counts.enumerated() {
            seen += c
            if seen >= rank { return RunProgress.upperNs(i) }
        }
        return RunProgress.upperNs(counts.count - 1)
    }

    public var completed: Int { completedCount.load(ordering: .relaxed) }
    public var errors: Int { errorCount.load(ordering: .relaxed) }
}
