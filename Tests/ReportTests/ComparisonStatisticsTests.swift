import Metrics
@testable import Report
import XCTest

/// The statistics behind `estbench compare`, checked against published tables and synthetic data with a known answer.
final class ComparisonStatisticsTests: XCTestCase {
    /// Exact null distribution of U against the classic tables: n = m = 5, P(U ≤ 2) = 4/252, P(U ≤ 3) = 7/252;
    /// n = 4, m = 5: P(U ≤ 1) = 2/126.
    func testExactDistributionMatchesTables() {
        let five = RankTest.exactCDF(n: 5, m: 5)
        XCTAssertEqual(five.count, 26)
        XCTAssertEqual(five[0], 1.0 / 252, accuracy: 1e-12)
        XCTAssertEqual(five[2], 4.0 / 252, accuracy: 1e-12)
        XCTAssertEqual(five[3], 7.0 / 252, accuracy: 1e-12)
        XCTAssertEqual(five[12], 0.5, accuracy: 1e-12) // symmetric about 12.5: P(U ≤ 12) = ½
        XCTAssertEqual(five[25], 1, accuracy: 1e-12)
        XCTAssertEqual(RankTest.exactCDF(n: 4, m: 5)[1], 2.0 / 126, accuracy: 1e-12)
        // Critical value from tables (two-sided α = 0.05): n = m = 8 → U ≤ 13.
        let eight = RankTest.exactCDF(n: 8, m: 8)
        XCTAssertLessThanOrEqual(eight[13], 0.025)
        XCTAssertGreaterThan(eight[14], 0.025)
    }

    /// Complete separation of 5 and 5 runs: U = 25, p = 2/252; the interval is [D(3), D(23)] of the 25 differences.
    func testSeparatedSamples() {
        let base = [10.0, 11, 12, 13, 14]
        let head = [20.0, 21, 22, 23, 24]
        let test = RankTest(base: base, head: head)
        XCTAssertEqual(test.u, 25)
        XCTAssertEqual(test.p, 2.0 / 252, accuracy: 1e-12)
        XCTAssertEqual(test.shift, 10)
        let differences = base.flatMap { b in head.map { $0 - b } }.sorted()
        XCTAssertEqual(test.interval, differences[2] ... differences[22])
        XCTAssertEqual(test.achievedConfidence!, 1 - 8.0 / 252, accuracy: 1e-12)
        XCTAssertEqual(ComparisonRow.verdict(test.interval, metric: .p50), .worse)
        XCTAssertEqual(ComparisonRow.verdict(test.interval, metric: .rate), .better)
    }

    /// Interleaved samples: no significant difference, the interval holds 0; too few runs: no interval.
    func testOverlapAndTooFewRuns() {
        let test = RankTest(base: [1, 3, 5, 7, 9], head: [2, 4, 6, 8, 10])
        XCTAssertEqual(test.u, 15)
        XCTAssertEqual(test.p, 2 * RankTest.exactCDF(n: 5, m: 5)[10], accuracy: 1e-12) // U' = 25 − 15 = 10
        XCTAssertTrue(test.interval!.contains(0))
        XCTAssertNil(RankTest(base: [1, 2, 3], head: [7, 8, 9]).interval) // min two-sided p = 2/20 > 0.05
        XCTAssertNotNil(RankTest(base: [1, 2, 3, 4], head: [7, 8, 9, 10]).interval) // 2/70 < 0.05
    }

    /// Large samples take the normal approximation; the quantile function is right.
    func testNormalApproximation() {
        XCTAssertEqual(RankTest.normalQuantile(0.975), 1.959964, accuracy: 1e-5)
        XCTAssertEqual(RankTest.normalQuantile(0.5), 0, accuracy: 1e-9)
        let base = (0 ..< 50).map { Double($0) }
        let head = (0 ..< 50).map { Double($0) + 10 }
        let test = RankTest(base: base, head: head)
        XCTAssertEqual(test.shift, 10)
        XCTAssertTrue(test.interval!.contains(10))
        XCTAssertLessThan(test.p, 0.05)
    }

