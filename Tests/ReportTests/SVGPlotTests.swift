import Metrics
import Report
import XCTest

/// The plotting pieces as pure functions: tick choice, scale mapping, label collisions, escaping.
final class SVGPlotTests: XCTestCase {
    func testNiceStepsAreOneTwoFiveTimesAPowerOfTen() {
        XCTAssertEqual(PlotScale.niceStep(min: 0, max: 100, maxCount: 5), 20)
        XCTAssertEqual(PlotScale.niceStep(min: 0, max: 100, maxCount: 10), 10)
        XCTAssertEqual(PlotScale.niceStep(min: 0, max: 7, maxCount: 6), 2)
        XCTAssertEqual(PlotScale.niceStep(min: 0, max: 0.9, maxCount: 4), 0.5)
        XCTAssertEqual(PlotScale.niceStep(min: 0, max: 1234, maxCount: 6), 500)
        XCTAssertEqual(PlotScale.niceStep(min: 5, max: 5, maxCount: 6), 0)
        let ticks = PlotScale.linear(min: 0, max: 1000).ticks(maxCount: 5)
        XCTAssertEqual(ticks.map(\.value), [0, 200, 400, 600, 800, 1000])
        XCTAssertEqual(ticks.map(\.label), ["0", "200", "400", "600", "800", "1000"])
        XCTAssertEqual(PlotScale.linear(min: 0, max: 0.3).ticks(maxCount: 3).map(\.label), ["0.0", "0.1", "0.2", "0.3"])
    }

    func testNiceDomainClosesOnATick() {
        XCTAssertEqual(PlotScale.niceDomain(max: 87, maxCount: 6), .linear(min: 0, max: 100))
        XCTAssertEqual(PlotScale.niceDomain(max: 1850, maxCount: 6), .linear(min: 0, max: 2000))
        XCTAssertEqual(PlotScale.niceDomain(max: 0, maxCount: 6), .linear(min: 0, max: 1))
    }

    func testPercentileAxisSpacesTheNinesEvenly() {
        let scale = PlotScale.percentile(nines: 4)
        XCTAssertEqual(scale.fraction(0), 0)
        XCTAssertEqual(scale.fraction(0.9), 0.25, accuracy: 1e-12)
        XCTAssertEqual(scale.fraction(0.99), 0.5, accuracy: 1e-12)
        XCTAssertEqual(scale.fraction(0.999), 0.75, accuracy: 1e-9)
        XCTAssertEqual(scale.fraction(0.9999), 1, accuracy: 1e-9)
        XCTAssertEqual(scale.fraction(1), 1)
        XCTAssertEqual(scale.fraction(0.999999), 1)
        XCTAssertEqual(scale.ticks(maxCount: 0).map(\.label), ["0%", "90%", "99%", "99.9%", "99.99%"])
        XCTAssertEqual(PlotScale.nines(toShow: 0.5), 3)
        XCTAssertEqual(PlotScale.nines(toShow: 0.99995), 5)
        XCTAssertEqual(PlotScale.linear(min: 10, max: 20).fraction(15), 0.5)
        XCTAssertEqual(PlotScale.linear(min: 10, max: 20).fraction(30), 1)
    }

    func testXTickLabelsNeverOverlapAtAnyRange() {
        for maxX in [1.0, 7, 59, 61, 300, 3599, 86_400, 1_234_567] {
            let plot = SVGPlot(id: "t", title: "t", xLabel: "s", yLabel: "ms", series: [], xScale: .linear(min: 0, max: maxX))
            let ticks = plot.xTicks()
            XCTAssertGreaterThanOrEqual(ticks.count, 2, "\(maxX)")
            XCTAssertFalse(SVGPlot.labelsOverlap(ticks.map { (plot.xScale.fraction($0.value) * 528, $0.label) }), "\(maxX): \(ticks.map(\.label))")
        }
        XCTAssertTrue(SVGPlot.labelsOverlap([(0, "100000"), (20, "200000")]))
        XCTAssertFalse(SVGPlot.labelsOverlap([(0, "1"), (30, "2")]))
    }

    func testEscapingCoversTextAndAttributes() {
        XCTAssertEqual(HTML.escape("<script>alert(\"x\" & 'y')</script>"),
                       "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        XCTAssertEqual(HTML.escape("plain ü"), "plain ü")
        XCTAssertEqual(HTML.escape("a\u{0}b"), "a\u{FFFD}b")
    }

    func testPlotHasOnePointElementPerDataPointAndEscapesNames() {
        let series = SVGPlot.Series(name: "<b>run</b>", colour: "#000", points: (0 ..< 5).map { .init(x: Double($0), y: Double($0 * $0), tip: "\"\($0)\"") })
        let svg = SVGPlot(id: "p", title: "T <i>", xLabel: "time (s)", yLabel: "latency (ms)", series: [series]).svg()
        XCTAssertEqual(svg.components(separatedBy: "data-point=\"1\"").count - 1, 5)
        XCTAssertTrue(svg.contains("data-points=\"5\""))
        XCTAssertFalse(svg.contains("<b>") || svg.contains("<i>"))
        XCTAssertTrue(svg.contains("&lt;b&gt;run&lt;/b&gt;"))
        XCTAssertTrue(svg.contains(">time (s)<") && svg.contains(">latency (ms)<"))
    }

    func testPercentilePointsStartAtZeroAndEndAtTheExactMax() throws {
        var histogram = LatencyScale.makeHistogram()
        histogram.record(1000, count: 90)
        histogram.record(5000, count: 9)
        histogram.record(123_457)
        let points = HTMLReport.percentilePoints(EncodedHistogram(histogram))
        XCTAssertEqual(points.map(\.x), [0, 0.9, 0.99])
        XCTAssertEqual(points.first?.y, 1)
        XCTAssertEqual(points.last?.y, 123.457)
    }

    /// Thousands of distinct values make a few hundred points: first and exact last kept, steps
    /// rising, no two kept points closer than 1% in latency unless a hundredth of a decade apart.
    func testPercentilePointsAreThinnedNotDistorted() throws {
        var histogram = LatencyScale.makeHistogram()
        for us in stride(from: UInt64(1000), to: 21_000, by: 2) { histogram.record(us) }
        let encoded = EncodedHistogram(histogram)
        XCTAssertGreaterThan(encoded.values.count, 3000)
        let points = HTMLReport.percentilePoints(encoded)
        XCTAssertLessThan(points.count, 700, "\(points.count) points")
        XCTAssertGreaterThan(points.count, 100)
        XCTAssertEqual(points.first?.x, 0)
        XCTAssertEqual(points.first?.y, 1)
        XCTAssertEqual(points.last?.y, Double(histogram.maxRecorded) / 1000)
        for (a, b) in zip(points, points.dropFirst()) {
            XCTAssertLessThan(a.x, b.x)
            XCTAssertLessThanOrEqual(a.y, b.y)
        }
    }
}
