import Foundation

/// The one-run-per-side comparison: a circular block bootstrap over seconds. Latencies one after
/// another are not independent (a GC pause, a slow disk, a busy neighbour last for a while), so
/// single latencies are never resampled — whole seconds are, in runs of `blockLength` seconds, and
/// every percentile is recomputed from the resampled seconds' merged histogram.
public struct BlockBootstrap: Sendable {
    /// Interval of HEAD − BASE per statistic, as offsets from the full-sample delta (add them to the
    /// exact delta to get the interval), absolute and relative (HEAD/BASE − 1); nil where undefined.
    public struct Offsets: Sendable, Equatable {
        public var absolute: [ClosedRange<Double>?]
        public var relative: [ClosedRange<Double>?]
    }

    public var resamples: Int
    public var confidence: Double
    public var seed: UInt64

    public init(resamples: Int = 2_000, confidence: Double = 0.95, seed: UInt64 = 7030) {
        self.resamples = resamples
        self.confidence = confidence
        self.seed = seed
    }

    /// Block length for `seconds` seconds: n^(1/3) rounded, the usual order for the moving-block bootstrap.
    public static func blockLength(seconds: Int) -> Int {
        max(1, Int(cbrt(Double(seconds)).rounded()))
    }

    /// The seconds of one resample: ⌈n/L⌉ blocks of L consecutive seconds (wrapping around) from
    /// random starts, cut to n.
    static func resample(count n: Int, blockLength: Int, random: inout SplitMix) -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(n + blockLength)
        while indices.count < n {
            let start = Int(random.next() % UInt64(n))
            for k in 0 ..< blockLength where indices.count < n { indices.append((start + k) % n) }
        }
        return indices
    }

    /// Percentile intervals of (HEAD* − BASE*) − (HEAD − BASE) over the resamples, per statistic.
    public func offsets(base: SecondSeries, head: SecondSeries) -> Offsets {
        let statistics = SecondSeries.Statistic.allCases.count
        var random = SplitMix(seed: seed)
        var baseScratch = [UInt64](repeating: 0, count: base.values.count)
        var headScratch = [UInt64](repeating: 0, count: head.values.count)
        let b0 = base.statistics(of: Array(0 ..< base.count), scratch: &baseScratch)
        let h0 = head.statistics(of: Array(0 ..< head.count), scratch: &headScratch)
        var absolute = [[Double]](repeating: [], count: statistics)
        var relative = [[Double]](repeating: [], count: statistics)
        let baseBlock = Self.blockLength(seconds: base.count), headBlock = Self.blockLength(seconds: head.count)
        for _ in 0 ..< resamples {
            let b = base.statistics(of: Self.resample(count: base.count, blockLength: baseBlock, random: &random), scratch: &baseScratch)
            let h = head.statistics(of: Self.resample(count: head.count, blockLength: headBlock, random: &random), scratch: &headScratch)
            for s in 0 ..< statistics {
                let d = (h[s] - b[s]) - (h0[s] - b0[s])
                if d.isFinite { absolute[s].append(d) }
                let r = (h[s] / b[s] - 1) - (h0[s] / b0[s] - 1)
                if r.isFinite, b[s] != 0, b0[s] != 0 { relative[s].append(r) }
            }
        }
        return Offsets(absolute: absolute.map { interval($0) }, relative: relative.map { interval($0) })
    }

    /// The central `confidence` range of `values`, nil when most resamples gave no value.
    func interval(_ values: [Double]) -> ClosedRange<Double>? {
        guard values.count * 2 > resamples else { return nil }
        let sorted = values.sorted()
        let tail = (1 - confidence) / 2
        let low = sorted[Int((tail * Double(sorted.count - 1)).rounded(.down))]
        let high = sorted[Int(((1 - tail) * Double(sorted.count - 1)).rounded(.up))]
        return low ... high
    }
}

/// SplitMix64: a tiny seeded generator, so a comparison's intervals repeat exactly.
struct SplitMix: Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
