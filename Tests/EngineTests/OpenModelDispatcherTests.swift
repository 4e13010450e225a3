@testable import Engine
import Metrics
import Workload
import XCTest

/// Coordinated omission on a fake clock: the worker's real dispatch decisions (`OpenModelDispatcher`)
/// and the real recording (`WorkerMetrics`) driven by a script of arrivals and response times.
final class OpenModelDispatcherTests: XCTestCase {
    static let ms: UInt64 = 1_000_000

    /// Two devices, 100 arrivals/s (one every 10 ms), every response 15 ms: one device alone could not
    /// keep up, two can. Arrival 2's response stalls for 80 ms more (95 ms). Its device is gone from
    /// 20 to 115 ms; the other device takes arrival 3, then the queue builds (arrivals 4...17) and
    /// drains once the stalled device is back. Completions and arrivals at the same instant give the
    /// same times in either order (FIFO queue), so the expected values below are exact.
    func testAStalledResponseRaisesTheCorrectedLatencyOfTheRequestsQueuedBehindIt() {
        var run = ScriptedOpenRun(devices: 2, rate: 100, arrivals: 20) { $0 == 2 ? 95 * Self.ms : 15 * Self.ms }
        run.run()

        // Per arrival (ms): start lag behind the schedule, corrected (intended start → end), uncorrected.
        let expectedLagMs: [UInt64] = [0, 0, 0, 0, 5, 10, 15, 20, 25, 25, 20, 20, 15, 15, 10, 10, 5, 5, 0, 0]
        XCTAssertEqual(run.stamps.count, 20)
        for k in 0..<20 {
            let s = run.stamps[k]
            let ownMs: UInt64 = k == 2 ? 95 : 15
            XCTAssertEqual(s.scheduledNs, run.runStartNs + UInt64(k) * 10 * Self.ms, "arrival \(k) intended every 10 ms")
            XCTAssertEqual(s.startLagNs, expectedLagMs[k] * Self.ms, "arrival \(k): wait for a device")
            XCTAssertEqual(s.uncorrectedTotalNs, ownMs * Self.ms, "arrival \(k): uncorrected is its own response time only")
            XCTAssertEqual(s.correctedTotalNs, (ownMs + expectedLagMs[k]) * Self.ms, "arrival \(k): corrected includes the wait")
        }
        // The requests queued behind the stall are exactly arrivals 4...17.
        XCTAssertEqual((0..<20).filter { expectedLagMs[$0] > 0 }, Array(4...17))
        XCTAssertEqual(run.maxQueued, 3, "at most three arrivals waited at once (at 100 and 110 ms)")

        // The histograms: corrected values (ms) 15×5, 20×3, 25×3, 30×3, 35×3, 40×2, 95; uncorrected 15×19, 95.
        let op = run.metrics["simpleenroll"]!
        let corrected = op.histogram(.total), uncorrected = op.histogram(.total, corrected: false)
        XCTAssertEqual(corrected.totalCount, 20)
        XCTAssertEqual(uncorrected.totalCount, 20)
        XCTAssertEqual(corrected.valueAtPercentile(50), hdr(25_000), "10th of 20: corrected p50 is 10 ms above")
        XCTAssertEqual(uncorrected.valueAtPercentile(50), hdr(15_000))
        XCTAssertEqual(corrected.valueAtPercentile(90), hdr(40_000), "18th of 20: corrected p90 is 25 ms above")
        XCTAssertEqual(uncorrected.valueAtPercentile(90), hdr(15_000))
        XCTAssertEqual(corrected.valueAtPercentile(75), hdr(35_000), "15th of 20")
        XCTAssertEqual(uncorrected.valueAtPercentile(75), hdr(15_000))
        // The stalled response itself is the slowest either way: it waited for nothing.
        XCTAssertEqual(corrected.maxRecorded, 95_000)
        XCTAssertEqual(uncorrected.maxRecorded, 95_000)
        // The corrected sum exceeds the uncorrected by the total wait: 200 ms over 20 arrivals.
        XCTAssertEqual(run.stamps.map { $0.correctedTotalNs! }.reduce(0, +) - run.stamps.map { $0.uncorrectedTotalNs! }.reduce(0, +),
                       200 * Self.ms)
        XCTAssertEqual(op.startLag.maxRecorded, 25_000, "the longest wait: arrivals 8 and 9")
        XCTAssertEqual(op.outcomes.total, 20)
    }

    /// The same schedule without the stall: nothing ever waits, corrected and uncorrected are equal.
    func testWithoutAStallCorrectedEqualsUncorrected() {
        var run = ScriptedOpenRun(devices: 2, rate: 100, arrivals: 20) { _ in 15 * Self.ms }
        run.run()
        XCTAssertEqual(run.stamps.count, 20)
        for s in run.stamps {
            XCTAssertEqual(s.startLagNs, 0)
            XCTAssertEqual(s.correctedTotalNs, 15 * Self.ms)
            XCTAssertEqual(s.uncorrectedTotalNs, 15 * Self.ms)
        }
        XCTAssertEqual(run.maxQueued, 0)
        let op = run.metrics["simpleenroll"]!
        let corrected = op.histogram(.total), uncorrected = op.histogram(.total, corrected: false)
        for p in [50.0, 90.0, 99.0, 100.0] {
            XCTAssertEqual(corrected.valueAtPercentile(p), uncorrected.valueAtPercentile(p), "p\(p)")
        }
        XCTAssertEqual(corrected.maxRecorded, 15_000)
        XCTAssertEqual(uncorrected.maxRecorded, 15_000)
    }

