import COpenSSL
import DER
import Foundation
@testable import PKI
import XCTest

final class KeyTests: XCTestCase {
    /// Every key type: the CSR verifies under OpenSSL (`d2i_X509_REQ` + `X509_REQ_verify`), OpenSSL
    /// reads the same subject, and our SubjectPublicKeyInfo equals OpenSSL's `i2d_PUBKEY`.
    func testEveryKeyTypeSignsAVerifiableCSR() throws {
        let builder = try CSRBuilder(template: try CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"]))
        for type in KeyType.allCases {
            let key = try KeyGenerator(type: type).generate()
            let signer = try Signer(key: key)
            let csr = try builder.build(index: 42, signer: signer)
            XCTAssertTrue(OpenSSLOracle.verifyCSR(csr), "\(type)")
            XCTAssertEqual(OpenSSLOracle.subjectLine(csr), "/CN=device-42", "\(type)")
            XCTAssertEqual(OpenSSLOracle.publicKeyInfo(ofCSR: csr), key.publicKeyInfo, "\(type) SPKI differs from OpenSSL's")
            // The signer's contexts are reused: later CSRs verify too.
            for i in [43, 1_000_000] {
                XCTAssertTrue(OpenSSLOracle.verifyCSR(try builder.build(index: i, signer: signer)), "\(type) index \(i)")
            }
        }
    }

    func testRSAPSSSignatureVerifies() throws {
        let key = try KeyGenerator(type: .rsa2048).generate()
        let signer = try Signer(key: key, scheme: .rsaPSSSHA256)
        let csr = try CSRBuilder(template: try CSRTemplate(commonName: "pss")).build(index: 0, signer: signer)
        XCTAssertTrue(OpenSSLOracle.verifyCSR(csr))
        XCTAssertEqual(Array(try CSRView(der: csr).signatureAlgorithm), SignatureScheme.rsaPSSSHA256.algorithmIdentifier)
    }

    func testSchemeMustFitTheKey() throws {
        let key = try KeyGenerator(type: .p256).generate()
        XCTAssertThrowsError(try Signer(key: key, scheme: .ed25519)) { error in
            XCTAssertTrue("\(error)".contains("cannot be made with a p256 key"), "\(error)")
        }
    }

    /// A CSR whose signature was tampered with must not verify: the oracle can say no.
    func testTamperedCSRDoesNotVerify() throws {
        let signer = try Signer(key: try KeyGenerator(type: .p256).generate())
        var csr = try CSRBuilder(template: try CSRTemplate(commonName: "device-{i}")).build(index: 1, signer: signer)
        let view = try CSRView(der: csr)
        csr[view.subject.startIndex + 12] ^= 0x01  // inside the CN text
        XCTAssertFalse(OpenSSLOracle.verifyCSR(csr))
    }

    /// Raw key material loads back into the same key: same public key, and its signatures verify.
    func testRawKeyMaterialRoundTrip() throws {
        let builder = try CSRBuilder(template: try CSRTemplate(commonName: "roundtrip"))
        for type in [KeyType.p256, .p384, .rsa2048, .ed25519] {
            let key = try KeyGenerator(type: type).generate()
            let material = try key.rawKeyMaterial()
            let loaded = try KeyLoader(type: type).load(material)
            XCTAssertEqual(loaded.publicKeyInfo, key.publicKeyInfo, "\(type)")
            XCTAssertEqual(try loaded.rawKeyMaterial(), material, "\(type)")
            XCTAssertTrue(OpenSSLOracle.verifyCSR(try builder.build(index: 0, signer: try Signer(key: loaded))), "\(type)")
        }
    }

    /// The EC point in our SubjectPublicKeyInfo (and in raw key material, which reuses it) is
    /// priv x G recomputed from the private scalar, not only what the key object says it is.
    func testECPublicPointsMatchTheirPrivateScalars() throws {
        for (type, nid) in [(KeyType.p256, NID_X9_62_prime256v1), (.p384, NID_secp384r1)] {
            let generator = try KeyGenerator(type: type)
            for _ in 0..<32 {
                let key = try generator.generate()
                let derived = try XCTUnwrap(OpenSSLOracle.ecPointDerivedFromPrivateScalar(of: key.pkey, curve: nid))
                XCTAssertEqual(Array(PublicKeyInfo.ecPoint(of: key.publicKeyInfo, type: type)), derived, "\(type)")
                let material = try key.rawKeyMaterial()
                XCTAssertEqual(Array(material[type.scalarBytes...]), derived, "\(type) raw material")
            }
        }
    }

    func testKeyMaterialOfTheWrongSizeIsRefused() throws {
        XCTAssertThrowsError(try KeyLoader(type: .p256).load([UInt8](repeating: 1, count: 10))) { error in
            guard case PKIError.invalidKeyMaterial(.p256, _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try KeyLoader(type: .ed25519).load([UInt8](repeating: 1, count: 31)))
        XCTAssertThrowsError(try KeyLoader(type: .rsa2048).load([0, 5, 1, 2]))
    }

    /// The `openssl req -verify` command accepts our CSR and prints the subject we asked for.
    func testOpenSSLCommandVerifiesOurCSR() throws {
        let directory = try makeTemporaryDirectory(self)
        let signer = try Signer(key: try KeyGenerator(type: .p256).generate())
        var template = try CSRTemplate(commonName: "device-{i:04}", sanDNS: ["{i}.devices.example"])
        template.subject.append((.organization, try FieldPattern("Example Org")))
        let csr = try CSRBuilder(template: template).build(index: 7, signer: signer)
        let file = directory.appendingPathComponent("req.pem")
        try PEM.encode(csr, label: "CERTIFICATE REQUEST").write(to: file, atomically: true, encoding: .utf8)
        let result = try runTool(["openssl", "req", "-in", file.path, "-noout", "-verify", "-subject"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue((result.stdout + result.stderr).contains("verify OK"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("CN = device-0007"), result.stdout)
        XCTAssertTrue(result.stdout.contains("O = Example Org"), result.stdout)
    }
}
