import PKI
@testable import TLS
import XCTest

final class TLSSessionTests: XCTestCase {
    /// TLS 1.2 and 1.3; RSA, P-256 and Ed25519 server certificates; ciphertext fed 1, 7 and 16384
    /// bytes at a time: the handshake completes, the server certificate arrives, data flows both ways.
    func testHandshakeMatrixInMemory() throws {
        for keyType in [KeyType.rsa2048, .p256, .ed25519] {
            let fixture = try TLSFixture(serverKeyType: keyType)
            for version in TLSVersion.allCases {
                let server = try TLSContext(fixture.serverConfiguration { $0.minimumVersion = version; $0.maximumVersion = version })
                let client = try TLSContext(fixture.clientConfiguration())
                for chunk in [1, 7, 16384] {
                    let c = try TLSSession(context: client, serverName: "localhost")
                    let s = try TLSSession(context: server)
                    XCTAssertNil(pumpHandshake(c, s, chunk: chunk), "\(keyType) \(version) chunk \(chunk)")
                    XCTAssertEqual(c.negotiatedVersion, version.rawValue)
                    XCTAssertEqual(s.negotiatedVersion, version.rawValue)
                    XCTAssertEqual(c.peerCertificate, fixture.serverCertificate)
                    XCTAssertEqual(c.alpn, "http/1.1")
                    XCTAssertFalse(c.isResumed)
                    XCTAssertNotNil(c.cipher)
                    XCTAssertNotNil(c.group)

                    guard case .progress(5) = c.write(Array("hello".utf8)) else { return XCTFail("client write") }
                    deliver(c, s, chunk: chunk)
                    XCTAssertEqual(readAll(s).bytes, Array("hello".utf8))
                    let reply = [UInt8](repeating: 0x42, count: 40_000)
                    guard case .progress(40_000) = s.write(reply) else { return XCTFail("server write") }
                    deliver(s, c, chunk: chunk)
                    XCTAssertEqual(readAll(c).bytes, reply, "\(keyType) \(version) chunk \(chunk)")
                }
            }
        }
    }

    func testResumptionHappensWhenOnAndNeverWhenOff() throws {
        let fixture = try TLSFixture()
        for version in TLSVersion.allCases {
            for mode in TLSConfiguration.Resumption.allCases {
                let server = try TLSContext(fixture.serverConfiguration { $0.resumption = mode; $0.maximumVersion = version })
                let client = try TLSContext(fixture.clientConfiguration { $0.resumption = mode; $0.maximumVersion = version })
                let first = try TLSSession(context: client, serverName: "localhost")
                let s1 = try TLSSession(context: server)
                XCTAssertNil(pumpHandshake(first, s1))
                _ = readAll(first)  // TLS 1.3 tickets arrive after the handshake
                let ticket = first.resumableSession
                if mode == .off {
                    XCTAssertNil(ticket, "\(version) \(mode): no session kept when off")
                } else {
                    XCTAssertNotNil(ticket, "\(version) \(mode)")
                }
                let second = try TLSSession(context: client, serverName: "localhost", resuming: ticket)
                let s2 = try TLSSession(context: server)
                XCTAssertNil(pumpHandshake(second, s2))
                XCTAssertEqual(second.isResumed, mode != .off, "\(version) \(mode)")
                XCTAssertEqual(s2.isResumed, mode != .off, "\(version) \(mode)")
            }
        }
    }

