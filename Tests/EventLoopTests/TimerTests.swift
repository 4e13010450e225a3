import XCTest
@testable import EventLoop

/// Timer: one-shot and repeating fires, restart, unreferenced timers, ns to ms rounding.
final class TimerTests: XCTestCase {
    func testOneShotFiresOnceAfterItsTimeout() throws {
        // Before the loop exists: libuv counts from the loop's cached clock, set when it was made
        // (or last ran), so a start measured later — after a preemption on a busy machine — could
        // see the timer fire less than 15 ms after it.
        let startNs = MonotonicTime.nowNs()
        let test = try TestLoop()
        var firedNs: [UInt64] = []
        let timer = try EventLoop.Timer(loop: test.loop) { firedNs.append(MonotonicTime.nowNs()) }
        try timer.start(timeoutNs: 20_000_000)
        XCTAssertTrue(timer.isActive)
        test.run()  // returns once the one-shot timer is no longer active
        XCTAssertEqual(firedNs.count, 1)
        // The cached millisecond clock (coarse, truncated) may lag the start by a few ms.
        XCTAssertGreaterThanOrEqual((firedNs.first ?? 0) &- startNs, 15_000_000)
        XCTAssertFalse(timer.isActive)
        timer.close()
        timer.close()
        test.run()
        test.close()
    }

    /// A deadline on the `MonotonicTime` clock is not met early when the timer is started from a
    /// callback that ran long (here 60 ms): libuv counts timeouts from the loop's clock, cached when
    /// the iteration began, so a timeout measured from now would fire about 60 ms early on a loop
    /// that other events wake (here a 2 ms tick).
    func testNotBeforeADeadlineAfterALongCallback() throws {
        let test = try TestLoop()
        var deadlineNs: UInt64 = 0
        var firedNs: UInt64 = 0
        let timer = try EventLoop.Timer(loop: test.loop) { firedNs = MonotonicTime.nowNs() }
        let tick = try EventLoop.Timer(loop: test.loop) {}
        tick.keepsLoopAlive = false
        try tick.start(timeoutMs: 2, repeatMs: 2)
        let long = try EventLoop.Timer(loop: test.loop) {}
        long.handler = {
            usleep(60_000)  // the loop's cached clock is now at least 60 ms behind
            deadlineNs = MonotonicTime.nowNs() + 100_000_000
            expectNoError { try timer.start(notBeforeNs: deadlineNs) }
        }
        try long.start(timeoutMs: 0)
        test.run()
        XCTAssertNotEqual(firedNs, 0, "fired")
        XCTAssertGreaterThanOrEqual(firedNs, deadlineNs, "fired \(Int64(bitPattern: deadlineNs &- firedNs) / 1_000_000) ms early")
        timer.close()
        long.close()
        tick.close()
        test.run()
        test.close()
    }

    func testRepeatingTimerFiresUntilStopped() throws {
        let test = try TestLoop()
        var count = 0
        let timer = try EventLoop.Timer(loop: test.loop) {}
        timer.handler = { [unowned timer] in
            count += 1
            if count == 5 { timer.stop() }
        }
        try timer.start(timeoutMs: 1, repeatMs: 2)
        test.run()
        XCTAssertEqual(count, 5)
        XCTAssertFalse(timer.isActive)
        try timer.start(timeoutMs: 1)  // restartable after stop
        test.run()
        XCTAssertEqual(count, 6)
        timer.close()
        XCTAssertThrowsError(try timer.start(timeoutMs: 1)) { error in
            XCTAssertEqual((error as? UVError)?.operation, .timerStart)
        }
        test.run()
        test.close()
    }

    func testUnreferencedTimerDoesNotKeepTheLoopRunning() throws {
        let test = try TestLoop()
        var fired = false
        let timer = try EventLoop.Timer(loop: test.loop) { fired = true }
        try timer.start(timeoutMs: 60_000)
        timer.keepsLoopAlive = false
        XCTAssertFalse(timer.keepsLoopAlive)
        test.run()
        XCTAssertFalse(fired)
        XCTAssertFalse(test.watchdogFired)
        test.close()
    }

    func testNanosecondsRoundUpToMilliseconds() {
        XCTAssertEqual(EventLoop.Timer.milliseconds(roundingUp: 0), 0)
        XCTAssertEqual(EventLoop.Timer.milliseconds(roundingUp: 1), 1)
        XCTAssertEqual(EventLoop.Timer.milliseconds(roundingUp: 1_000_000), 1)
        XCTAssertEqual(EventLoop.Timer.milliseconds(roundingUp: 1_000_001), 2)
    }
}
