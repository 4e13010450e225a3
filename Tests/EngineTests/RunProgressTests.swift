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
        XCTAssertNil(p.p99Ns)
        for i in 1...1000 { p.completed(error: i % 100 == 0, latencyNs: UInt64(i) * 1_000_000) }
        XCTAssertEqual(p.completed, 1000)
        XCTAssertEqual(p.errors, 10)
        let p99 = try? XCTUnwrap(p.p99Ns)
        XCTAssertTrue((990_000_000...1_500_000_000).contains(p99 ?? 0), "\(String(describing: p99))")
    }
}
