import Histogram
import Metrics
import XCTest

/// `HistogramFigures`, `percentileValue` and `PercentileDistribution` against the HdrHistogram package's
/// own figures and text, which they replace on the hot paths: equal bit for bit on every shape of data.
final class HistogramFiguresTests: XCTestCase {
    static let percentiles: [Double] = [0, 0.0001, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999, 100, 120]

    /// Histograms of every shape the runs produce: empty, zeros, one value, the whole range, clamped
    /// values, a long tail, and random mixtures.
    static func shapes() -> [(String, Histogram<UInt64>)] {
        var shapes: [(String, Histogram<UInt64>)] = [("empty", LatencyScale.makeHistogram())]
        func make(_ name: String, _ values: [(UInt64, UInt64)]) {
            var histogram = LatencyScale.makeHistogram()
            for (value, count) in values { histogram.record(Swift.min(value, LatencyScale.highestUs), count: count) }
            shapes.append((name, histogram))
        }
        make("zero only", [(0, 3)])
        make("one value", [(1_234, 1)])
        make("zero and others", [(0, 2), (7, 1), (5_000, 4)])
        make("uniform", (1 ... 20_000).map { (UInt64($0), 1) })
        make("top of the range", [(59_999_999, 2), (LatencyScale.highestUs, 5), (3, 1)])
        make("long tail", (0 ..< 2_000).map { i in (UInt64(800 + i % 50), 10) } + [(250_000, 1), (2_000_000, 1)])
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for round in 0 ..< 6 {
            var values: [(UInt64, UInt64)] = []
            for _ in 0 ..< 500 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let magnitude = (state >> 59) % 27 // 2^0 … 2^26 µs
                values.append(((state >> 8) % (UInt64(1) << magnitude), 1 + (state >> 40) % 7))
            }
            make("random \(round)", values)
        }
        return shapes
    }

    func testFiguresEqualThePackagesOwn() {
        for (name, histogram) in Self.shapes() {
            let figures = HistogramFigures(histogram)
            XCTAssertEqual(figures.totalCount, histogram.totalCount, name)
            XCTAssertEqual(figures.min, histogram.min, name)
            XCTAssertEqual(figures.max, histogram.max, name)
            XCTAssertEqual(figures.maxRecorded, histogram.maxRecorded, name)
            XCTAssertEqual(figures.mean.bitPattern, histogram.mean.bitPattern, "\(name): \(figures.mean) vs \(histogram.mean)")
            XCTAssertEqual(figures.stdDeviation.bitPattern, histogram.stdDeviation.bitPattern, name)
            for p in Self.percentiles {
                XCTAssertEqual(figures.value(atPercentile: p), histogram.valueAtPercentile(p), "\(name) p\(p)")
                XCTAssertEqual(histogram.percentileValue(p), histogram.valueAtPercentile(p), "\(name) p\(p)")
            }
        }
    }

    func testLatencySummaryReadsTheSameFigures() {
        for (name, histogram) in Self.shapes() {
            let summary = LatencySummary(histogram)
            XCTAssertEqual(summary.count, histogram.totalCount, name)
            XCTAssertEqual(summary.minUs, histogram.totalCount == 0 ? 0 : histogram.min, name)
            XCTAssertEqual(summary.maxUs, histogram.totalCount == 0 ? 0 : histogram.max, name)
            XCTAssertEqual(summary.meanUs, histogram.mean, name)
            XCTAssertEqual(summary.p50Us, histogram.valueAtPercentile(50), name)
            XCTAssertEqual(summary.p999Us, histogram.valueAtPercentile(99.9), name)
        }
    }

    func testPercentileDistributionIsThePackagesTextByteForByte() {
        for (name, histogram) in Self.shapes() {
            for ticks in [1, 5] {
                var expected = ""
                histogram.outputPercentileDistribution(to: &expected, outputValueUnitScalingRatio: LatencyScale.usPerMs,
                                                       percentileTicksPerHalfDistance: ticks)
                let ours = PercentileDistribution.text(histogram, scaling: LatencyScale.usPerMs, ticksPerHalfDistance: ticks)
                XCTAssertEqual(ours, expected, "\(name), \(ticks) tick(s)")
            }
        }
        for digits in [SignificantDigits.one, .two, .four] {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 4, highestTrackableValue: 1 << 40, numberOfSignificantValueDigits: digits)
            for value in stride(from: UInt64(5), to: 5_000_000, by: 9_973) { histogram.record(value) }
            var expected = ""
            histogram.outputPercentileDistribution(to: &expected, outputValueUnitScalingRatio: 1)
            XCTAssertEqual(PercentileDistribution.text(histogram, scaling: 1), expected, "\(digits) digits")
        }
    }
}
