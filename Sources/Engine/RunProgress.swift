import Synchronization

/// Operations completed and failed so far, bumped by workers (relaxed atomics: one add each), and
/// a coarse latency histogram (half-octave buckets) for the live line's p99 — the exact figures are
/// the HDR histograms in the results. Read by whoever prints the live progress line.
public final class RunProgress: Sendable {
    private let completedCount = Atomic<Int>(0)
    private let errorCount = Atomic<Int>(0)
    private let buckets = Mutex<[Int]>(Array(repeating: 0, count: 80))
    private let handshakeCount = Atomic<Int>(0)

    public init() {}

    func completed(error: Bool, latencyNs: UInt64?) {
        completedCount.add(1, ordering: .relaxed)
        if error { errorCount.add(1, ordering: .relaxed) }
        if let latencyNs {
            let i = RunProgress.bucket(latencyNs)
            buckets.withLock { $0[i] += 1 }
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

    /// p99 so far (upper bucket bound, within a half octave), nil before any response.
    public var p99Ns: UInt64? {
        let counts = buckets.withLock { $0 }
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
