@testable import Server
import XCTest

/// `serve --capacity`'s token bucket driven by a fake clock: the cap, the burst, the queue's order
/// and its bound, and the validation of N.
final class CapacityGateTests: XCTestCase {
    let second: UInt64 = 1_000_000_000

    /// Requests arriving at half the cap, evenly spaced, never wait.
    func testBelowCapacityNothingWaits() throws {
        let gate = CapacityGate(try ServerCapacity(requestsPerSecond: 100))
        for k in 0..<500 { XCTAssertEqual(gate.admit(nowNs: second + UInt64(k) * 20_000_000), .now, "request \(k)") }
    }

    /// Requests arriving all at once: the first `burst` go at once, the rest wait one spacing more
    /// each (answered in order), and past the queue limit they are refused.
    func testAboveCapacityRequestsQueueInOrderThenAreRefused() throws {
        let capacity = try ServerCapacity(requestsPerSecond: 1000, queueLimit: 50)
        XCTAssertEqual(capacity.burst, 20)
        let gate = CapacityGate(capacity)
        let now = 5 * second
        var waits: [UInt64] = []
        var refused = 0
        for _ in 0..<100 {
            switch gate.admit(nowNs: now) {
            case .now: waits.append(0)
            case .after(let ns): waits.append(ns)
            case .refused: refused += 1
            }
        }
        XCTAssertEqual(waits.prefix(20).allSatisfy { $0 == 0 }, true, "the bucket's 20 tokens go at once")
        XCTAssertEqual(waits.count, 70, "20 at once, then waits of 1...50 spacings; the rest refused")
        XCTAssertEqual(refused, 30)
        XCTAssertEqual(Array(waits.dropFirst(20)), (1...50).map { UInt64($0) * 1_000_000 }, "in order, one spacing apart")
        // A refused request takes no slot: once the queue has drained, requests are answered again.
        XCTAssertEqual(gate.admit(nowNs: now + 50 * 1_000_000), .after(ns: 1_000_000))
    }

    /// Over a long stretch at three times the cap, admitted answers never exceed the cap.
    func testAdmittedAnswersNeverExceedTheCap() throws {
        let gate = CapacityGate(try ServerCapacity(requestsPerSecond: 200, queueLimit: 1_000_000))
        var lastAnswerNs: UInt64 = 0
        for k in 0..<6000 {
            let now = UInt64(k) * second / 600
            guard case .after(let wait) = gate.admit(nowNs: now) else { continue }
            lastAnswerNs = now + wait
        }
        // 6000 answers at 200/s take 30 s less the 4-token burst.
        XCTAssertGreaterThanOrEqual(lastAnswerNs, 29 * second)
    }

    func testCapacityIsValidated() {
        XCTAssertThrowsError(try ServerCapacity(requestsPerSecond: 0)) { error in
            XCTAssertEqual("\(error)", "capacity 0 is out of range; allowed: 1...1000000 requests per second")
        }
        XCTAssertThrowsError(try ServerCapacity(requestsPerSecond: 2_000_000))
        XCTAssertThrowsError(try ServerCapacity(requestsPerSecond: 10, queueLimit: -1)) { error in
            XCTAssertEqual("\(error)", "capacity queue -1 is out of range; allowed: 0...10000000 waiting requests")
        }
        XCTAssertEqual(try ServerCapacity(requestsPerSecond: 10).queueLimit, 10, "one second's worth by default")
    }
}
