import PKI
@testable import TLS
import XCTest

/// What a kept-alive client connection holds while idle: the server's chain is let go after the
/// handshake (the leaf stays readable), and `releaseIdleMemory` empties the memory BIOs' buffers
/// without disturbing the connection.
final class TLSIdleMemoryTests: XCTestCase {
    func testClientDropsThePeerChainButKeepsTheLeaf() throws {
        let fixture = try TLSFixture()
        for version in TLSVersion.allCases {
            let server = try TLSContext(fixture.serverConfiguration {
                $0.certificateChain = [fixture.serverCertificate, fixture.caCertificate]
                $0.minimumVersion = version
                $0.maximumVersion = version
            })
            let client = try TLSContext(fixture.clientConfiguration())
            let c = try TLSSession(context: client, serverName: "localhost")
            let s = try TLSSession(context: server)
            XCTAssertEqual(c.peerChainCount, 0, "before the handshake")
            XCTAssertNil(pumpHandshake(c, s))
            XCTAssertEqual(c.peerChainCount, 0, "\(version): the two certificates sent are let go")
            XCTAssertEqual(c.peerCertificate, fixture.serverCertificate, "\(version): the leaf is still there")
            XCTAssertNotNil(c.channelBinding)
        }
    }

    func testTheServerKeepsAClientsChain() throws {
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration { $0.clientCertificates = .require })
        let client = try TLSContext(fixture.clientConfiguration())
        let c = try TLSSession(context: client, serverName: "localhost")
        try c.useCertificate(chain: [fixture.clientCertificate, fixture.caCertificate], key: fixture.clientKey)
        let s = try TLSSession(context: server)
        XCTAssertNil(pumpHandshake(c, s))
        _ = readAll(c)
        XCTAssertEqual(s.peerCertificate, fixture.clientCertificate)
        XCTAssertEqual(s.peerChainCount, 1, "the server keeps what the client sent beyond its leaf")
    }

    func testReleasingIdleBuffersKeepsTheConnectionWorking() throws {
        let fixture = try TLSFixture()
        for version in TLSVersion.allCases {
            let server = try TLSContext(fixture.serverConfiguration { $0.minimumVersion = version; $0.maximumVersion = version })
            let client = try TLSContext(fixture.clientConfiguration())
            let c = try TLSSession(context: client, serverName: "localhost")
            let s = try TLSSession(context: server)
            c.releaseIdleMemory()  // mid-nothing: before the handshake it does nothing
            XCTAssertNil(pumpHandshake(c, s))
            _ = readAll(c)
            for round in 0..<3 {
                let request = [UInt8](repeating: UInt8(round), count: 1_500)
                guard case .progress(1_500) = c.write(request) else { return XCTFail("client write") }
                XCTAssertTrue(deliver(c, s, chunk: 16384))
                XCTAssertEqual(readAll(s).bytes, request)
                let reply = [UInt8](repeating: 0x42 &+ UInt8(round), count: 3_000)
                guard case .progress(3_000) = s.write(reply) else { return XCTFail("server write") }
                XCTAssertTrue(deliver(s, c, chunk: 16384))
                XCTAssertEqual(readAll(c).bytes, reply, "\(version) round \(round)")
                XCTAssertGreaterThan(c.idleBIOBufferBytes, 3_000, "the flights passed through the BIOs")
                c.releaseIdleMemory()
                XCTAssertEqual(c.idleBIOBufferBytes, 0, "\(version) round \(round)")
            }
            // A half-read flight is not dropped: release waits until the read BIO is empty.
            guard case .progress = s.write(Array("tail".utf8)) else { return XCTFail("server write") }
            XCTAssertTrue(deliver(s, c, chunk: 16384))
            c.releaseIdleMemory()
            XCTAssertEqual(readAll(c).bytes, Array("tail".utf8))
        }
    }
}
