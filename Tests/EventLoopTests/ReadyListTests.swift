import XCTest
@testable import EventLoop

/// ReadyList: what a turn appends runs on the next turn, so 100,000 re-appends never grow the
/// stack and the loop keeps serving timers between turns; `drained` follows an emptying turn.
final class ReadyListTests: XCTestCase {
    final class Counter { var turns = 0 }

    func testReappendsRunOnLaterTurnsBetweenOtherEvents() throws {
        let test = try TestLoop()
        let counter = Counter()
        var timerFiredAtTurn: Int?
        let timer = try EventLoop.Timer(loop: test.loop) { timerFiredAtTurn = counter.turns }
        let list = try ReadyList<Counter>(loop: test.loop) { _ in }
        var drained = 0
        list.handler = { c in
            c.turns += 1
            // Synchronously "failing" work that queues the next unit each time.
            if c.turns < 100_000 { list.append(c) }
        }
        list.drained = {
            drained += 1
            list.close()
        }
        try timer.start(timeoutNs: 1_000_000)
        XCTAssertTrue(list.append(counter))
        test.run()
        XCTAssertEqual(counter.turns, 100_000)
        XCTAssertEqual(drained, 1)
        let firedAt = try XCTUnwrap(timerFiredAtTurn, "the timer fired while the list kept re-appending")
        XCTAssertLessThan(firedAt, 100_000)
        XCTAssertFalse(list.append(counter), "a closed list takes nothing")
        timer.close()
        test.run()
        test.close()
    }
}
