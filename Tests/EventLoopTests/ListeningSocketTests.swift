import XCTest
@testable import EventLoop

/// `ListeningSocket`: one bound socket that several listeners share through duplicates; a
/// listener closed and reopened (how a server worker pauses accepting) leaves the socket, its
/// port and its queue intact; without `reusePort` a second socket cannot take the port.
final class ListeningSocketTests: XCTestCase {
    func testListenersShareOneSocketAndPausingKeepsTheQueue() throws {
        let test = try TestLoop()
        let socket = try ListeningSocket(address: SocketAddress(ip: "127.0.0.1", port: 0))
        XCTAssertNotEqual(socket.port, 0)
        XCTAssertThrowsError(try ListeningSocket(address: SocketAddress(ip: "127.0.0.1", port: socket.port))) {
            XCTAssertEqual(($0 as? UVError)?.name, "EADDRINUSE", "\($0)")
        }
        let probe = ListenerProbe()
        var listener: TCPListener? = try TCPListener(loop: test.loop, socket: socket, delegate: probe)
        XCTAssertEqual(listener?.port, socket.port)
        // Paused: a client connecting meanwhile waits in the socket's queue.
        listener?.close()
        listener = nil
        let client = try TCPConnection(loop: test.loop)
        let clientProbe = ConnectionProbe()
        client.delegate = clientProbe
        var resumed: TCPListener?
        clientProbe.onConnect = { _ in
            // Connected through the kernel's queue while no listener existed; now resume.
            expectNoError { resumed = try TCPListener(loop: test.loop, socket: socket, delegate: probe) }
        }
        probe.onAccept = { connection in
            let serverSide = ConnectionProbe()
            connection.delegate = serverSide
            connection.close()
            client.close()
            resumed?.close()
        }
        try client.connect(to: socket.localAddress)
        test.run()
        XCTAssertEqual(probe.accepted.count, 1, "the queued connection is accepted after the resume")
        XCTAssertEqual(probe.closeCount, 2)
        test.close()
    }

    func testReusePortLetsASecondSocketBind() throws {
        let first = try ListeningSocket(address: SocketAddress(ip: "127.0.0.1", port: 0), reusePort: true)
        let second = try ListeningSocket(address: SocketAddress(ip: "127.0.0.1", port: first.port), reusePort: true)
        XCTAssertEqual(second.port, first.port)
    }

    func testDescriptorLimitIsRaisedToTheHardLimit() {
        let raised = DescriptorLimit.raiseSoftToHard()
        XCTAssertEqual(raised, DescriptorLimit.current)
        XCTAssertGreaterThanOrEqual(raised, 256)
    }
}
