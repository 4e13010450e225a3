import Metrics

/// One operation of one run, second by second: each second's latency buckets, operations and errors —
/// what the one-run-per-side comparison resamples. Built from `<operation>.hlog` and timeline.csv;
/// a second in which nothing ended is a second of zeros, so resampling keeps the rate honest.
public struct SecondSeries: Sendable, Equatable {
    /// The figures a resample yields, in this order (latencies in µs, rate per second, error rate a fraction).
    public enum Statistic: Int, CaseIterable, Sendable {
        case rate, errorRate, p50, p90, p99, p999

        /// Percentile of a latency statistic, nil for rate and error rate.
        public var percentile: Double? {
            switch self {
            case .rate, .errorRate: nil
            case .p50: 50
            case .p90: 90
            case .p99: 99
            case .p999: 99.9
            }
        }
    }

    /// Bucket values (µs, each bucket's lowest equivalent value) of every second, ascending, unique.
    public private(set) var values: [UInt64]
    /// Per second: (index into `values`, count).
    public private(set) var buckets: [[(index: Int, count: UInt64)]]
    /// Per second: operations ended (every outcome) and errors among them.
    public private(set) var operations: [UInt64]
    public private(set) var errors: [UInt64]

    public static func == (lhs: SecondSeries, rhs: SecondSeries) -> Bool {
        lhs.values == rhs.values && lhs.operations == rhs.operations && lhs.errors == rhs.errors
            && lhs.buckets.map { $0.map(\.index) } == rhs.buckets.map { $0.map(\.index) }
            && lhs.buckets.map { $0.map(\.count) } == rhs.buckets.map { $0.map(\.count) }
    }

    /// Seconds 0 ..< `count`, each with its latency histogram (empty when nothing answered) and counts.
    public init(latencies: [EncodedHistogram], operations: [UInt64], errors: [UInt64]) {
        precondition(latencies.count == operations.count && operations.count == errors.count)
        values = Array(Set(latencies.flatMap(\.values))).sorted()
        var position: [UInt64: Int] = [:]
        for (index, value) in values.enumerated() { position[value] = index }
        buckets = latencies.map { histogram in zip(histogram.values, histogram.counts).map { (position[$0.0]!, $0.1) } }
        self.operations = operations
        self.errors = errors
    }

    public var count: Int { operations.count }

    /// Every statistic of the seconds at `indices` taken together (a second may come more than once);
    /// `scratch` (as long as `values`) is reused between calls.
    public func statistics(of indices: [Int], scratch: inout [UInt64]) -> [Double] {
        for i in scratch.indices { scratch[i] = 0 }
        var total: UInt64 = 0, ops: UInt64 = 0, errs: UInt64 = 0
        for second in indices {
            ops += operations[second]
            errs += errors[second]
            for bucket in buckets[second] {
                scratch[bucket.index] += bucket.count
                total += bucket.count
            }
        }
        var result = [Double](repeating: .nan, count: Statistic.allCases.count)
        result[Statistic.rate.rawValue] = indices.isEmpty ? 0 : Double(ops) / Double(indices.count)
        result[Statistic.errorRate.rawValue] = ops == 0 ? .nan : Double(errs) / Double(ops)
        guard total > 0 else { return result }
        // HdrHistogram's rule: the value at which the cumulative count reaches ⌈p·total⌉ (at least 1).
        let latencies = Statistic.allCases.compactMap { s in s.percentile.map { (s, $0) } }
        var next = 0
        var cumulative: UInt64 = 0
        var target = Self.rank(latencies[0].1, total)
        for (index, count) in scratch.enumerated() where count > 0 {
            cumulative += count
            while next < latencies.count, cumulative >= target {
                result[latencies[next].0.rawValue] = Double(values[index])
                next += 1
                if next < latencies.count { target = Self.rank(latencies[next].1, total) }
            }
            if next == latencies.count { break }
        }
        return result
    }

    /// ⌈p·total⌉ in integers (0.99 × 100 in doubles is 99.000…01, whose ceiling is 100).
    static func rank(_ percentile: Double, _ total: UInt64) -> UInt64 {
        let perTenThousand = UInt64((percentile * 100).rounded())
        return max(1, (total * perTenThousand + 9_999) / 10_000)
    }
}
