import Engine
import Foundation
import Metrics
import Server
import XCTest

/// The built-in server with `capacity` (a server of known capacity), loaded in-process: below the
/// cap nothing is refused and little is queued; above it the queue grows, and the server answers at most the cap.
/// Bounds are generous (a loaded 2-core debug build).
final class ServerCapacityTests: XCTestCase {
    func profile(rate: Int, seconds: Int) -> String {
        """
        devices: {count: 400}
        lifecycle: [{op: cacerts}]
        connection: {keepAlive: true}
        load: {open: {rate: \(rate)}}
        warmupSeconds: 0.5
        stop: {durationSeconds: \(seconds), drainSeconds: 10}
        """
    }

    func testAtHalfCapacityLatencyStaysLow() throws {
        let server = try EngineFixture(capacity: try ServerCapacity(requestsPerSecond: 200))
        let run = try server.run(profile(rate: 100, seconds: 3))
        let cacerts = try XCTUnwrap(run.outcome.metrics["cacerts"])
        XCTAssertEqual(cacerts.outcomes[.success2xx], cacerts.count)
        // Behaviour, not latency (a starved load thread sends its arrivals in bursts, which may queue a
        // few): the server refused none and paced at most half of them.
        XCTAssertEqual(server.stopCounts()[.overCapacity] ?? 0, 0)
        XCTAssertLessThan(server.stopCounts()[.queued] ?? 0, Int(cacerts.count / 2), "below capacity most requests are answered at once")
    }

    func testAtTwiceCapacityTheQueueGrows() throws {
        let server = try EngineFixture(capacity: try ServerCapacity(requestsPerSecond: 100, queueLimit: 10_000))
        let run = try server.run(profile(rate: 200, seconds: 3))
        let cacerts = try XCTUnwrap(run.outcome.metrics["cacerts"])
        XCTAssertEqual(cacerts.outcomes[.success2xx], cacerts.count, "the queue is long enough: nothing refused")
        // Measured from 0.5 s to 3 s at twice the cap: the queue grows by 100 requests (1 s) each second.
        let p99 = cacerts.histogram(.total).valueAtPercentile(99)
        XCTAssertGreaterThan(p99, 1_000_000, "p99 over a second: requests waited in the queue")
        var first: UInt64 = 0, last: UInt64 = 0
        for second in run.outcome.metrics.timeline.seconds[0] {
            let h = try second.latency.histogram()
            if second.second == 1 { first = h.valueAtPercentile(50) }
            if second.second == 2 { last = h.valueAtPercentile(50) }
        }
        XCTAssertGreaterThan(last, first + 300_000, "latency grows second by second (\(first) us, then \(last) us)")
        XCTAssertGreaterThan(server.stopCounts()[.queued] ?? 0, 100)
    }

    func testAFullQueueIsRefusedWith503() throws {
        let server = try EngineFixture(capacity: try ServerCapacity(requestsPerSecond: 50, queueLimit: 5))
        let run = try server.run(profile(rate: 200, seconds: 2))
        let refused = run.counters("cacerts")["5xx"] ?? 0
        XCTAssertGreaterThan(refused, 100, "\(run.counters("cacerts"))")
        XCTAssertGreaterThanOrEqual(server.stopCounts()[.overCapacity] ?? 0, Int(refused), "the server counts the warm-up's too")
    }
}
