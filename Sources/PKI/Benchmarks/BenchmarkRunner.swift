import EventLoop
import Glibc

/// Runs cases in many short interleaved passes (each pass runs every case once for a short time
/// slice, in rotating order) and measures the benchmarking thread's CPU time. Ratios are taken per
/// pass — each case against its baseline from the same moment — and the median of those is kept,
/// so a shared machine's drifting speed cancels out instead of landing on one case.
/// What a benchmark says while it runs: passes done, passes in all.
public typealias BenchmarkProgress = (_ done: Int, _ of: Int) -> Void

public struct BenchmarkRunner {
    /// A named operation; `body` runs it once (the index lets it vary per call). `sliceNs`, when
    /// given, replaces the runner's slice for this case (an operation whose cost varies widely).
    public struct Case {
        public let name: String
        public let sliceNs: UInt64?
        public let body: (Int) throws -> Void
        public init(name: String, sliceNs: UInt64? = nil, body: @escaping (Int) throws -> Void) {
            self.name = name
            self.sliceNs = sliceNs
            self.body = body
        }
    }

    /// ns/op of every case in every pass.
    public struct Samples {
        public let names: [String]
        public let nsPerOp: [[Double]]

        /// Median ns/op of case `c`.
        public func median(_ c: Int) -> Double { Samples.median(nsPerOp[c]) }

        /// (baseline ns / case ns) in every pass: > 1 means faster than the baseline.
        public func ratios(_ c: Int, to baseline: Int) -> [Double] {
            zip(nsPerOp[c], nsPerOp[baseline]).map { $1 / $0 }
        }

        /// Median over passes of (baseline ns / case ns).
        public func ratio(_ c: Int, to baseline: Int) -> Double { Samples.median(ratios(c, to: baseline)) }

        /// A row for case `c`, with its ratio to `baseline` (median and interquartile range over the
        /// passes) when given.
        public func row(_ c: Int, keyType: String?, baseline: Int? = nil) -> BenchmarkRow {
            var r = BenchmarkRow(name: names[c], keyType: keyType, nsPerOp: median(c))
            if let baseline {
                let ratios = ratios(c, to: baseline).sorted()
                r.ratio = Samples.median(ratios)
                r.ratioQuartiles = (Samples.quantile(ratios, 0.25), Samples.quantile(ratios, 0.75))
                r.baseline = names[baseline]
            }
            return r
        }

        static func median(_ values: [Double]) -> Double { quantile(values.sorted(), 0.5) }

        /// The `q` quantile of sorted `values`, interpolated between the nearest ranks.
        static func quantile(_ sorted: [Double], _ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
    }

    public let passes: Int
    public let sliceNs: UInt64
    /// Told after every pass: passes done, passes in all.
    public let progress: BenchmarkProgress?

    /// `rounds` as users give it; each round is eight short passes.
    public init(rounds: Int, sliceNs: UInt64 = 12_000_000, progress: BenchmarkProgress? = nil) {
        passes = max(1, rounds) * 8
        self.sliceNs = sliceNs
        self.progress = progress
    }

    public func run(_ cases: [Case]) throws -> Samples {
        var samples = Array(repeating: [Double](), count: cases.count)
        var counters = Array(repeating: 2, count: cases.count)
        // Warm-up (first-call costs out of the figures) and batch size: operations between clock
        // reads, so that clock cost stays out of short operations and slow ones are not repeated.
        var batch = Array(repeating: 1, count: cases.count)
        for c in cases.indices {
            let t0 = MonotonicTime.threadCPUNs()
            try cases[c].body(0)
            try cases[c].body(1)
            // The thread CPU clock is a system call (~0.3 us): read it every ~200 us of work.
            let perOp = max(1, (MonotonicTime.threadCPUNs() - t0) / 2)
            batch[c] = Int(max(1, min(10_000, 200_000 / perOp)))
        }
        for pass in 0..<passes {
            for k in cases.indices {
                let c = (k + pass) % cases.count
                let slice = cases[c].sliceNs ?? sliceNs
                var ops = 0
                let start = MonotonicTime.threadCPUNs()
                var now = start
                repeat {
                    for _ in 0..<batch[c] {
                        try cases[c].body(counters[c])
                        counters[c] &+= 1
                    }
                    ops += batch[c]
                    now = MonotonicTime.threadCPUNs()
                } while now - start < slice
                samples[c].append(Double(now - start) / Double(ops))
            }
            progress?(pass + 1, passes)
        }
        return Samples(names: cases.map(\.name), nsPerOp: samples)
    }
}
