import Foundation
import Metrics
import Report
import Workload
import XCTest

/// The exit status of a run, decided from what it found; and the verdict result.json records.
final class RunExitTests: XCTestCase {
    let some = RunExit.Counts(operations: 100, succeeded: 90, unreachable: 4)
    let refused = RunExit.Counts(operations: 640, succeeded: 0, unreachable: 640)
    let served503 = RunExit.Counts(operations: 50, succeeded: 0, unreachable: 0)

    /// A verdict whose thresholds hold or fail as `passes` says (minRate ≥ 0 holds, ≥ 1e9 does not).
    func verdict(_ passes: [Bool]) -> ThresholdVerdict {
        ThresholdVerdict.evaluate(passes.map { Threshold(operation: "all", metric: .minRate, limit: $0 ? 0 : 1e9) },
                                  operations: ReportFixture.metrics().operations, durationNs: ReportFixture.durationNs)
    }

    func code(_ verdict: ThresholdVerdict? = nil, _ counts: RunExit.Counts, abort: AbortPolicy.Rule? = nil,
              interrupted: Bool = false, written: Bool = true) -> Int32 {
        RunExit.code(verdict: verdict, counts: counts, abort: abort, interrupted: interrupted, resultsWritten: written)
    }

    func testEachExitStatus() {
        XCTAssertEqual(code(nil, some), 0, "no thresholds: something succeeded")
        XCTAssertEqual(code(verdict([]), some), 0)
        XCTAssertEqual(code(verdict([true, true]), some), 0)
        XCTAssertEqual(code(verdict([true, false]), some), 1, "a threshold failed")
        XCTAssertEqual(code(nil, served503), 1, "answered, but nothing succeeded")
        XCTAssertEqual(code(verdict([true]), served503), 1, "a threshold that held does not make up for no success")
        XCTAssertEqual(code(nil, RunExit.Counts(operations: 0, succeeded: 0, unreachable: 0)), 1, "nothing ran to the end")
        XCTAssertEqual(code(nil, some, abort: .errorRate), 1)
        XCTAssertEqual(code(nil, refused, abort: .targetUnusable), 3)
        XCTAssertEqual(code(nil, refused), 3, "only connect/TLS failures, even without the abort rule (abort: off)")
        XCTAssertEqual(code(verdict([true]), some, written: false), 3, "results could not be written")
        XCTAssertEqual(code(verdict([false]), refused, abort: .targetUnusable, interrupted: true), 130)
    }

    func testCountsByClass() {
        var metrics = WorkerMetrics(runStartNs: 1, operations: ["cacerts", "simpleenroll"])
        let stamps = OperationPhaseStamps(startNs: 10, connectStartNs: 10, completeNs: 20)
        metrics.record(OperationID(index: 0), stamps: stamps, outcome: .success2xx)
        metrics.record(OperationID(index: 0), stamps: stamps, outcome: .accepted202)
        metrics.record(OperationID(index: 1), stamps: stamps, outcome: .connectError)
        metrics.record(OperationID(index: 1), stamps: stamps, outcome: .tlsError(alert: "verify"))
        metrics.record(OperationID(index: 1), stamps: stamps, outcome: .serverError5xx)
        XCTAssertEqual(RunExit.Counts(metrics.operations), RunExit.Counts(operations: 5, succeeded: 2, unreachable: 2))
    }

    /// result.json's verdict: passed, why, and each threshold with its measured value; read back equal.
    func testVerdictInResultJSON() throws {
        var result = try ReportFixture.result()
        let metrics = ReportFixture.metrics()
        let thresholds = ThresholdVerdict.evaluate([Threshold(operation: "simpleenroll", metric: .p99Ms, limit: 500)],
                                                   operations: metrics.operations, durationNs: ReportFixture.durationNs)
        result.verdict = RunVerdict(thresholds: thresholds, counts: RunExit.Counts(metrics.operations), abort: nil, interrupted: false)
        result.abortRule = .errorRate
        result.abortReason = "error rate 95%"
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.jsonData()) as? [String: Any])
        let verdict = try XCTUnwrap(json["verdict"] as? [String: Any])
        XCTAssertEqual(verdict["passed"] as? Bool, true)
        let first = try XCTUnwrap((verdict["thresholds"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["operation"] as? String, "simpleenroll")
        XCTAssertEqual(first["metric"] as? String, "p99Ms")
        XCTAssertEqual(first["limit"] as? Double, 500)
        XCTAssertEqual(first["measured"] as? Double, 1.85)
        XCTAssertEqual(first["passed"] as? Bool, true)
        XCTAssertEqual(json["abortReason"] as? String, "error rate 95%")
        XCTAssertEqual(json["abortRule"] as? String, "errorRate")
        XCTAssertEqual(try RunResult.decode(from: result.jsonData()), result)
        // --json: the verdict, the per-operation summary and the folder.
        let digest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(RunDigest(result, results: "/r/x", exitCode: 0).jsonText().utf8))
            as? [String: Any])
        XCTAssertEqual(digest["results"] as? String, "/r/x")
        XCTAssertEqual((digest["verdict"] as? [String: Any])?["passed"] as? Bool, true)
        let enroll = try XCTUnwrap((digest["operations"] as? [[String: Any]])?.first)
        XCTAssertEqual(enroll["succeeded"] as? Int, 29)
        XCTAssertEqual(enroll["slowestPercentIn"] as? String, "tls")
    }

    /// An unwritable parent is found before the run.
    func testUnwritableResultsParentIsFoundBeforeTheRun() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        XCTAssertNoThrow(try ResultsFolder.checkWritable(base: base.appendingPathComponent("a/b")))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("a/b").path), [], "the probe is removed")
        let file = base.appendingPathComponent("file")
        try Data().write(to: file)
        XCTAssertThrowsError(try ResultsFolder.checkWritable(base: file.appendingPathComponent("sub")))
        XCTAssertThrowsError(try ResultsFolder.checkWritable(base: file))
    }
}
