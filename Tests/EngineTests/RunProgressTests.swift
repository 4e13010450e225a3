@testable import Engine
import XCTest

final class RunProgressTests: XCTestCase {
    /// Every latency falls in a bucket whose upper bound is at least the value and at most 1.5x it.
    func testBucketsBoundTheirValues() {
        var ns: UInt64 = 1_000
        while ns < 60_000_000_000 {
            let upper = RunProgress.upperNs(RunProgress.bucket(ns))
            XCTAssertGreaterThanOrEqual(upper, ns, "\(ns)")
            XCTAssertLessThanOrEqual(Double(upper), Double(ns) * 1.5, "\(ns)")
            ns = ns * 21 / 20 + 1
        }
    }

    func testP99AndCounts() {
        let p = RunProgress()
        XCTAssertNil(p.takeIntervalP99Ns())
        for i in 1...1000 { p.completed(error: i % 100 == 0, latencyNs: UInt64(i) * 1_000_000) }
        XCTAssertEqual(p.completed, 1000)
        XCTAssertEqual(p.errors, 10)
        let p99 = try? XCTUnwrap(p.takeIntervalP99Ns())
        XCTAssertTrue((990_000_000...1_500_000_000).contains(p99 ?? 0), "\(String(describing: p99))")
    }

    /// The live line's p99 is the last interval's: a slow interval does not linger in the next one.
    func testIntervalP99StartsAfresh() {
        let p = RunProgress()
        for _ in 1...100 { p.completed(error: false, latencyNs: 2_000_000_000) }
        XCTAssertGreaterThanOrEqual(p.takeIntervalP99Ns() ?? 0, 2_000_000_000)
        XCTAssertNil(p.takeIntervalP99Ns())
        for _ in 1...100 { p.completed(error: false, latencyNs: 1_000_000) }
        XCTAssertLessThanOrEqual(p.takeIntervalP99Ns() ?? .max, 1_500_000)
    }

    /// The abort monitor's counts: every ended operation, the failed ones, the unreachable ones by reason.
    func testEndedCountsByReason() {
        let p = RunProgress()
        let refused = p.reasonSlot("ECONNREFUSED")
        XCTAssertEqual(p.reasonSlot("ECONNREFUSED"), refused)
        for _ in 1...3 { p.ended(failed: true, unreachableSlot: refused) }
        p.ended(failed: true, unreachableSlot: nil)
        p.ended(failed: false, unreachableSlot: nil)
        XCTAssertEqual(p.endedCounts, EndedCounts(ended: 5, failed: 4, unreachable: 3, unreachableReasons: ["ECONNREFUSED": 3]))
        for i in 0..<40 { _ = p.reasonSlot("reason \(i)") }
        XCTAssertEqual(p.reasonSlot("one too many"), RunProgress.reasonSlotCount - 1)
    }
}
