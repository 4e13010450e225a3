import XCTest
@testable import EventLoop

/// Connections bound to a chosen source address before connecting (loopback 127.0.0.0/8): the
/// server sees that address as the peer; an address this machine does not have fails as `bind`.
final class SourceAddressTests: XCTestCase {
    func testConnectionsComeFromTheirBoundSourceAddresses() throws {
        let test = try TestLoop()
        let server = ListenerProbe()
        var peers: [String] = []
        server.onAccept = { connection in
            expectNoError { peers.append(try connection.peerAddress().ip) }
            let side = ConnectionProbe()
            side.onEOF = { $0.close() }
            connection.delegate = side
            connection.close()
        }
        let listener = try TCPListener(loop: test.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: server)
        let sources = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
        var closed = 0
        var probes: [ConnectionProbe] = []
        for ip in sources {
            let probe = ConnectionProbe()
            probe.onConnect = { $0.close() }
            probe.onClose = { _ in
                closed += 1
                if closed == sources.count { listener.close() }
            }
            probes.append(probe)
            let connection = try TCPConnection(loop: test.loop)
            connection.delegate = probe
            try connection.connect(to: listener.localAddress, from: SocketAddress(ip: ip, port: 0))
        }
        test.run()
        test.close()
        XCTAssertEqual(peers.sorted(), sources)
        XCTAssertTrue(probes.allSatisfy { $0.errors.isEmpty }, "\(probes.map(\.errors))")
    }

    func testASourceAddressThisMachineLacksFailsAsBind() throws {
        let test = try TestLoop()
        let probe = ConnectionProbe()
        let connection = try TCPConnection(loop: test.loop)
        connection.delegate = probe
        // TEST-NET-1 (RFC 5737): never assigned to this machine.
        try connection.connect(to: SocketAddress(ip: "127.0.0.1", port: 9), from: SocketAddress(ip: "192.0.2.1", port: 0))
        XCTAssertEqual(probe.events, [], "no outcome from inside connect()")
        test.run()
        test.close()
        XCTAssertEqual(probe.errors.map(\.name), ["EADDRNOTAVAIL"])
        XCTAssertEqual(probe.errors.first?.description.hasPrefix("bind:"), true, "\(probe.errors)")
    }
}
