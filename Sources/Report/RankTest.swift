import Foundation

/// The Mann-Whitney U test between two small samples (one value per run), and the Hodges–Lehmann
/// shift with its distribution-free confidence interval — what `estbench compare` uses when each side
/// has several runs, as Go's benchstat does. Exact null distribution (no ties assumed) up to
/// `exactLimit` values per side, a normal approximation with tie correction beyond.
public struct RankTest: Sendable, Equatable {
    /// U of the HEAD sample: pairs (base, head) with head > base, ties counting ½.
    public var u: Double
    /// Two-sided p-value of "both samples come from one distribution".
    public var p: Double
    /// Hodges–Lehmann estimate of HEAD − BASE: the median of all pairwise differences.
    public var shift: Double
    /// Confidence interval of the shift (nil when the samples are too small to reach the confidence asked).
    public var interval: ClosedRange<Double>?
    /// The confidence the interval actually has (the exact distribution is discrete: ≥ the one asked).
    public var achievedConfidence: Double?

    public static let exactLimit = 40

    /// Tests `head` against `base` (each at least one value) at `confidence` (e.g. 0.95).
    public init(base: [Double], head: [Double], confidence: Double = 0.95) {
        let n = base.count, m = head.count
        precondition(n > 0 && m > 0, "RankTest needs a value on each side")
        var u = 0.0
        var differences: [Double] = []
        differences.reserveCapacity(n * m)
        for b in base {
            for h in head {
                if h > b { u += 1 } else if h == b { u += 0.5 }
                differences.append(h - b)
            }
        }
        differences.sort()
        self.u = u
        shift = Self.median(sorted: differences)
        let alpha = 1 - confidence
        let exact = n <= Self.exactLimit && m <= Self.exactLimit
        let hasTies = Set(base + head).count < n + m
        if exact {
            let cdf = Self.exactCDF(n: n, m: m)
            // Two-sided p from the smaller tail (U and n·m − U have the same distribution).
            let low = min(u, Double(n * m) - u)
            let tail = hasTies ? Self.normalTail(u: low, n: n, m: m, ties: Self.tieGroups(base + head)) : cdf[Int(low.rounded(.down))]
            p = min(1, 2 * tail)
            // Largest c with P(U ≤ c) ≤ α/2: the interval is [D(c+1), D(nm−c)] (1-based) of the sorted differences.
            var c = -1
            while c + 1 < cdf.count, cdf[c + 1] <= alpha / 2 { c += 1 }
            if c >= 0 {
                interval = differences[c] ... differences[n * m - 1 - c]
                achievedConfidence = 1 - 2 * cdf[c]
            }
        } else {
            p = min(1, 2 * Self.normalTail(u: min(u, Double(n * m) - u), n: n, m: m, ties: Self.tieGroups(base + head)))
            let z = Self.normalQuantile(1 - alpha / 2)
            let mean = Double(n * m) / 2
            let sd = (Double(n * m * (n + m + 1)) / 12).squareRoot()
            let c = max(0, Int((mean - z * sd).rounded(.down)))
            if c < n * m - c { interval = differences[c] ... differences[n * m - 1 - c] }
            achievedConfidence = interval == nil ? nil : confidence
        }
    }

    /// P(U ≤ u) for u = 0 … n·m under the null, without ties: the number of arrangements of n
    /// BASE and m HEAD values with U = u, by the recursion f(n, m, u) = f(n−1, m, u−m) + f(n, m−1, u).
    public static func exactCDF(n: Int, m: Int) -> [Double] {
        let top = n * m
        // counts[i][j][u] built row by row over i (BASE values), for all j ≤ m.
        var previous = [[Double]](repeating: [], count: m + 1)
        for j in 0 ... m { previous[j] = [1] } // i = 0: U = 0 in one way
        for i in 1 ... n {
            var current = [[Double]](repeating: [], count: m + 1)
            current[0] = [1]
            for j in 1 ... m {
                var row = [Double](repeating: 0, count: i * j + 1)
                // The largest value is a HEAD value (beats all i BASE values: +i) or a BASE value (+0).
                let head = current[j - 1], base = previous[j]
                for (value, count) in head.enumerated() { row[value + i] += count }
                for (value, count) in base.enumerated() { row[value] += count }
                current[j] = row
            }
            previous = current
        }
        let counts = previous[m]
        let total = counts.reduce(0, +)
        var cdf = [Double](repeating: 0, count: top + 1)
        var running = 0.0
        for index in 0 ... top {
            running += index < counts.count ? counts[index] : 0
            cdf[index] = running / total
        }
        return cdf
    }

    /// Sizes of groups of equal values (for the tie correction).
    static func tieGroups(_ values: [Double]) -> [Int] {
        var groups: [Double: Int] = [:]
        for v in values { groups[v, default: 0] += 1 }
        return groups.values.filter { $0 > 1 }
    }

    /// P(U ≤ u) by the normal approximation with continuity and tie correction.
    static func normalTail(u: Double, n: Int, m: Int, ties: [Int]) -> Double {
        let nm = Double(n * m), total = Double(n + m)
        let tieTerm = ties.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) } / (total * (total - 1))
        let variance = nm / 12 * ((total + 1) - tieTerm)
        guard variance > 0 else { return 1 }
        let z = (u - nm / 2 + 0.5) / variance.squareRoot()
        return min(1, 0.5 * erfc(-z / 2.0.squareRoot()))
    }

    /// The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
    public static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -normalQuantile(1 - p) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }

    /// The median of sorted values (mean of the middle two for an even count).
    public static func median(sorted values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let mid = values.count / 2
        return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
    }
}
