import XCTest
@testable import EventLoop

/// Echo server and clients on one loop over 127.0.0.1 / ::1: payloads round-trip intact, in order,
/// through both the `uv_try_write` path and queued `uv_write` requests.
final class TCPEchoTests: XCTestCase {
    /// What one echo run saw, for the assertions of each test.
    struct EchoRun {
        var client: ConnectionProbe
        var outcomes: [TCPConnection.WriteOutcome]
        var expected: Checksum
        var expectedCount: Int
        var server: ListenerProbe
        var serverSides: [ConnectionProbe]
        var clientFamily: SocketAddress.Family?
        var noDelay: (client: Bool, server: Bool)?
    }

    /// Connects to an echo server, writes `chunks` back to back, half-closes, and reads until the
    /// server's FIN. Everything closes by itself, so `run()` returns when the exchange is over.
    func echo(_ chunks: [[UInt8]], host: String = "127.0.0.1") throws -> EchoRun {
        let test = try TestLoop()
        let server = ListenerProbe()
        var serverSides: [ConnectionProbe] = []
        var serverNoDelay = false
        server.onAccept = { connection in
            serverNoDelay = (try? connection.isNoDelaySet()) ?? false
            let echo = ConnectionProbe.echo()
            serverSides.append(echo)
            connection.delegate = echo
        }
        let listener = try TCPListener(
            loop: test.loop, address: SocketAddress(parsing: "\(host):0"), delegate: server)

        var expected = Checksum()
        for chunk in chunks { expected.update(chunk) }
        let client = ConnectionProbe()
        client.keepBytes = false
        var outcomes: [TCPConnection.WriteOutcome] = []
        var family: SocketAddress.Family?
        var clientNoDelay = false
        client.onConnect = { connection in
            family = try? connection.localAddress().family
            clientNoDelay = (try? connection.isNoDelaySet()) ?? false
            for chunk in chunks { outcomes.append(connection.write(chunk)) }
            expectNoError { try connection.shutdown() }
        }
        client.onEOF = { connection in connection.close() }
        client.onClose = { _ in listener.close() }
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = client
        try connection.connect(to: listener.localAddress, timeoutNs: 10_000_000_000)
        XCTAssertEqual(connection.state, .connecting)

        test.run()
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(connection.queuedWriteCount, 0)
        XCTAssertEqual(connection.queuedWriteBytes, 0)
        XCTAssertGreaterThan(connection.connectStartNs, 0)
        XCTAssertGreaterThanOrEqual(connection.connectedNs, connection.connectStartNs)
        test.close()
        return EchoRun(
            client: client, outcomes: outcomes, expected: expected,
            expectedCount: chunks.reduce(0) { $0 + $1.count }, server: server,
            serverSides: serverSides, clientFamily: family, noDelay: (clientNoDelay, serverNoDelay))
    }

