import XCTest
@testable import EventLoop

/// Connection life cycle on 127.0.0.1: refused, connect timeout, peer close (EOF), half-close.
final class TCPConnectionTests: XCTestCase {
    func testConnectToClosedPortIsRefused() throws {
        let test = try TestLoop()
        let port = BoundPort()  // bound, never listening: the kernel answers RST
        let probe = ConnectionProbe()
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = probe
        try connection.connect(to: SocketAddress(ip: "127.0.0.1", port: port.port))
        XCTAssertEqual(probe.events, [], "no outcome from inside connect()")

        test.run()
        test.close()
        XCTAssertEqual(probe.errors, [.refused(.connect)])
        XCTAssertEqual(probe.events, ["fail", "close"])
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(connection.connectedNs, 0)
        if let error = probe.errors.first {
            XCTAssertEqual(error.name, "ECONNREFUSED")
            XCTAssertEqual(error.description, "connect: connection refused (ECONNREFUSED)")
        }
    }

    /// Bytes written before the handshake completes are queued and go out once connected.
    func testWritesWhileConnectingAreSentOnceConnected() throws {
        let test = try TestLoop()
        let server = ListenerProbe()
        let serverSide = ConnectionProbe()
        serverSide.onEOF = { $0.close() }
        server.onAccept = { $0.delegate = serverSide }
        let listener = try TCPListener(
            loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: server)
        let client = ConnectionProbe()
        client.onFlush = { connection in expectNoError { try connection.shutdown() } }
        client.onShutdown = { $0.close() }
        client.onClose = { _ in listener.close() }
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = client
        try connection.connect(to: listener.localAddress)
        XCTAssertEqual(connection.write(Array("early".utf8)), .queued(bytes: 5))
        XCTAssertEqual(connection.write(Array(" bird".utf8)), .queued(bytes: 5))
        XCTAssertEqual(connection.queuedWriteCount, 2)
        XCTAssertEqual(connection.queuedWriteBytes, 10)

        test.run()
        test.close()
        XCTAssertEqual(String(decoding: serverSide.received, as: UTF8.self), "early bird")
        XCTAssertEqual(client.events, ["connect", "flush", "shutdown", "close"])
        XCTAssertEqual(serverSide.events.last, "close")
    }

    /// A 0 ms timeout is deterministic: libuv runs due timers at the start of every loop
    /// iteration, before pending callbacks and before polling for I/O, and a connect's outcome
    /// only ever arrives through those later phases. So the timer always wins, whatever the
    /// peer would answer (here it would refuse: the timeout must win over that too).
    /// Waiting on an unroutable address or a full accept backlog would depend on the network.
    func testConnectTimeoutReportsTimedOutOnceAndCloses() throws {
        let test = try TestLoop()
        let port = BoundPort()
        let probe = ConnectionProbe()
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = probe
        try connection.connect(to: SocketAddress(ip: "127.0.0.1", port: port.port), timeoutNs: 0)

        test.run()
        test.close()
        XCTAssertEqual(probe.errors, [.timedOut(.connect)])
        XCTAssertEqual(probe.events, ["fail", "close"])
        XCTAssertEqual(connection.state, .closed)
    }

    /// The same against a listener that would accept: the timeout still wins, the server side
    /// sees at most an accepted connection that ends at once.
    func testConnectTimeoutWinsAgainstAListeningPeer() throws {
        let test = try TestLoop()
        let server = ListenerProbe()
        var serverSides: [ConnectionProbe] = []
        server.onAccept = { connection in
            let side = ConnectionProbe()
            side.onEOF = { $0.close() }
            serverSides.append(side)
            connection.delegate = side
        }
        let listener = try TCPListener(
            loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: server)
        let probe = ConnectionProbe()
        probe.onClose = { _ in
            // Give an accept already in the kernel's queue a chance, then stop.
            listener.close()
        }
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = probe
        try connection.connect(to: listener.localAddress, timeoutNs: 0)

        test.run()
        test.close()
        XCTAssertEqual(probe.errors, [.timedOut(.connect)])
        XCTAssertEqual(probe.events, ["fail", "close"])
        for side in serverSides { XCTAssertEqual(side.events.last, "close") }
    }