    /// A burst larger than the devices: the first go to idle devices (longest idle first), the rest
    /// queue and are handed out oldest first as devices finish; then the schedule is exhausted.
    func testBurstQueuesBeyondTheIdleDevicesInOrder() {
        let arrivals = ArrivalSchedule(.burst(devices: 5)).split(workers: 1)[0]
        var d = OpenModelDispatcher(arrivals: arrivals, runStartNs: 1_000, devices: ["a", "b"])
        XCTAssertEqual(d.nextDueNs(), 1_000)
        XCTAssertNil(d.takeDue(nowNs: 999), "not due before its time")
        var started: [String] = []
        var queued = 0
        while let dispatch = d.takeDue(nowNs: 1_000) {
            switch dispatch {
            case .start(let device, let scheduledNs):
                XCTAssertEqual(scheduledNs, 1_000)
                started.append(device)
            case .queued: queued += 1
            case .dropped: XCTFail("an unbounded queue drops nothing")
            }
        }
        XCTAssertEqual(started, ["a", "b"])
        XCTAssertEqual(queued, 3)
        XCTAssertEqual(d.queuedCount, 3)
        XCTAssertNil(d.nextDueNs())
        XCTAssertTrue(d.arrivalsExhausted)
        XCTAssertEqual(d.deviceIdle("b"), 1_000, "a finished device takes the oldest queued arrival")
        XCTAssertEqual(d.deviceIdle("a"), 1_000)
        XCTAssertEqual(d.deviceIdle("b"), 1_000)
        XCTAssertFalse(d.allIdle)
        XCTAssertNil(d.deviceIdle("a"), "nothing queued: parked")
        XCTAssertNil(d.deviceIdle("b"))
        XCTAssertTrue(d.allIdle)
    }

    /// The value HDR reports for a recorded `us` (the top of its bucket in the shared layout).
    func hdr(_ us: UInt64) -> UInt64 { LatencyScale.makeHistogram().highestEquivalentForValue(us) }
}

/// A scripted open-model run on a fake clock: devices are numbers, each arrival's response takes
/// `responseNs(arrival)`. Events in time order; at one instant completions go before arrivals.
struct ScriptedOpenRun {
    let runStartNs: UInt64 = 1_000_000_000_000
    let arrivals: Int
    let intervalNs: UInt64
    let responseNs: (Int) -> UInt64
    var dispatcher: OpenModelDispatcher<Int>
    var metrics: WorkerMetrics
    let id: OperationID
    /// The passes running: device, arrival, stamps (complete is known at start on a fake clock).
    private var running: [(device: Int, arrival: Int, stamps: OperationPhaseStamps)] = []
    /// Finished operations' stamps by arrival index.
    private(set) var stamps: [OperationPhaseStamps] = []
    private(set) var maxQueued = 0

    init(devices: Int, rate: Double, arrivals: Int, responseNs: @escaping (Int) -> UInt64) {
        self.arrivals = arrivals
        intervalNs = UInt64(1e9 / rate)
        self.responseNs = responseNs
        dispatcher = OpenModelDispatcher(arrivals: ArrivalSchedule(constantRate: rate).split(workers: 1)[0],
                                         runStartNs: runStartNs, devices: Array(0..<devices))
        metrics = WorkerMetrics(runStartNs: runStartNs)
        id = metrics.register("simpleenroll")
        stamps = Array(repeating: OperationPhaseStamps(), count: arrivals)
    }

    mutating func run() {
        while true {
            let nextCompletion = running.map(\.stamps.completeNs).min()
            let nextArrival = dispatcher.nextArrival < arrivals ? dispatcher.nextDueNs() : nil
            guard let now = [nextCompletion, nextArrival].compactMap({ $0 }).min() else { break }
            while let i = running.firstIndex(where: { $0.stamps.completeNs == now }) {
                let done = running.remove(at: i)
                metrics.record(id, stamps: done.stamps, outcome: .success2xx)
                stamps[done.arrival] = done.stamps
                if let scheduledNs = dispatcher.deviceIdle(done.device) { start(done.device, scheduledNs: scheduledNs, nowNs: now) }
            }
            while dispatcher.nextArrival < arrivals, let dispatch = dispatcher.takeDue(nowNs: now) {
                if case .start(let device, let scheduledNs) = dispatch { start(device, scheduledNs: scheduledNs, nowNs: now) }
            }
            maxQueued = max(maxQueued, dispatcher.queuedCount)
        }
        metrics.close()
    }

    /// As `EngineDevice.startPass` stamps it: intended start from the dispatcher, actual start now.
    private mutating func start(_ device: Int, scheduledNs: UInt64, nowNs: UInt64) {
        let arrival = Int((scheduledNs - runStartNs) / intervalNs)
        let end = nowNs + responseNs(arrival)
        running.append((device, arrival, OperationPhaseStamps(scheduledNs: scheduledNs, startNs: nowNs, writtenNs: nowNs,
                                                              firstByteNs: end, completeNs: end)))
    }
}
