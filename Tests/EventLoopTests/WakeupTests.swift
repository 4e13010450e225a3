import Foundation
import XCTest
@testable import EventLoop

/// Wakeup: signals from another thread run the handler on the loop thread; closed wakeups ignore signals.
final class WakeupTests: XCTestCase {
    func testSignalsFromAnotherThreadRunTheHandlerOnTheLoopThread() throws {
        let test = try TestLoop()
        let loopThread = pthread_self()
        var calls = 0
        var onLoopThread = true
        let wakeup = try Wakeup(loop: test.loop) {
            calls += 1
            onLoopThread = onLoopThread && pthread_equal(pthread_self(), loopThread) != 0
        }
        let loop = test.loop
        let signaller = Thread {
            for _ in 0..<1_000 { wakeup.signal() }
            loop.stop()
        }
        signaller.start()
        test.run()
        XCTAssertFalse(test.watchdogFired)
        XCTAssertGreaterThanOrEqual(calls, 1)
        XCTAssertLessThanOrEqual(calls, 1_000, "signals coalesce")
        XCTAssertTrue(onLoopThread)
        test.close()
        XCTAssertFalse(wakeup.signal(), "a closed wakeup ignores signals")
    }

    func testSignalFromTheLoopThreadAndClose() throws {
        let test = try TestLoop()
        var calls = 0
        let wakeup = try Wakeup(loop: test.loop) {}
        wakeup.handler = { [unowned wakeup] in
            calls += 1
            wakeup.close()
        }
        XCTAssertTrue(wakeup.signal())
        XCTAssertTrue(wakeup.keepsLoopAlive)
        test.run()  // returns once the wakeup closed itself
        XCTAssertEqual(calls, 1)
        XCTAssertFalse(wakeup.signal())
        wakeup.close()
        test.close()
    }
}