    /// Synthetic runs of 30 seconds whose latencies drift slowly (autocorrelated): HEAD = BASE + 2 ms.
    /// The interval of every percentile's delta holds the shift and excludes 0; an A/A pair's holds 0.
    func testBlockBootstrapFindsAKnownShift() throws {
        func series(shiftUs: UInt64, seed: UInt64) -> SecondSeries {
            var random = SplitMix(seed: seed)
            var latencies: [EncodedHistogram] = []
            for second in 0 ..< 30 {
                var histogram = LatencyScale.makeHistogram()
                let drift = UInt64(200 + 100 * (second % 7)) // slow wander, the same in both runs' shape
                for _ in 0 ..< 400 { histogram.record(1_000 + drift + random.next() % 500 + shiftUs) }
                latencies.append(EncodedHistogram(histogram))
            }
            return SecondSeries(latencies: latencies, operations: [UInt64](repeating: 400, count: 30), errors: [UInt64](repeating: 0, count: 30))
        }
        let base = series(shiftUs: 0, seed: 1)
        let head = series(shiftUs: 2_000, seed: 2)
        let offsets = BlockBootstrap(resamples: 400).offsets(base: base, head: head)
        var scratchB = [UInt64](repeating: 0, count: base.values.count), scratchH = [UInt64](repeating: 0, count: head.values.count)
        let b0 = base.statistics(of: Array(0 ..< 30), scratch: &scratchB), h0 = head.statistics(of: Array(0 ..< 30), scratch: &scratchH)
        for statistic in [SecondSeries.Statistic.p50, .p90, .p99] {
            let delta = h0[statistic.rawValue] - b0[statistic.rawValue]
            let interval = try XCTUnwrap(offsets.absolute[statistic.rawValue])
            let absolute = delta + interval.lowerBound ... delta + interval.upperBound
            XCTAssertGreaterThan(absolute.lowerBound, 0, "\(statistic)")
            XCTAssertTrue(absolute.contains(2_000) || abs(delta - 2_000) < 30, "\(statistic): \(absolute)") // bucket width ≈ 2 µs at 3 ms
        }
        let same = BlockBootstrap(resamples: 400).offsets(base: base, head: series(shiftUs: 0, seed: 3))
        let p50 = try XCTUnwrap(same.absolute[SecondSeries.Statistic.p50.rawValue])
        XCTAssertLessThan(p50.lowerBound, 0)
        XCTAssertGreaterThan(p50.upperBound, 0)
        // Rate: both sides 400/s exactly, so the interval is a point at 0.
        XCTAssertEqual(same.absolute[SecondSeries.Statistic.rate.rawValue], 0 ... 0)
    }

    /// Percentiles of merged seconds follow HdrHistogram's rule (value where the count reaches ⌈p·total⌉).
    func testSecondSeriesPercentiles() {
        var histogram = LatencyScale.makeHistogram()
        for value in 1 ... 100 { histogram.record(UInt64(value)) }
        let series = SecondSeries(latencies: [EncodedHistogram(histogram)], operations: [100], errors: [5])
        var scratch = [UInt64](repeating: 0, count: series.values.count)
        let s = series.statistics(of: [0, 0], scratch: &scratch)
        XCTAssertEqual(s[SecondSeries.Statistic.p50.rawValue], 50)
        XCTAssertEqual(s[SecondSeries.Statistic.p99.rawValue], 99)
        XCTAssertEqual(s[SecondSeries.Statistic.p999.rawValue], 100)
        XCTAssertEqual(s[SecondSeries.Statistic.rate.rawValue], 100)
        XCTAssertEqual(s[SecondSeries.Statistic.errorRate.rawValue], 0.05)
        XCTAssertEqual(BlockBootstrap.blockLength(seconds: 27), 3)
        XCTAssertEqual(BlockBootstrap.blockLength(seconds: 1), 1)
    }

