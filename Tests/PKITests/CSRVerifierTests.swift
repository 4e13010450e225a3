import DER
import Foundation
@testable import PKI
import XCTest

final class CSRVerifierTests: XCTestCase {
    static let deviceTypes: [KeyType] = [.p256, .p384, .rsa2048, .rsa3072, .ed25519]

    /// Every device key type and signature scheme verifies and reports its key type; OpenSSL agrees.
    func testEveryKeyTypeAndSchemeVerifies() throws {
        let verifier = try CSRVerifier()
        var cases: [(KeyType, SignatureScheme?)] = CSRVerifierTests.deviceTypes.map { ($0, nil) }
        cases += [(.p256, .ecdsaSHA384), (.p384, .ecdsaSHA256), (.rsa2048, .rsaPSSSHA256)]
        for (type, scheme) in cases {
            let (der, _) = try DeviceCSR.make(type, scheme: scheme)
            XCTAssertTrue(OpenSSLOracle.verifyCSR(der), "\(type) \(String(describing: scheme))")
            XCTAssertEqual(try verifier.verify(try CSRView(der: der)), type, "\(type) \(String(describing: scheme))")
        }
    }

    /// RSA PKCS#1 v1.5 with SHA-384 and SHA-512, and ECDSA with SHA-512, made by the `openssl` command.
    func testOpenSSLMadeDigestVariantsVerify() throws {
        let dir = try makeTemporaryDirectory(self)
        let verifier = try CSRVerifier()
        for (key, digest, type) in [("rsa:2048", "-sha384", KeyType.rsa2048), ("rsa:2048", "-sha512", .rsa2048),
                                    ("ec", "-sha512", .p256)] {
            let curve = key == "ec" ? ["-pkeyopt", "ec_paramgen_curve:P-256"] : []
            let der = try openSSLCSR(key: key, extra: curve + [digest], in: dir)
            XCTAssertEqual(try verifier.verify(try CSRView(der: der)), type, "\(key) \(digest)")
        }
    }

    /// One verifier, keys and curves interleaved: a key replaced in place must never stay behind.
    /// A signature moved from another key's CSR (same type, same signed bytes) must fail.
    func testInterleavedKeysNeverReuseAStaleKey() throws {
        let verifier = try CSRVerifier()
        var csrs: [[UInt8]] = []
        for type in [KeyType.p256, .p256, .p384, .p256, .ed25519, .rsa2048, .p384, .ed25519] {
            csrs.append(try DeviceCSR.make(type, index: 3).der)
        }
        for _ in 0..<2 {
            for der in csrs { XCTAssertNoThrow(try verifier.verify(try CSRView(der: der))) }
        }
        var forged = 0
        for i in csrs.indices {
            for j in csrs.indices where i != j {
                let a = try CSRView(der: csrs[i]), b = try CSRView(der: csrs[j])
                guard Array(a.info) != Array(b.info), a.signatureAlgorithm.elementsEqual(b.signatureAlgorithm) else { continue }
                // Same type and template: only the key differs. Verify b first so a's key is not loaded.
                _ = try verifier.verify(b)
                let swapped = DeviceCSR.assemble(info: a.info, algorithm: a.signatureAlgorithm, signature: b.signature)
                XCTAssertThrowsError(try verifier.verify(try CSRView(der: swapped)), "\(i) with \(j)'s signature") {
                    guard case .signatureDoesNotVerify? = $0 as? IssuanceError else { return XCTFail("\($0)") }
                }
                _ = try verifier.verify(a)
                forged += 1
            }
        }
        XCTAssertEqual(forged, 10, "ordered pairs of same-type CSRs: P-256 3x2, P-384 2, Ed25519 2")
    }

    /// One bit flipped in the signed CertificationRequestInfo (the subject's text): refused.
    func testTamperedInfoIsRejected() throws {
        let verifier = try CSRVerifier()
        for type in CSRVerifierTests.deviceTypes {
            var (der, _) = try DeviceCSR.make(type)
            let view = try CSRView(der: der)
            let cn = try XCTUnwrap(Array(view.subject).firstRange(of: Array("device-7".utf8)))
            der[view.subject.startIndex + cn.lowerBound + 3] ^= 0x01
            XCTAssertFalse(OpenSSLOracle.verifyCSR(der))
            XCTAssertThrowsError(try verifier.verify(try CSRView(der: der)), "\(type)") {
                guard case .signatureDoesNotVerify(let algorithm, _)? = $0 as? IssuanceError else { return XCTFail("\($0)") }
                XCTAssertFalse(algorithm.isEmpty)
                XCTAssertTrue(($0 as? IssuanceError)?.isRequestError ?? false)
            }
        }
    }