    func assertClean(_ run: EchoRun, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.client.errors, [], file: file, line: line)
        XCTAssertEqual(run.client.receivedCount, run.expectedCount, file: file, line: line)
        XCTAssertEqual(run.client.checksum, run.expected, file: file, line: line)
        XCTAssertEqual(run.client.count("connect"), 1, file: file, line: line)
        XCTAssertEqual(run.client.count("eof"), 1, file: file, line: line)
        XCTAssertEqual(run.client.count("shutdown"), 1, file: file, line: line)
        XCTAssertEqual(run.client.count("close"), 1, file: file, line: line)
        XCTAssertEqual(run.client.events.last, "close", file: file, line: line)
        XCTAssertEqual(run.server.accepted.count, 1, file: file, line: line)
        XCTAssertEqual(run.server.errors, [], file: file, line: line)
        XCTAssertEqual(run.server.closeCount, 1, file: file, line: line)
        for side in run.serverSides {
            XCTAssertEqual(side.errors, [], file: file, line: line)
            XCTAssertEqual(side.receivedCount, run.expectedCount, file: file, line: line)
            XCTAssertEqual(side.checksum, run.expected, file: file, line: line)
            XCTAssertEqual(side.events.last, "close", file: file, line: line)
        }
    }

    func testOneByteRoundTrips() throws {
        let run = try echo([[0x5a]])
        assertClean(run)
        XCTAssertEqual(run.outcomes, [.written])
        XCTAssertEqual(run.noDelay?.client, true, "TCP_NODELAY set before connect is applied")
        XCTAssertEqual(run.noDelay?.server, true, "TCP_NODELAY set before accept is applied")
    }

    func test64KiBRoundTrips() throws {
        let run = try echo([Checksum.pattern(count: 64 * 1024, seed: 64)])
        assertClean(run)
        XCTAssertEqual(run.outcomes.count, 1)
        XCTAssertEqual(run.clientFamily, .ipv4)
    }

    /// 8 MiB cannot fit the socket buffers of a fresh connection: `uv_try_write` takes a part,
    /// the rest goes into one queued request, and `connectionDidFlush` reports its end.
    func test8MiBRoundTripsThroughPartialTryWriteAndQueuedWrite() throws {
        let total = 8 * 1024 * 1024
        let run = try echo([Checksum.pattern(count: total, seed: 8)])
        assertClean(run)
        guard case .queued(let queued)? = run.outcomes.first else {
            return XCTFail("expected a queued remainder, got \(run.outcomes)")
        }
        XCTAssertGreaterThan(queued, 0)
        XCTAssertLessThan(queued, total, "uv_try_write should have taken the first part")
        XCTAssertGreaterThanOrEqual(run.client.count("flush"), 1)
    }

    /// Many writes of varied sizes, back to back: once one is queued the next ones queue behind it,
    /// and the echo comes back in exactly the order written.
    func testManyBackToBackWritesKeepOrder() throws {
        let chunks = (0..<1_500).map { i in
            Checksum.pattern(count: 1 + (i * 7919) % 6_000, seed: UInt64(i + 1))
        }
        let run = try echo(chunks)
        assertClean(run)
        XCTAssertEqual(run.outcomes.count, chunks.count)
        XCTAssertTrue(run.outcomes.contains(.written), "some writes went straight out")
        XCTAssertTrue(run.outcomes.contains { if case .queued = $0 { true } else { false } },
                      "some writes were queued")
    }

    func testIPv6LoopbackRoundTrips() throws {
        if let reason = try ipv6LoopbackMissing() { throw XCTSkip("no IPv6 loopback here: \(reason)") }
        let run = try echo([Checksum.pattern(count: 64 * 1024, seed: 6)], host: "[::1]")
        assertClean(run)
        XCTAssertEqual(run.clientFamily, .ipv6)
    }

    /// Why ::1 cannot be listened on, or nil when it can.
    func ipv6LoopbackMissing() throws -> UVError? {
        let loop = try Loop()
        var reason: UVError?
        do {
            let listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "[::1]:0"))
            listener.close()
        } catch {
            reason = error
        }
        XCTAssertNoThrow(try loop.close())
        return reason
    }

    /// 200 clients connect at once to one listener, each exchanges one message and closes.
    func test200ConcurrentConnectionsAllComplete() throws {
        let clientCount = 200
        let test = try TestLoop()
        let server = ListenerProbe()
        var serverSides: [ConnectionProbe] = []
        server.onAccept = { connection in
            let echo = ConnectionProbe.echo()
            serverSides.append(echo)
            connection.delegate = echo
        }
        let listener = try TCPListener(
            loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), backlog: 256, delegate: server)

        var completed = 0
        var closed = 0
        var clients: [ConnectionProbe] = []
        for i in 0..<clientCount {
            let message = Array("hello from client \(i)".utf8)
            let client = ConnectionProbe()
            client.onConnect = { connection in
                connection.write(message)
                expectNoError { try connection.shutdown() }
            }
            client.onEOF = { connection in connection.close() }
            client.onClose = { [unowned client] _ in
                if client.received == message { completed += 1 }
                closed += 1
                if closed == clientCount { listener.close() }
            }
            clients.append(client)
            let connection = try TCPConnection(loop: test.loop, readBufferSize: 4096)
            connection.delegate = client
            try connection.connect(to: listener.localAddress, timeoutNs: 5_000_000_000)
        }

        test.run()
        test.close()
        XCTAssertEqual(completed, clientCount)
        XCTAssertEqual(clients.flatMap(\.errors), [])
        XCTAssertEqual(server.accepted.count, clientCount)
        XCTAssertEqual(server.errors, [])
        XCTAssertEqual(serverSides.flatMap(\.errors), [])
        XCTAssertEqual(serverSides.filter { $0.count("close") == 1 }.count, clientCount)
    }
}
