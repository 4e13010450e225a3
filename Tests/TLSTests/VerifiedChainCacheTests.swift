import PKI
@testable import TLS
import XCTest

/// A client context verifies a server chain once and answers again from its cache only for the
/// same certificate bytes and the same expected name; failures are verified (and named) every time.
final class VerifiedChainCacheTests: XCTestCase {
    func testRepeatHandshakesHitTheCacheOnlyForTheSameChainAndName() throws {
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration())
        let client = try TLSContext(fixture.clientConfiguration())
        for _ in 0..<3 {
            let c = try TLSSession(context: client, serverName: "localhost")
            XCTAssertNil(pumpHandshake(c, try TLSSession(context: server)))
            XCTAssertEqual(c.peerCertificate, fixture.serverCertificate)
        }
        XCTAssertEqual(client.verificationCacheHits, 2, "verified once, then answered twice from the cache")

        // The same bytes for another name are verified again, and fail.
        XCTAssertEqual(pumpHandshake(try TLSSession(context: client, serverName: "example.com"), try TLSSession(context: server)),
                       .hostnameMismatch(expected: "example.com"))
        XCTAssertEqual(pumpHandshake(try TLSSession(context: client, serverName: "example.com"), try TLSSession(context: server)),
                       .hostnameMismatch(expected: "example.com"), "a failure is never cached")
        XCTAssertEqual(client.verificationCacheHits, 2)

        // Another certificate from the same CA is a new chain: verified (then cached) on its own.
        let otherKey = try KeyGenerator(type: .p256).generate()
        let otherCertificate = try OpenSSLCertificateFixture.certificate(
            subjectKey: otherKey, commonName: "localhost", issuerKey: fixture.caKey, issuerName: "estbench test CA",
            serial: 9, subjectAltNames: "DNS:localhost")
        let otherServer = try TLSContext(fixture.serverConfiguration { $0.certificateChain = [otherCertificate]; $0.privateKey = otherKey })
        XCTAssertNil(pumpHandshake(try TLSSession(context: client, serverName: "localhost"), try TLSSession(context: otherServer)))
        XCTAssertEqual(client.verificationCacheHits, 2)
        XCTAssertNil(pumpHandshake(try TLSSession(context: client, serverName: "localhost"), try TLSSession(context: otherServer)))
        XCTAssertEqual(client.verificationCacheHits, 3)

        // A certificate for another name from the same CA fails its name check despite the cache.
        let wrongName = try OpenSSLCertificateFixture.certificate(
            subjectKey: otherKey, commonName: "other.example", issuerKey: fixture.caKey, issuerName: "estbench test CA",
            serial: 10, subjectAltNames: "DNS:other.example")
        let wrongServer = try TLSContext(fixture.serverConfiguration { $0.certificateChain = [wrongName]; $0.privateKey = otherKey })
        XCTAssertEqual(pumpHandshake(try TLSSession(context: client, serverName: "localhost"), try TLSSession(context: wrongServer)),
                       .hostnameMismatch(expected: "localhost"))
    }

    func testAnUntrustedServerFailsEvenAfterATrustedOneWasCached() throws {
        let fixture = try TLSFixture()
        let other = try TLSFixture(caName: "another CA")
        let client = try TLSContext(fixture.clientConfiguration())
        XCTAssertNil(pumpHandshake(try TLSSession(context: client, serverName: "localhost"),
                                   try TLSSession(context: try TLSContext(fixture.serverConfiguration()))))
        for _ in 0..<2 {
            guard case .certificateVerification? = pumpHandshake(try TLSSession(context: client, serverName: "localhost"),
                                                                 try TLSSession(context: try TLSContext(other.serverConfiguration()))) else {
                return XCTFail("expected a verification error")
            }
        }
        XCTAssertEqual(client.verificationCacheHits, 0)
    }

    func testCachingCanBeTurnedOff() throws {
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration())
        let client = try TLSContext(fixture.clientConfiguration { $0.cacheVerifiedChains = false })
        for _ in 0..<2 { XCTAssertNil(pumpHandshake(try TLSSession(context: client, serverName: "localhost"), try TLSSession(context: server))) }
        XCTAssertEqual(client.verificationCacheHits, 0)
    }
}