    /// Plans equal apart from the target are comparable; anything else is named by its path.
    func testPlanComparability() throws {
        let a = try JSONValue(parsing: """
        {"name": "p", "overriddenPaths": ["target.url"], "profile": {"seed": 1, "target": {"url": "https://a", "builtInServer": false,
         "caBundle": "a.pem", "credentials": {"basic": {"user": "x"}}, "tls": {"verify": true}}, "load": {"closed": {"devices": 4}}}}
        """)
        let b = try JSONValue(parsing: """
        {"name": "p", "overriddenPaths": [], "profile": {"seed": 1.0, "target": {"builtInServer": true, "tls": {"verify": true}},
         "load": {"closed": {"devices": 4}}}}
        """)
        XCTAssertEqual(PlanComparability.differences(a, b), [])
        let c = try JSONValue(parsing: """
        {"name": "p", "profile": {"seed": 1, "target": {"tls": {"verify": false}}, "load": {"closed": {"devices": 8}}}}
        """)
        XCTAssertEqual(PlanComparability.differences(a, c), ["profile.load.closed.devices", "profile.target.tls.verify"])
    }

    /// The rule parser: each form, and bad rules naming the syntax.
    func testRegressionRuleParsing() throws {
        let p99 = try RegressionRule(parsing: "simpleenroll.p99:+10%")
        XCTAssertEqual(p99.operation, "simpleenroll")
        XCTAssertNil(p99.phase)
        XCTAssertEqual(p99.metric, .p99)
        XCTAssertTrue(p99.upward && p99.relative)
        XCTAssertEqual(p99.limit, 10)
        let rate = try RegressionRule(parsing: "rate:-5%")
        XCTAssertNil(rate.operation)
        XCTAssertFalse(rate.upward)
        let errors = try RegressionRule(parsing: "errorRate:+0.01")
        XCTAssertFalse(errors.relative)
        XCTAssertEqual(errors.limit, 0.01)
        let tls = try RegressionRule(parsing: "simpleenroll.tls.p99.9:+2")
        XCTAssertEqual(tls.phase, "tls")
        XCTAssertEqual(tls.metric, .p999)
        XCTAssertEqual(try RegressionRule(parsing: "all.p50:+5%").operation, "all")
        for bad in ["p99", "p99:10%", "simpleenroll.p98:+1%", "a.b.c.p99:+1%", "x.warp.p99:+1%", "x.tls.rate:-5%", "p99:+ten%", "p99:+-1"] {
            XCTAssertThrowsError(try RegressionRule(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains("[OPERATION.][PHASE.]METRIC"), "\(error)")
            }
        }
    }

    /// The decision: fail only when the whole interval lies beyond the tolerance.
    func testRegressionRuleDecision() throws {
        let p99 = try RegressionRule(parsing: "p99:+10%")
        XCTAssertEqual(p99.fails(absolute: nil, relative: 0.11 ... 0.3), true)
        XCTAssertEqual(p99.fails(absolute: nil, relative: 0.05 ... 0.3), false) // could be within 10%
        XCTAssertNil(p99.fails(absolute: 1 ... 2, relative: nil))
        let rate = try RegressionRule(parsing: "rate:-5%")
        XCTAssertEqual(rate.fails(absolute: nil, relative: -0.2 ... -0.06), true)
        XCTAssertEqual(rate.fails(absolute: nil, relative: -0.2 ... -0.04), false)
        XCTAssertEqual(rate.fails(absolute: nil, relative: 0.1 ... 0.2), false)
        let errors = try RegressionRule(parsing: "errorRate:+0.01")
        XCTAssertEqual(errors.fails(absolute: 0.02 ... 0.03, relative: nil), true)
        XCTAssertEqual(errors.fails(absolute: 0.0 ... 0.03, relative: nil), false)
        XCTAssertEqual(Comparison.exitCode([Comparison.Gate(rule: "r", failed: ["x"], undecided: [])]), 1)
        XCTAssertEqual(Comparison.exitCode([Comparison.Gate(rule: "r", failed: [], undecided: ["x"])]), 3)
        XCTAssertEqual(Comparison.exitCode([Comparison.Gate(rule: "r", failed: [], undecided: [])]), 0)
    }
}
