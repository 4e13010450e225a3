@testable import PKI
import XCTest

final class BenchmarkRunnerTests: XCTestCase {
    /// A row's ratio is the median of the per-pass ratios, its spread their interpolated quartiles;
    /// a baseline row has neither.
    func testRatioMedianAndQuartilesOverPasses() {
        // Per pass, baseline ns / case ns: 3, 1, 4, 2 (sorted 1, 2, 3, 4).
        let samples = BenchmarkRunner.Samples(names: ["base", "case"],
                                              nsPerOp: [[300, 100, 400, 200], [100, 100, 100, 100]])
        let row = samples.row(1, keyType: "p256", baseline: 0)
        XCTAssertEqual(row.ratio, 2.5)
        XCTAssertEqual(row.ratioQuartiles?.low, 1.75)
        XCTAssertEqual(row.ratioQuartiles?.high, 3.25)
        XCTAssertEqual(row.baseline, "base")
        XCTAssertEqual(row.nsPerOp, 100)
        XCTAssertEqual(row.renamed("again").ratioQuartiles?.low, 1.75)

        let base = samples.row(0, keyType: "p256")
        XCTAssertEqual(base.nsPerOp, 250)
        XCTAssertNil(base.ratio)
        XCTAssertNil(base.ratioQuartiles)
    }

    /// Every pass is reported, in order, once every case has had its slice.
    func testProgressAfterEveryPass() throws {
        var reported: [String] = []
        var calls = 0
        let runner = BenchmarkRunner(rounds: 1, sliceNs: 100_000) { done, of in reported.append("\(done)/\(of)") }
        let samples = try runner.run([.init(name: "a") { _ in calls += 1 }, .init(name: "b") { _ in calls += 1 }])
        XCTAssertEqual(reported, (1...8).map { "\($0)/8" })
        XCTAssertEqual(samples.nsPerOp.map(\.count), [8, 8])
        XCTAssertGreaterThan(calls, 16)
    }
}
