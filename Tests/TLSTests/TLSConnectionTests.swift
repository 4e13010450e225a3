import EventLoop
import Foundation
import PKI
import TestSupport
import TLS
import XCTest

/// TLS over real TCP on 127.0.0.1: our server and client, and third-party `openssl s_server`.
final class TLSConnectionTests: XCTestCase {
    /// Our client and our server on one loop: handshake, request, reply, close_notify; timestamps in order.
    func testClientAndServerOverLoopback() throws {
        let fixture = try TLSFixture()
        for version in TLSVersion.allCases {
            let watched = try WatchedLoop()
            let serverContext = try TLSContext(fixture.serverConfiguration { $0.maximumVersion = version })
            let clientContext = try TLSContext(fixture.clientConfiguration())
            let serverProbe = TLSConnectionProbe()
            var serverConnection: TLSConnection?
            serverProbe.onRead = { c, bytes in
                if bytes == Array("ping".utf8) {
                    c.write(Array("pong".utf8))
                    c.shutdown()
                }
            }
            let acceptor = Acceptor { tcp in
                serverConnection = try? TLSConnection(accepted: tcp, context: serverContext)
                serverConnection?.delegate = serverProbe
            }
            let listener = try TCPListener(loop: watched.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: acceptor)
            let client = try TLSConnection(loop: watched.loop, context: clientContext, serverName: "localhost")
            let probe = TLSConnectionProbe()
            probe.onHandshake = { $0.write(Array("ping".utf8)) }
            probe.onClose = {
                listener.close()
                serverConnection?.close()
                watched.done()
            }
            client.delegate = probe
            try client.connect(to: SocketAddress(parsing: "127.0.0.1:\(listener.port)"), timeoutNs: 2_000_000_000)
            watched.run()
            XCTAssertFalse(watched.timedOut)
            XCTAssertEqual(probe.events, ["handshake", "close_notify", "closed"], "\(version)")
            XCTAssertEqual(probe.received, Array("pong".utf8))
            XCTAssertEqual(client.session.negotiatedVersion, version.rawValue)
            XCTAssertGreaterThan(client.connectStartNs, 0)
            XCTAssertGreaterThanOrEqual(client.connectedNs, client.connectStartNs)
            XCTAssertGreaterThanOrEqual(client.handshakeDoneNs, client.connectedNs)
            try watched.close()
        }
    }

    func testRefusedConnectionIsATransportError() throws {
        let watched = try WatchedLoop()
        let fixture = try TLSFixture()
        // A port that was just free: bind, read it, close.
        let port: UInt16 = try {
            let l = try TCPListener(loop: watched.loop, address: SocketAddress(parsing: "127.0.0.1:0"), delegate: Acceptor { $0.close() })
            defer { l.close() }
            return l.port
        }()
        let client = try TLSConnection(loop: watched.loop, context: try TLSContext(fixture.clientConfiguration()), serverName: "localhost")
        let probe = TLSConnectionProbe()
        probe.onClose = { watched.done() }
        client.delegate = probe
        try client.connect(to: SocketAddress(parsing: "127.0.0.1:\(port)"))
        watched.run()
        XCTAssertEqual(probe.events, ["fail", "closed"])
        XCTAssertEqual(probe.error, .transport(.refused(.connect)))
        try watched.close()
    }

    // MARK: openssl s_server

    func testAgainstOpenSSLServer() throws {
        let server = try OpenSSLServer(extraArguments: [])
        defer { server.stop() }
        let (events, received, error, session) = try exchange(port: server.port, trust: server.certificate)
        XCTAssertNil(error)
        XCTAssertEqual(events.first, "handshake")
        let text = String(decoding: received, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.0 200 ok"), text)
        XCTAssertTrue(text.contains("Ciphers supported in s_server binary"), text)
        XCTAssertEqual(session?.negotiatedVersion, "TLSv1.3")
    }

    /// `-Verify 1`: s_server demands a client certificate; presented per connection it succeeds,
    /// and without one the handshake fails with the server's alert.
    func testOpenSSLServerDemandingAClientCertificate() throws {
        let fixture = try TLSFixture()
        let server = try OpenSSLServer(extraArguments: ["-Verify", "1"], clientCA: fixture.caCertificate)
        defer { server.stop() }
        let ok = try exchange(port: server.port, trust: server.certificate, clientCertificate: (fixture.clientCertificate, fixture.clientKey))
        XCTAssertNil(ok.error)
        XCTAssertTrue(String(decoding: ok.received, as: UTF8.self).hasPrefix("HTTP/1.0 200 ok"))

        let refused = try exchange(port: server.port, trust: server.certificate)
        XCTAssertEqual(refused.events.last, "closed")
        guard case .tls(.alertReceived(let alert, _))? = refused.error else {
            return XCTFail("expected the server's alert, got \(String(describing: refused.error))")
        }
        XCTAssertEqual(alert.name, "certificate_required")
    }

    /// Connects, sends "GET / HTTP/1.0", reads until the server closes.
    func exchange(port: UInt16, trust: [UInt8], clientCertificate: ([UInt8], PrivateKey)? = nil) throws
        -> (events: [String], received: [UInt8], error: TLSConnectionError?, session: TLSSession?) {
        let watched = try WatchedLoop()
        var configuration = TLSConfiguration(role: .client)
        configuration.trustedCertificates = [trust]
        let client = try TLSConnection(loop: watched.loop, context: try TLSContext(configuration), serverName: "localhost")
        if let (certificate, key) = clientCertificate {
            try client.session.useCertificate(chain: [certificate], key: key)
        }
        let probe = TLSConnectionProbe()
        probe.onHandshake = { $0.write(Array("GET / HTTP/1.0\r\n\r\n".utf8)) }
        probe.onClose = { watched.done() }
        client.delegate = probe
        try client.connect(to: SocketAddress(parsing: "127.0.0.1:\(port)"), timeoutNs: 2_000_000_000)
        watched.run()
        XCTAssertFalse(watched.timedOut)
        try watched.close()
        return (probe.events, probe.received, probe.error, client.session)
    }
}

/// Accepts connections for a test through a closure.
final class Acceptor: TCPListenerDelegate {
    let onAccept: (TCPConnection) -> Void
    init(_ onAccept: @escaping (TCPConnection) -> Void) { self.onAccept = onAccept }
    func listener(_ listener: TCPListener, didAccept connection: TCPConnection) { onAccept(connection) }
    func listener(_ listener: TCPListener, didFail error: UVError) { XCTFail("\(error)") }
}
