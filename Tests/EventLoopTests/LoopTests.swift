import Foundation
import XCTest
@testable import EventLoop

/// Loop life cycle: cross-thread stop, closing with open handles, nothing leaked.
final class LoopTests: XCTestCase {
    func testStopFromAnotherThreadEndsRun() throws {
        let test = try TestLoop()
        var ticks = 0
        let ticking = DispatchSemaphore(value: 0)
        let tick = try EventLoop.Timer(loop: test.loop) {
            ticks += 1
            if ticks == 1 { ticking.signal() }
        }
        try tick.start(timeoutMs: 1, repeatMs: 1)  // keeps run() busy until stopped
        let loop = test.loop
        let stopper = Thread {
            _ = ticking.wait(timeout: .now() + 60)  // stop a loop that is running (it has ticked)
            loop.stop()
        }
        stopper.start()

        let startNs = MonotonicTime.nowNs()
        let stoppedWithHandles = test.loop.run()
        XCTAssertTrue(stoppedWithHandles)
        XCTAssertFalse(test.watchdogFired)
        XCTAssertLessThan(MonotonicTime.nowNs() - startNs, 30_000_000_000)
        XCTAssertGreaterThan(ticks, 0)
        XCTAssertTrue(tick.isActive)
        test.close()
        XCTAssertTrue(tick.isClosing)
    }

    func testStopBeforeRunEndsTheNextRun() throws {
        let test = try TestLoop()
        let tick = try EventLoop.Timer(loop: test.loop) {}
        try tick.start(timeoutMs: 1, repeatMs: 1)
        test.loop.stop()
        test.run()
        XCTAssertFalse(test.watchdogFired)
        test.close()
    }

    func testRunReturnsWhenNothingIsActive() throws {
        let loop = try Loop()
        XCTAssertFalse(loop.run(), "only the unreferenced stop wakeup is open")
        XCTAssertFalse(loop.runNoWait())
        XCTAssertNoThrow(try loop.close())
    }

    func testStopAfterCloseIsHarmless() throws {
        let loop = try Loop()
        XCTAssertNoThrow(try loop.close())
        loop.stop()
        let stopped = DispatchSemaphore(value: 0)
        let other = Thread {
            loop.stop()
            stopped.signal()
        }
        other.start()
        XCTAssertEqual(stopped.wait(timeout: .now() + 60), .success)
    }

    func testNowNsIsMonotonicHRTime() throws {
        let loop = try Loop()
        let a = loop.nowNs
        let b = MonotonicTime.nowNs()
        XCTAssertLessThanOrEqual(a, b)
        XCTAssertGreaterThan(loop.iterationStartNs, 0)
        XCTAssertNoThrow(try loop.close())
    }

    /// `close()` with a listener, an established connection pair, a connection with a queued
    /// 8 MiB write, a connection still connecting, a running timer and a wakeup: every handle
    /// closes, delegates hear `closed` once and no error (cancelled requests are not errors),
    /// `uv_loop_close` returns 0, and every Swift object is released.
    func testCloseWithOpenHandlesClosesAndReleasesEverything() throws {
        let test = try TestLoop()
        weak var weakListener: TCPListener?
        weak var weakClient: TCPConnection?
        weak var weakServerSide: TCPConnection?
        weak var weakConnecting: TCPConnection?
        weak var weakTimer: EventLoop.Timer?
        weak var weakWakeup: Wakeup?
        let server = ListenerProbe()
        let clientProbe = ConnectionProbe()
        let serverSideProbe = ConnectionProbe()
        let connectingProbe = ConnectionProbe()
        var queuedWriteCount = 0

        do {
            server.onAccept = { connection in
                connection.delegate = serverSideProbe
                if clientProbe.count("connect") == 1 { test.loop.stop() }
            }
            clientProbe.onConnect = { [unowned server] _ in
                if server.accepted.count == 1 { test.loop.stop() }
            }
            let listener = try TCPListener(
                loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: server)
            let client = try TCPConnection(loop: test.loop)
            client.delegate = clientProbe
            try client.connect(to: listener.localAddress)
            test.run()
            XCTAssertEqual(client.state, .connected)
            XCTAssertEqual(server.accepted.count, 1)

            let outcome = client.write(Checksum.pattern(count: 8 * 1024 * 1024, seed: 1))
            guard case .queued = outcome else { return XCTFail("expected a queued write, got \(outcome)") }
            queuedWriteCount = client.queuedWriteCount

            let connecting = try TCPConnection(loop: test.loop)
            connecting.delegate = connectingProbe
            try connecting.connect(to: listener.localAddress, timeoutNs: 60_000_000_000)
            let timer = try EventLoop.Timer(loop: test.loop) {}
            try timer.start(timeoutMs: 10, repeatMs: 10)
            let wakeup = try Wakeup(loop: test.loop) {}

            weakListener = listener
            weakClient = client
            weakServerSide = server.accepted.first
            weakConnecting = connecting
            weakTimer = timer
            weakWakeup = wakeup
            server.accepted = []
        }

        XCTAssertEqual(queuedWriteCount, 1)
        test.close()
        XCTAssertEqual(server.closeCount, 1)
        XCTAssertEqual(server.errors, [])
        XCTAssertEqual(clientProbe.events, ["connect", "close"])
        XCTAssertEqual(serverSideProbe.errors, [])
        XCTAssertEqual(serverSideProbe.events.last, "close")
        XCTAssertEqual(serverSideProbe.count("close"), 1)
        XCTAssertEqual(connectingProbe.events, ["close"])
        XCTAssertNil(weakListener)
        XCTAssertNil(weakClient)
        XCTAssertNil(weakServerSide)
        XCTAssertNil(weakConnecting)
        XCTAssertNil(weakTimer)
        XCTAssertNil(weakWakeup)

        XCTAssertNoThrow(try test.loop.close(), "closing twice is harmless")
    }

    func testHandlesOutliveTheirLoopSafely() throws {
        var loop: Loop? = try Loop()
        let timer = try EventLoop.Timer(loop: loop!) {}
        let connection = try TCPConnection(loop: loop!)
        XCTAssertNoThrow(try loop?.close())
        loop = nil
        XCTAssertTrue(timer.isClosing)
        XCTAssertThrowsError(try timer.start(timeoutMs: 1))
        timer.stop()
        timer.close()
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(connection.write([1]), .closed)
        connection.close()
    }
}