    /// A connect timeout that does not expire is closed on connect: it neither fires later nor
    /// keeps the loop running (the loop would otherwise run on until the 60 s timer).
    func testUnexpiredConnectTimeoutDoesNotOutliveTheConnect() throws {
        let test = try TestLoop()
        let server = ListenerProbe()
        server.onAccept = { connection in
            let side = ConnectionProbe()
            side.onEOF = { $0.close() }
            connection.delegate = side
        }
        let listener = try TCPListener(
            loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: server)
        let probe = ConnectionProbe()
        probe.onConnect = { $0.close() }
        probe.onClose = { _ in listener.close() }
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = probe
        try connection.connect(to: listener.localAddress, timeoutNs: 60_000_000_000)

        let startNs = MonotonicTime.nowNs()
        test.run()
        XCTAssertLessThan(MonotonicTime.nowNs() - startNs, 30_000_000_000, "well before the 60 s timeout")
        XCTAssertFalse(test.watchdogFired)
        test.close()
        XCTAssertEqual(probe.events, ["connect", "close"])
    }

    func testPeerCloseDeliversDataThenEOF() throws {
        let test = try TestLoop()
        let server = ListenerProbe()
        server.onAccept = { connection in
            connection.delegate = ConnectionProbe()
            XCTAssertEqual(connection.write(Array("bye".utf8)), .written)
            connection.close()  // the bytes are in the kernel: they go out before the FIN
        }
        let listener = try TCPListener(
            loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: server)
        let probe = ConnectionProbe()
        probe.onEOF = { $0.close() }
        probe.onClose = { _ in listener.close() }
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = probe
        try connection.connect(to: listener.localAddress)

        test.run()
        test.close()
        XCTAssertEqual(probe.received, Array("bye".utf8))
        XCTAssertEqual(probe.events, ["connect", "read", "eof", "close"])
        XCTAssertEqual(probe.errors, [])
    }

    /// The client sends its request and half-closes; the server reads to EOF and only then
    /// answers, on the same connection, and the client still receives the whole answer.
    func testHalfCloseLetsTheServerReplyAfterEOF() throws {
        let test = try TestLoop()
        let request = Checksum.pattern(count: 100_000, seed: 3)
        let server = ListenerProbe()
        let serverSide = ConnectionProbe()
        serverSide.onEOF = { [unowned serverSide] connection in
            let reply = Array("received \(serverSide.receivedCount) bytes".utf8)
            connection.write(reply)
            expectNoError { try connection.shutdown() }
        }
        serverSide.onShutdown = { $0.close() }
        server.onAccept = { $0.delegate = serverSide }
        let listener = try TCPListener(
            loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: server)

        let client = ConnectionProbe()
        client.onConnect = { connection in
            connection.write(request)
            expectNoError { try connection.shutdown() }
            XCTAssertTrue(connection.isShutdownRequested)
            expectNoError { try connection.shutdown() }  // a second shutdown is harmless
        }
        client.onEOF = { $0.close() }
        client.onClose = { _ in listener.close() }
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = client
        try connection.connect(to: listener.localAddress)

        test.run()
        test.close()
        XCTAssertEqual(serverSide.received, request)
        XCTAssertEqual(String(decoding: client.received, as: UTF8.self), "received 100000 bytes")
        XCTAssertEqual(client.events.first, "connect")
        XCTAssertEqual(client.count("shutdown"), 1)
        XCTAssertEqual(Array(client.events.suffix(2)), ["eof", "close"])
        XCTAssertEqual(client.errors, [])
        XCTAssertEqual(serverSide.errors, [])
        XCTAssertEqual(serverSide.events.suffix(3), ["eof", "shutdown", "close"])
    }

    func testShutdownBeforeConnectedThrows() throws {
        let test = try TestLoop()
        let connection = try TCPConnection(loop: test.loop)
        XCTAssertThrowsError(try connection.shutdown()) { error in
            XCTAssertEqual((error as? UVError)?.operation, .shutdown)
            XCTAssertEqual((error as? UVError)?.name, "ENOTCONN")
        }
        connection.close()
        connection.close()
        XCTAssertEqual(connection.write([1, 2, 3]), .closed)
        test.run()
        XCTAssertEqual(connection.state, .closed)
        test.close()
    }

    func testListenerOnTakenPortReportsAddressInUse() throws {
        let test = try TestLoop()
        let first = try TCPListener(loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"))
        XCTAssertThrowsError(try TCPListener(loop: test.loop, address: first.localAddress)) { error in
            XCTAssertEqual(error as? UVError, .addressInUse(.listen))
        }
        first.close()
        test.run()
        test.close()
    }
}
