import Engine
import Foundation
import Metrics
import Server
import Workload
import XCTest

/// A capacity search against the in-process server with a known capacity (`ServerCapacity`): it must
/// find it within ±15%. Small steps (3 s, 1 s warm-up) and a 10% resolution keep it to a handful of
/// steps; the bounds hold on a loaded 2-core debug build (a queue above capacity grows ~50 ms a
/// second at 5% over, far beyond the noise).
final class CapacitySearchRunTests: XCTestCase {
    func search(_ server: EngineFixture, _ yaml: String, threads: Int = 1) throws -> CapacitySearchRun.Outcome {
        let plan = try RunPlan.load(yaml: server.target + "\n" + yaml, name: "search-test")
        let run = try CapacitySearchRun(plan: plan, target: try RunTarget.resolving(plan.profile), threads: threads, say: { _ in })
        return try run.run()
    }

    func testASearchFindsTheServersCapacity() throws {
        let server = try EngineFixture(capacity: try ServerCapacity(requestsPerSecond: 200))
        let outcome = try search(server, """
        devices: {count: 50}
        lifecycle: [{op: cacerts}]
        connection: {keepAlive: true}
        load: {search: {from: 150, to: 2000, stepSeconds: 3, warmupSeconds: 1, resolution: 0.1}}
        thresholds: {all: {p99Ms: 500, errorRate: 0.01}}
        stop: {durationSeconds: 120, drainSeconds: 3}
        """)
        let table = outcome.steps.map { "\($0.rate)/s \($0.result) \($0.judgement.broke)" }.joined(separator: "; ")
        guard case .found(let held, _) = outcome.conclusion else { return XCTFail("\(outcome.conclusion): \(table)") }
        XCTAssertEqual(held, 200, accuracy: 30, table)
        XCTAssertEqual(outcome.steps.first?.rate, 150)
        XCTAssertEqual(outcome.steps.first?.result, .held, table)
        XCTAssertTrue(outcome.steps.contains { $0.result == .broke }, table)
        XCTAssertEqual(outcome.answerStep?.rate, held)
        XCTAssertGreaterThan(outcome.answerStep?.outcome.metrics["cacerts"]?.count ?? 0, 200, "the answer step's own figures")
    }

    func testASearchReachingToSaysSo() throws {
        let server = try EngineFixture()
        let outcome = try search(server, """
        devices: {count: 10}
        lifecycle: [{op: cacerts}]
        load: {search: {from: 10, to: 20, stepSeconds: 1.5, warmupSeconds: 0.5}}
        thresholds: {all: {errorRate: 0.5}}
        stop: {durationSeconds: 30}
        """)
        XCTAssertEqual(outcome.steps.map(\.rate), [10, 20])
        XCTAssertEqual(outcome.conclusion, .reachedTo(held: 20), outcome.steps.map { "\($0.judgement.broke)" }.joined())
        XCTAssertEqual(outcome.steps[1].judgement.arrivals, 20, accuracy: 2)
    }
}
