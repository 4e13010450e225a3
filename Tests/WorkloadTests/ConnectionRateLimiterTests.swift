import XCTest
@testable import Workload

/// The new-connection cap on a simulated timeline: never more than N in any one-second window,
/// and each caller over the cap told once when its own turn is.
final class ConnectionRateLimiterTests: XCTestCase {

    /// The turns reserved by callers wanting a connection every `stepNs` for `durationNs`, as
    /// many as one per step, kept when they fall within `durationNs`.
    private func turns(_ limiter: inout ConnectionRateLimiter, stepNs: UInt64, durationNs: UInt64) -> [UInt64] {
        var reserved: [UInt64] = []
        var now: UInt64 = 0
        while now < durationNs {
            let turn = limiter.reserve(nowNs: now)
            XCTAssertGreaterThanOrEqual(turn, now, "a turn is never in the past")
            if turn < durationNs { reserved.append(turn) }
            now += stepNs
        }
        return reserved
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
            let times = turns(&limiter, stepNs: 100_000, durationNs: 5_000_000_000)
            XCTAssertEqual(times, times.sorted(), "turns are given in the order asked")
            XCTAssertLessThanOrEqual(maxInAnySecond(times), Int(rate), "rate \(rate)")
            XCTAssertGreaterThanOrEqual(times.count, Int(rate) * 5 - 1, "the cap is reached, rate \(rate)")
        }
    }

    func testBurstAllowsBurstMinusOneExtra() {
        var limiter = ConnectionRateLimiter(perSecond: 50, burst: 10)
        var times = (0..<10).map { _ in limiter.reserve(nowNs: 0) }
        XCTAssertEqual(times, Array(repeating: 0, count: 10))
        var now: UInt64 = 1_000_000
        while now < 5_000_000_000 {
            let turn = limiter.reserve(nowNs: now)
            if turn < 5_000_000_000 { times.append(turn) }
            now += 1_000_000
        }
        XCTAssertEqual(maxInAnySecond(times), 59)
    }

    /// Callers over the cap at one instant get successive turns, one interval apart: each is told
    /// once, none shares a turn. Idle time banks no tokens beyond the burst.
    func testEachWaitingCallerGetsItsOwnTurn() {
        var limiter = ConnectionRateLimiter(perSecond: 4)
        XCTAssertEqual(limiter.reserve(nowNs: 1_000), 1_000)
        XCTAssertEqual(limiter.reserve(nowNs: 2_000), 250_001_000)
        XCTAssertEqual(limiter.reserve(nowNs: 2_000), 500_001_000)
        XCTAssertEqual(limiter.reserve(nowNs: 3_000), 750_001_000)
        XCTAssertEqual(limiter.reserve(nowNs: 10_000_000_000), 10_000_000_000)
        XCTAssertEqual(limiter.reserve(nowNs: 10_000_000_001), 10_250_000_000)
    }
}
