/// One measured line of a benchmark: what ran, how fast (median of interleaved rounds), and its
/// ratio to the baseline measured in the same run.
public struct BenchmarkRow: Sendable {
    public let name: String
    public let keyType: String?
    public let nsPerOp: Double
    /// `opsPerSecond / baseline's opsPerSecond`; nil for a baseline row.
    public var ratio: Double?
    public var baseline: String?

    public var opsPerSecond: Double { nsPerOp > 0 ? 1e9 / nsPerOp : 0 }

    public init(name: String, keyType: String?, nsPerOp: Double, ratio: Double? = nil, baseline: String? = nil) {
        self.name = name
        self.keyType = keyType
        self.nsPerOp = nsPerOp
        self.ratio = ratio
        self.baseline = baseline
    }

    /// This row with its ratio to `other` filled in.
    public func relative(to other: BenchmarkRow) -> BenchmarkRow {
        var r = self
        r.ratio = other.nsPerOp / nsPerOp
        r.baseline = other.name
        return r
    }
}

/// Runs cases in interleaved rounds (each round runs every case once for a time slice) and keeps
/// the median ns/op per case — interleaving spreads the machine's noise over all cases alike.
public struct BenchmarkRunner {
    /// A named operation; `body` runs it once (the index lets it vary per call).
    public struct Case {
        public let name: String
        public let body: (Int) throws -> Void
        public init(name: String, body: @escaping (Int) throws -> Void) {
            self.name = name
            self.body = body
        }
    }

    public let rounds: Int
    public let sliceNs: UInt64
    public let minimumOps: Int

    public init(rounds: Int, sliceNs: UInt64 = 150_000_000, minimumOps: Int = 3) {
        self.rounds = max(1, rounds)
        self.sliceNs = sliceNs
        self.minimumOps = minimumOps
    }

    /// Median ns/op per case, in case order.
    public func run(_ cases: [Case]) throws -> [Double] {
        var samples = Array(repeating: [Double](), count: cases.count)
        var counters = Array(repeating: 0, count: cases.count)
        // Warm-up (first-call costs out of the figures) and batch size: operations between clock
        // reads, so that clock cost stays out of short operations and slow ones are not repeated 8 times.
        var batch = Array(repeating: 1, count: cases.count)
        for c in cases.indices {
            let t0 = MonotonicClock.nowNs()
            try cases[c].body(0)
            try cases[c].body(1)
            batch[c] = (MonotonicClock.nowNs() - t0) / 2 < 100_000 ? 8 : 1
        }
        for _ in 0..<rounds {
            for c in cases.indices {
                var ops = 0
                let start = MonotonicClock.nowNs()
                var now = start
                repeat {
                    for _ in 0..<batch[c] {
                        try cases[c].body(counters[c])
                        counters[c] &+= 1
                    }
                    ops += batch[c]
                    now = MonotonicClock.nowNs()
                } while now - start < sliceNs || ops < minimumOps
                samples[c].append(Double(now - start) / Double(ops))
            }
        }
        return samples.map { s in
            let sorted = s.sorted()
            let n = sorted.count
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        }
    }
}
