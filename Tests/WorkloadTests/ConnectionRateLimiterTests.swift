import XCTest
@testable import Workload

/// The new-connection cap on a simulated timeline: never more than N in any one-second window.
final class ConnectionRateLimiterTests: XCTestCase {

    /// Admission times when connections are wanted as fast as allowed, polled every `stepNs` for `durationNs`.
    private func admissions(_ limiter: inout ConnectionRateLimiter, stepNs: UInt64, durationNs: UInt64) -> [UInt64] {
        var admitted: [UInt64] = []
        var now: UInt64 = 0
        while now < durationNs {
            while limiter.admit(nowNs: now) == .admitted { admitted.append(now) }
            now += stepNs
        }
        return admitted
    }

    private func maxInAnySecond(_ times: [UInt64]) -> Int {
        var best = 0
        var start = 0
        for end in times.indices {
            while times[end] - times[start] >= 1_000_000_000 { start += 1 }
            best = max(best, end - start + 1)
        }
        return best
    }

    func testAdmitsAtMostNPerSecond() {
        for rate in [3.0, 50, 1_000] {
            var limiter = ConnectionRateLimiter(perSecond: rate)
            let times = admissions(&limiter, stepNs: 100_000, durationNs: 5_000_000_000)
            XCTAssertLessThanOrEqual(maxInAnySecond(times), Int(rate), "rate \(rate)")
            XCTAssertGreaterThanOrEqual(times.count, Int(rate) * 5 - 1, "the cap is reached, rate \(rate)")
        }
    }

    func testBurstAllowsBurstMinusOneExtra() {
        var limiter = ConnectionRateLimiter(perSecond: 50, burst: 10)
        let times = admissions(&limiter, stepNs: 1_000_000, durationNs: 5_000_000_000)
        XCTAssertEqual(times.prefix(10), ArraySlice(repeating: 0, count: 10))
        XCTAssertEqual(maxInAnySecond(times), 59)
    }

    func testTellsWhenTheNextConnectionIsAllowed() {
        var limiter = ConnectionRateLimiter(perSecond: 4)
        XCTAssertEqual(limiter.admit(nowNs: 1_000), .admitted)
        XCTAssertEqual(limiter.admit(nowNs: 2_000), .notBefore(250_001_000))
        XCTAssertEqual(limiter.admit(nowNs: 250_001_000), .admitted)
        // Idle time does not bank tokens beyond the burst.
        XCTAssertEqual(limiter.admit(nowNs: 10_000_000_000), .admitted)
        XCTAssertEqual(limiter.admit(nowNs: 10_000_000_001), .notBefore(10_250_000_000))
    }
}
