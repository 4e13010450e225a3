import XCTest
@testable import EventLoop

/// A loop for one test, bounded by an unreferenced watchdog timer: if the test's traffic has not
/// finished after `timeoutMs`, the watchdog fails the test and stops the loop. Generous by default:
/// it bounds a hung test, not a slow machine (unreferenced, it never delays a passing one).
final class TestLoop {
    let loop: Loop
    private let watchdog: EventLoop.Timer
    private(set) var watchdogFired = false

    init(timeoutMs: UInt64 = 60_000, file: StaticString = #filePath, line: UInt = #line) throws {
        loop = try Loop()
        watchdog = try EventLoop.Timer(loop: loop) {}
        watchdog.handler = { [unowned self] in
            watchdogFired = true
            XCTFail("watchdog: loop still busy after \(timeoutMs) ms", file: file, line: line)
            loop.stop()
        }
        watchdog.keepsLoopAlive = false
        try watchdog.start(timeoutMs: timeoutMs)
    }

    /// Runs until the test's handles are all closed (or something calls `stop()`).
    func run() {
        loop.run()
    }

    /// Closes the loop; `uv_loop_close` must return 0 (nothing leaked, nothing pending).
    func close(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try loop.close(), file: file, line: line)
        XCTAssertTrue(loop.isClosed, file: file, line: line)
    }
}

/// `XCTAssertNoThrow` for the typed-throwing calls inside delegate closures.
func expectNoError(
    file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) {
    do {
        try body()
    } catch {
        XCTFail("unexpected \(error)", file: file, line: line)
    }
}