    /// Resumption off on the client: even a session from a resuming context is never offered.
    func testOffNeverOffersASession() throws {
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration { $0.resumption = .tickets })
        let resuming = try TLSContext(fixture.clientConfiguration { $0.resumption = .tickets })
        let off = try TLSContext(fixture.clientConfiguration { $0.resumption = .off })
        let first = try TLSSession(context: resuming, serverName: "localhost")
        XCTAssertNil(pumpHandshake(first, try TLSSession(context: server)))
        _ = readAll(first)
        let again = try TLSSession(context: off, serverName: "localhost", resuming: first.resumableSession)
        let s = try TLSSession(context: server)
        XCTAssertNil(pumpHandshake(again, s))
        XCTAssertFalse(again.isResumed)
    }

    func testWrongCAIsATypedErrorAndTheServerGetsTheAlert() throws {
        let fixture = try TLSFixture()
        let other = try TLSFixture(caName: "another CA")
        let server = try TLSContext(fixture.serverConfiguration())
        let client = try TLSContext(other.clientConfiguration())  // trusts another CA
        let c = try TLSSession(context: client, serverName: "localhost")
        let s = try TLSSession(context: server)
        guard case .certificateVerification(let code, _)? = pumpHandshake(c, s) else { return XCTFail("expected verification error") }
        // The server sends its CA too (OpenSSL builds the chain from its store): "self-signed
        // certificate in chain" (19); with the leaf alone it would be "unable to get issuer" (20).
        XCTAssertTrue([19, 20].contains(code), "\(code)")
        XCTAssertEqual(c.alertSent?.name, "unknown_ca")
        // The alert was flushed to the server, which failed with it.
        XCTAssertEqual(s.alertReceived?.name, "unknown_ca")
        XCTAssertFalse(s.isHandshakeComplete)
    }

    func testWrongHostnameAndAddressAreTypedErrors() throws {
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration())
        let client = try TLSContext(fixture.clientConfiguration())
        XCTAssertEqual(pumpHandshake(try TLSSession(context: client, serverName: "example.com"), try TLSSession(context: server)),
                       .hostnameMismatch(expected: "example.com"))
        XCTAssertEqual(pumpHandshake(try TLSSession(context: client, serverName: "127.0.0.2"), try TLSSession(context: server)),
                       .hostnameMismatch(expected: "127.0.0.2"))
        XCTAssertNil(pumpHandshake(try TLSSession(context: client, serverName: "127.0.0.1"), try TLSSession(context: server)))
        // Verification off (explicit opt-out) accepts the wrong name.
        let insecure = try TLSContext(fixture.clientConfiguration { $0.verifyPeer = false; $0.trustedCertificates = [] })
        XCTAssertNil(pumpHandshake(try TLSSession(context: insecure, serverName: "example.com"), try TLSSession(context: server)))
    }

    func testCloseNotifyInBothDirections() throws {
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration())
        let client = try TLSContext(fixture.clientConfiguration())
        for clientCloses in [true, false] {
            let c = try TLSSession(context: client, serverName: "localhost")
            let s = try TLSSession(context: server)
            XCTAssertNil(pumpHandshake(c, s))
            _ = readAll(c)
            let (closer, peer) = clientCloses ? (c, s) : (s, c)
            guard case .progress = closer.shutdown() else { return XCTFail("shutdown") }
            deliver(closer, peer, chunk: 16384)
            XCTAssertTrue(readAll(peer).closeNotify, "close_notify from \(clientCloses ? "client" : "server")")
        }
    }

    func testChannelBindingsAreEqualOnBothEnds() throws {
        let fixture = try TLSFixture()
        for version in TLSVersion.allCases {
            let server = try TLSContext(fixture.serverConfiguration { $0.resumption = .tickets; $0.maximumVersion = version })
            let client = try TLSContext(fixture.clientConfiguration { $0.resumption = .tickets; $0.maximumVersion = version })
            var ticket: TLSResumableSession?
            var seen: [[UInt8]] = []
            for _ in 0..<2 {  // full, then resumed
                let c = try TLSSession(context: client, serverName: "localhost", resuming: ticket)
                let s = try TLSSession(context: server)
                XCTAssertNil(pumpHandshake(c, s))
                _ = readAll(c)
                ticket = c.resumableSession ?? ticket
                let cb = try XCTUnwrap(c.channelBinding)
                XCTAssertEqual(cb, s.channelBinding, "\(version) resumed=\(c.isResumed)")
                switch (version, cb) {
                case (.tls12, .tlsUnique(let b)): XCTAssertEqual(b.count, 12)
                case (.tls13, .tlsExporter(let b)): XCTAssertEqual(b.count, 32)
                default: XCTFail("\(version): wrong binding type \(cb)")
                }
                seen.append(cb.bytes)
            }
            XCTAssertNotEqual(seen[0], seen[1], "each handshake binds differently")
        }
    }

    func testHelloRetryRequestIsSeenOnBothSides() throws {
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration { $0.groups = "P-521" })
        let client = try TLSContext(fixture.clientConfiguration { $0.groups = "X25519:P-521" })
        let c = try TLSSession(context: client, serverName: "localhost")
        let s = try TLSSession(context: server)
        XCTAssertNil(pumpHandshake(c, s))
        XCTAssertTrue(c.helloRetryRequest)
        XCTAssertTrue(s.helloRetryRequest)
        XCTAssertEqual(c.group, "secp521r1")
        // Without the mismatch there is none.
        let plain = try TLSSession(context: try TLSContext(fixture.clientConfiguration()), serverName: "localhost")
        XCTAssertNil(pumpHandshake(plain, try TLSSession(context: try TLSContext(fixture.serverConfiguration()))))
        XCTAssertFalse(plain.helloRetryRequest)
    }

    func testClientCertificateRequiredPresentedPerConnection() throws {
        let fixture = try TLSFixture()
        for version in TLSVersion.allCases {
            let server = try TLSContext(fixture.serverConfiguration { $0.clientCertificates = .require; $0.maximumVersion = version })
            let client = try TLSContext(fixture.clientConfiguration())
            let c = try TLSSession(context: client, serverName: "localhost")
            try c.useCertificate(chain: [fixture.clientCertificate], key: fixture.clientKey)
            let s = try TLSSession(context: server)
            XCTAssertNil(pumpHandshake(c, s), "\(version)")
            XCTAssertEqual(s.peerCertificate, fixture.clientCertificate)

            // Without one: the server refuses, and the client learns it from the alert
            // (under TLS 1.3 the client has finished first: the alert comes on its next read).
            let bare = try TLSSession(context: client, serverName: "localhost")
            let s2 = try TLSSession(context: server)
            XCTAssertNotNil(pumpHandshake(bare, s2))
            let clientError = bare.isHandshakeComplete ? readAll(bare).error : nil
            let expected = version == .tls13 ? "certificate_required" : "handshake_failure"
            XCTAssertEqual(s2.alertSent?.name, expected, "\(version)")
            XCTAssertEqual(bare.alertReceived?.name, expected, "\(version)")
            if version == .tls13 {
                guard case .alertReceived(let alert, _)? = clientError else { return XCTFail("\(String(describing: clientError))") }
                XCTAssertEqual(alert.name, "certificate_required")
            }
        }
    }

    func testBadConfigurationIsNamed() throws {
        let fixture = try TLSFixture()
        XCTAssertThrowsError(try TLSContext(fixture.clientConfiguration { $0.groups = "P-999" })) {
            guard case .configuration(let op, _)? = $0 as? TLSError else { return XCTFail("\($0)") }
            XCTAssertEqual(op, "SSL_CTX_set1_groups_list")
        }
        XCTAssertThrowsError(try TLSContext(fixture.clientConfiguration { $0.minimumVersion = .tls13; $0.maximumVersion = .tls12 }))
        XCTAssertThrowsError(try TLSContext(fixture.serverConfiguration { $0.privateKey = fixture.clientKey })) {
            guard case .configuration(let op, let errors)? = $0 as? TLSError else { return XCTFail("\($0)") }
            XCTAssertEqual(op, "SSL_CTX_use_PrivateKey")
            XCTAssertTrue(errors.joined().contains("values mismatch"), "\(errors)")
        }
    }
}