    /// Seeded random single-bit flips anywhere in CSRs: we accept exactly when OpenSSL's
    /// `d2i_X509_REQ` + `X509_REQ_verify` accepts.
    func testAgreesWithOpenSSLOnRandomBitFlips() throws {
        let verifier = try CSRVerifier()
        var rng = SplitMix64(seed: 0x1550_E5EE)
        for (type, flips) in [(KeyType.p256, 300), (.ed25519, 150), (.rsa2048, 100), (.p384, 60)] {
            let (good, _) = try DeviceCSR.make(type)
            var accepted = 0
            for _ in 0..<flips {
                var der = good
                let bit = Int.random(in: 0..<(der.count * 8), using: &rng)
                der[bit / 8] ^= UInt8(1 << (bit % 8))
                let ours = (try? verifier.verify(try CSRView(der: der))) != nil
                XCTAssertEqual(ours, OpenSSLOracle.verifyCSR(der), "\(type): bit \(bit) of \(der.count * 8)")
                if ours { accepted += 1 }
            }
            XCTAssertEqual(accepted, 0, "\(type): a flipped CSR was accepted")
            XCTAssertNoThrow(try verifier.verify(try CSRView(der: good)), "\(type) after the flips")
        }
    }

    func testUnsupportedSignatureAlgorithmsAreNamed() throws {
        let verifier = try CSRVerifier()
        let (der, _) = try DeviceCSR.make(.p256)
        let view = try CSRView(der: der)
        func rejection(_ algorithm: [UInt8], info: ArraySlice<UInt8>? = nil) -> IssuanceError? {
            let csr = DeviceCSR.assemble(info: info ?? view.info, algorithm: algorithm, signature: view.signature)
            do {
                _ = try verifier.verify(try CSRView(der: csr))
                return nil
            } catch {
                return error as? IssuanceError
            }
        }
        XCTAssertEqual(rejection(DeviceCSR.algorithmIdentifier(OID("1.2.840.10045.4.1"))),
                       .unsupportedSignatureAlgorithm(oid: "1.2.840.10045.4.1"))  // ecdsa-with-SHA1
        XCTAssertEqual(rejection(DeviceCSR.algorithmIdentifier(OID("1.2.840.113549.1.1.5"), parameters: [0x05, 0x00])),
                       .unsupportedSignatureAlgorithm(oid: "1.2.840.113549.1.1.5"))  // sha1WithRSAEncryption
        XCTAssertEqual(rejection(DeviceCSR.algorithmIdentifier(OID("1.3.101.113"))),
                       .unsupportedSignatureAlgorithm(oid: "1.3.101.113"))  // Ed448
        XCTAssertEqual(rejection(DeviceCSR.algorithmIdentifier(OIDs.sha256WithRSAEncryption, parameters: [0x05, 0x00])),
                       .signatureAlgorithmMismatch(algorithm: "sha256WithRSAEncryption", keyType: .p256))
        XCTAssertEqual(rejection(DeviceCSR.algorithmIdentifier(OIDs.ed25519)),
                       .signatureAlgorithmMismatch(algorithm: "Ed25519", keyType: .p256))
        XCTAssertEqual(rejection(DeviceCSR.algorithmIdentifier(OIDs.ecdsaWithSHA256, parameters: [0x05, 0x00])),
                       .unsupportedSignatureParameters(algorithm: "ecdsa-with-SHA256"))
        // RSASSA-PSS with a 20-byte salt: parameters other than the one supported encoding.
        var pss = DERWriter()
        pss.sequence { w in
            w.oid(OIDs.rsassaPSS)
            w.sequence { p in
                p.explicit(0) { $0.sequence { $0.oid(OIDs.sha256); $0.null() } }
                p.explicit(1) { $0.sequence { m in m.oid(OIDs.mgf1); m.sequence { $0.oid(OIDs.sha256); $0.null() } } }
                p.explicit(2) { $0.integer(20) }
            }
        }
        let (rsa, _) = try DeviceCSR.make(.rsa2048)
        XCTAssertEqual(rejection(pss.bytes, info: try CSRView(der: rsa).info), .unsupportedSignatureParameters(algorithm: "RSASSA-PSS"))
        // The untouched CSR still verifies: the rejections were about the algorithm alone.
        XCTAssertEqual(rejection(Array(view.signatureAlgorithm)), nil)
    }

    /// Keys OpenSSL can make but the issuer does not take: P-521, Ed448, RSA-1024.
    func testUnsupportedKeysAreNamed() throws {
        let dir = try makeTemporaryDirectory(self)
        let verifier = try CSRVerifier()
        let cases: [(String, [String], IssuanceError)] = [
            ("ec", ["-pkeyopt", "ec_paramgen_curve:P-521"], .unsupportedCurve(oid: "1.3.132.0.35")),
            ("ed448", [], .unsupportedKeyAlgorithm(oid: "1.3.101.113")),
            ("rsa:1024", [], .unsupportedKeySize(bits: 1024)),
        ]
        for (key, extra, expected) in cases {
            let der = try openSSLCSR(key: key, extra: extra, in: dir)
            XCTAssertTrue(OpenSSLOracle.verifyCSR(der), "OpenSSL made a valid \(key) CSR")
            XCTAssertThrowsError(try verifier.verify(try CSRView(der: der)), key) { XCTAssertEqual($0 as? IssuanceError, expected) }
        }
    }

