import Engine
import Foundation
import Metrics
import PKI
import Workload
import XCTest

/// `target.urls`: devices spread round-robin over two in-process servers (two CAs, one bundle);
/// the outcome counts the measured operations per target beside the totals.
final class ManyTargetsTests: XCTestCase {
    func testDevicesSpreadRoundRobinWithAPerTargetBreakdown() throws {
        let a = try EngineFixture()
        let b = try EngineFixture()
        defer {
            a.stop()
            b.stop()
        }
        let bundle = try a.file("both.pem", PEM.encode(a.authority.root, label: "CERTIFICATE") + PEM.encode(b.authority.root, label: "CERTIFICATE"))
        let plan = try Workload.RunPlan.load(yaml: """
        target:
          urls: [https://127.0.0.1:\(a.server.port), https://127.0.0.1:\(b.server.port)]
          caBundle: \(bundle)
        devices:
          count: 4
        lifecycle:
          - op: simpleenroll
        load:
          closed:
            devices: 4
        stop:
          operations: 20
          durationSeconds: 60
        abort: off
        """, name: "two-targets")
        let outcome = try RunCoordinator(plan: plan, target: try RunTarget.resolving(plan.profile), threads: 2) { _ in }.run()
        XCTAssertEqual(outcome.perTarget.map(\.target), ["https://127.0.0.1:\(a.server.port)", "https://127.0.0.1:\(b.server.port)"])
        for tally in outcome.perTarget {
            XCTAssertGreaterThan(tally.operations, 0, "\(outcome.perTarget)")
            XCTAssertEqual(tally.succeeded, tally.operations, "\(outcome.perTarget)")
        }
        XCTAssertEqual(UInt64(outcome.perTarget.reduce(0) { $0 + $1.operations }), outcome.metrics["simpleenroll"]?.count)
        XCTAssertEqual(outcome.perTarget.map(\.address), ["127.0.0.1:\(a.server.port)", "127.0.0.1:\(b.server.port)"])
        // Each target's own metrics: counts add up to the total, each histogram holds its target's answered operations.
        let perTargetCounts = outcome.perTarget.map { $0.metrics["simpleenroll"]?.count ?? 0 }
        XCTAssertEqual(perTargetCounts.reduce(0, +), outcome.metrics["simpleenroll"]?.count)
        for tally in outcome.perTarget {
            let enroll = try XCTUnwrap(tally.metrics["simpleenroll"])
            XCTAssertEqual(enroll.count, UInt64(tally.operations))
            XCTAssertEqual(enroll.histogram(.total).totalCount, UInt64(tally.succeeded), "every answer is in the target's histogram")
        }
        XCTAssertTrue(plan.redactedJSON().contains("\"urls\""), "the plan lists every target")

        XCTAssertThrowsError(try Workload.RunPlan.load(yaml: "target: {url: https://a, urls: [https://b]}\ndevices: {count: 1}\nlifecycle: [{op: cacerts}]\nload: {closed: {devices: 1}}\nstop: {operations: 1}", name: "p")) { error in
            XCTAssertTrue("\(error)".contains("url and urls are mutually exclusive"), "\(error)")
        }
    }
}
