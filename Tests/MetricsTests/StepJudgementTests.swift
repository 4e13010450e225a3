import Metrics
import XCTest

/// One capacity-search step judged without a server: each condition that can break it — thresholds,
/// the achieved rate, steadiness, the client's saturation — and the steadiness slack.
final class StepJudgementTests: XCTestCase {
    let start = StampsFixture.runStartNs
    let thresholds = [Threshold(operation: "all", metric: .p99Ms, limit: 100), Threshold(operation: "all", metric: .errorRate, limit: 0.01)]

    /// A 6 s step (1 s warm-up) at 100/s: 100 answers in each of seconds 1–5, the latency of
    /// second s given by `latencyMs(s)`; `errors` of them failed.
    func step(rate: Double = 100, arrivals: UInt64 = 500, latencyMs: (Int) -> UInt64 = { _ in 10 }, errors: Int = 0,
              cpuNs: [UInt64] = [1_000_000_000]) -> StepJudgement.Step {
        var metrics = WorkerMetrics(runStartNs: start, operations: ["cacerts"])
        let id = metrics.id(of: "cacerts")!
        var failed = 0
        for second in 1...5 {
            for k in 0..<100 {
                let latencyNs = latencyMs(second) * 1_000_000
                let endNs = start + UInt64(second) * 1_000_000_000 + UInt64(k) * 9_000_000 + 1_000_000
                let stamps = OperationPhaseStamps(scheduledNs: endNs - latencyNs, startNs: endNs - latencyNs, completeNs: endNs)
                let outcome: Outcome = failed < errors ? .serverError5xx : .success2xx
                if outcome != .success2xx { failed += 1 }
                metrics.record(id, stamps: stamps, outcome: outcome)
            }
        }
        metrics.close()
        return StepJudgement.Step(offeredRate: rate, stepSeconds: 6, warmupSeconds: 1, measuredNs: 5_000_000_000, arrivals: arrivals,
                                  operations: metrics.operations, timeline: metrics.timeline, loadThreadCPUNs: cpuNs, wallNs: 6_000_000_000)
    }

    func testASteadyStepWithinEveryLimitHolds() {
        let judgement = StepJudgement(step(), thresholds: thresholds)
        XCTAssertEqual(judgement.broke, [])
        XCTAssertTrue(judgement.held)
        XCTAssertEqual(judgement.achievedRate, 100)
        XCTAssertEqual(judgement.steadiness?.seconds, 5)
        XCTAssertEqual(judgement.errorRate, 0)
        XCTAssertEqual(judgement.busiestLoadThread, 1.0 / 6, accuracy: 1e-9)
    }

    func testAFailedThresholdBreaksIt() {
        let judgement = StepJudgement(step(errors: 10), thresholds: thresholds)
        XCTAssertEqual(judgement.broke, [.thresholds])
        XCTAssertEqual(judgement.verdict.thresholds.map(\.passed), [true, false])
        XCTAssertEqual(judgement.errorRate ?? 0, 0.02, accuracy: 1e-9)
    }

    func testAnAchievedRateMoreThanOnePercentOffBreaksIt() {
        // 500 planned over the 5 s window; one load thread: 1% + 1 arrival of slack either way.
        XCTAssertEqual(StepJudgement(step(arrivals: 494), thresholds: thresholds).broke, [])
        XCTAssertEqual(StepJudgement(step(arrivals: 493), thresholds: thresholds).broke, [.achievedRate])
        XCTAssertEqual(StepJudgement(step(arrivals: 510), thresholds: thresholds).broke, [.achievedRate], "a backlog catching up is off the schedule too")
        XCTAssertEqual(StepJudgement(step(arrivals: 493), thresholds: thresholds).achievedRate, 98.6, accuracy: 1e-9)
    }

    func testLatencyRisingAcrossTheWindowBreaksIt() throws {
        // 20 ms in the first third, 40 ms in the last: under the 100 ms limit, but a queue is building.
        let rising = StepJudgement(step(latencyMs: { 10 + UInt64($0 - 1) * 7 }), thresholds: thresholds)
        XCTAssertEqual(rising.broke, [.unsteady])
        let steadiness = try XCTUnwrap(rising.steadiness)
        XCTAssertEqual(steadiness.firstThirdP99Ms, 10, accuracy: 0.1)
        XCTAssertEqual(steadiness.lastThirdP99Ms, 38, accuracy: 0.1)
        XCTAssertEqual(steadiness.allowedRiseMs, 10, "a tenth of the 100 ms threshold beats 20% of 10 ms and the 5 ms floor")
        // A rise within the slack holds.
        XCTAssertEqual(StepJudgement(step(latencyMs: { 10 + UInt64($0 - 1) * 2 }), thresholds: thresholds).broke, [])
    }

    func testAStallInTheLastThirdIsNotAQueue() throws {
        // Second 5: 90 answers in 10 ms, 10 held up 200 ms by a stall — the p99 rises, the median does not.
        var stalled = step()
        var metrics = WorkerMetrics(runStartNs: start, operations: ["cacerts"])
        for second in 1...5 {
            for k in 0..<100 {
                let latencyNs: UInt64 = second == 5 && k < 10 ? 200_000_000 : 10_000_000
                let endNs = start + UInt64(second) * 1_000_000_000 + UInt64(k) * 9_000_000 + 1_000_000
                metrics.record(OperationID(index: 0), stamps: OperationPhaseStamps(scheduledNs: endNs - latencyNs, startNs: endNs - latencyNs, completeNs: endNs),
                               outcome: .success2xx)
            }
        }
        metrics.close()
        stalled.timeline = metrics.timeline
        let judgement = StepJudgement(stalled, thresholds: [])
        let steadiness = try XCTUnwrap(judgement.steadiness)
        XCTAssertEqual(steadiness.lastThirdP99Ms, 200, accuracy: 1)
        XCTAssertEqual(steadiness.lastThirdP50Ms, 10, accuracy: 0.1)
        XCTAssertTrue(steadiness.steady)
        XCTAssertEqual(judgement.broke, [])
    }

    func testTheSlackIsTheLargestOfItsThreeTerms() {
        XCTAssertEqual(StepJudgement.allowedRiseMs(firstThirdP99Ms: 200, thresholds: thresholds), 40, "20% of the first third")
        XCTAssertEqual(StepJudgement.allowedRiseMs(firstThirdP99Ms: 10, thresholds: thresholds), 10, "a tenth of the tightest latency limit")
        XCTAssertEqual(StepJudgement.allowedRiseMs(firstThirdP99Ms: 1, thresholds: [Threshold(operation: "all", metric: .errorRate, limit: 0.01)]), 5,
                       "the floor; error-rate limits are not latencies")
    }

    func testASaturatedLoadThreadIsTheClientsLimit() {
        let judgement = StepJudgement(step(cpuNs: [2_000_000_000, 5_500_000_000]), thresholds: thresholds)
        XCTAssertEqual(judgement.broke, [.clientLimit])
        XCTAssertEqual(judgement.busiestLoadThread, 5.5 / 6, accuracy: 1e-9)
    }

    func testAWindowTooShortForThirdsLeavesSteadinessUnjudged() {
        var short = step(latencyMs: { UInt64($0) * 30 })
        short.stepSeconds = 2.5
        XCTAssertNil(StepJudgement(short, thresholds: []).steadiness, "one whole second (1–2) in the window: nothing to compare")
    }
}