    /// Public keys that must never reach OpenSSL's verify: the point at infinity, points off the
    /// curve or of the wrong size, RSA with an even exponent, Ed25519 keys of the wrong length.
    func testMalformedPublicKeysAreRejected() throws {
        let verifier = try CSRVerifier()
        let signer = try Signer(key: try KeyGenerator(type: .p256).generate())
        let good = try KeyGenerator(type: .p256).generate()
        var goodPoint = try XCTUnwrap(try SubjectPublicKey(publicKeyInfo: good.publicKeyInfo[...]).ecPoint)
        func ecInfo(_ point: [UInt8], curve: OID? = OIDs.prime256v1) -> [UInt8] {
            var w = DERWriter()
            w.sequence { s in
                s.sequence { a in
                    a.oid(OIDs.ecPublicKey)
                    if let curve { a.oid(curve) } else { a.null() }
                }
                s.bitString(point)
            }
            return w.bytes
        }
        var offCurve = goodPoint
        offCurve[offCurve.count - 1] ^= 0x01
        var rsa = DERWriter()
        rsa.sequence { s in
            s.sequence { $0.oid(OIDs.rsaEncryption); $0.null() }
            s.bitStringWrapping { b in
                b.sequence { k in
                    k.integer(unsignedBigEndian: [0xC0] + [UInt8](repeating: 0x11, count: 255))
                    k.integer(65536)
                }
            }
        }
        var ed = DERWriter()
        ed.sequence { s in
            s.sequence { $0.oid(OIDs.ed25519) }
            s.bitString([UInt8](repeating: 7, count: 31))
        }
        let cases: [(String, [UInt8])] = [
            ("point at infinity", ecInfo([0x00])),
            ("point off the curve", ecInfo(offCurve)),
            ("P-384-sized point on P-256", ecInfo(goodPoint + [UInt8](repeating: 1, count: 32))),
            ("EC parameters not a named curve", ecInfo(goodPoint, curve: nil)),
            ("RSA even exponent", rsa.bytes),
            ("Ed25519 key of 31 bytes", ed.bytes),
        ]
        for (what, info) in cases {
            let der = try DeviceCSR.withPublicKeyInfo(info, signer: signer)
            XCTAssertThrowsError(try verifier.verify(try CSRView(der: der)), what) {
                guard case .malformedPublicKey? = $0 as? IssuanceError else { return XCTFail("\(what): \($0)") }
            }
        }
        // The same construction with the good point fails only on the signature (another key signed it).
        goodPoint = Array(goodPoint)
        let der = try DeviceCSR.withPublicKeyInfo(ecInfo(goodPoint), signer: signer)
        XCTAssertThrowsError(try verifier.verify(try CSRView(der: der))) {
            guard case .signatureDoesNotVerify? = $0 as? IssuanceError else { return XCTFail("\($0)") }
        }
    }

    func testVersionAndSignatureBitsAreChecked() throws {
        let verifier = try CSRVerifier()
        var (der, _) = try DeviceCSR.make(.p256)
        let view = try CSRView(der: der)
        // version INTEGER: the info's SEQUENCE header, then 02 01 00.
        let headerLength = view.info[view.info.startIndex + 1] < 0x80 ? 2 : 2 + Int(view.info[view.info.startIndex + 1] & 0x7F)
        let versionIndex = view.info.startIndex + headerLength + 2
        XCTAssertEqual(der[versionIndex], 0)
        der[versionIndex] = 1
        XCTAssertThrowsError(try verifier.verify(try CSRView(der: der))) { XCTAssertEqual($0 as? IssuanceError, .unsupportedCSRVersion(1)) }

        // The signature BIT STRING with unused bits (the value's last bits zeroed, so the DER reader accepts it).
        var signature = Array(view.signature)
        signature[signature.count - 1] &= 0xF0
        let odd = DeviceCSR.assemble(info: view.info, algorithm: view.signatureAlgorithm, signature: signature, unusedBits: 4)
        XCTAssertThrowsError(try verifier.verify(try CSRView(der: odd))) {
            guard case .malformedCSR(.invalidValue(_, .bitString, _))? = $0 as? IssuanceError else { return XCTFail("\($0)") }
        }
    }

    /// `openssl req -new -newkey <key>` with `extra` options; the CSR as DER.
    private func openSSLCSR(key: String, extra: [String], in dir: URL) throws -> [UInt8] {
        let out = dir.appendingPathComponent("req-\(UUID().uuidString).der").path
        let r = try runTool(["openssl", "req", "-new", "-newkey", key] + extra +
                            ["-nodes", "-keyout", "/dev/null", "-subj", "/CN=openssl-device", "-outform", "DER", "-out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        return Array(try Data(contentsOf: URL(fileURLWithPath: out)))
    }
}

extension SubjectPublicKey {
    /// The EC point, for tests that damage it.
    var ecPoint: [UInt8]? {
        if case .ec(let point) = material { return Array(point) }
        return nil
    }
}
