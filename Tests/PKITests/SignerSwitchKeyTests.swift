import COpenSSL
import DER
@testable import PKI
import XCTest

/// One signer moved from fresh key to fresh key (the pool generator's and `bench csr`'s fresh-key
/// path): every CSR verifies under OpenSSL with its own key, and its SubjectPublicKeyInfo is the
/// one OpenSSL encodes for that very private key.
final class SignerSwitchKeyTests: XCTestCase {
    func testEveryCSRFromASwitchedSignerVerifiesWithItsOwnKey() throws {
        let builder = try CSRBuilder(template: try CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"]))
        for type in [KeyType.p256, .p384, .ed25519, .rsa2048] {
            let generator = try KeyGenerator(type: type)
            let signer = try Signer(key: try generator.generate())
            var seen = Set<[UInt8]>()
            for i in 0..<(type.isRSA ? 4 : 64) {
                let key = try generator.generate()
                try signer.switchKey(to: key)
                let csr = try builder.build(index: i, signer: signer)
                XCTAssertTrue(OpenSSLOracle.verifyCSR(csr), "\(type) CSR \(i)")
                XCTAssertEqual(Array(try CSRView(der: csr).publicKeyInfo), key.publicKeyInfo, "\(type) CSR \(i)")
                XCTAssertEqual(OpenSSLOracle.publicKeyInfo(of: key.pkey), key.publicKeyInfo, "\(type) key \(i): SPKI differs from i2d_PUBKEY")
                seen.insert(key.publicKeyInfo)
            }
            XCTAssertEqual(seen.count, type.isRSA ? 4 : 64, "\(type): a fresh key per CSR")
        }
    }

    func testSwitchingToAnotherKeyTypeIsRefused() throws {
        let signer = try Signer(key: try KeyGenerator(type: .p256).generate())
        XCTAssertThrowsError(try signer.switchKey(to: try KeyGenerator(type: .p384).generate())) { error in
            XCTAssertTrue("\(error)".contains("p256 signer cannot switch to a p384 key"), "\(error)")
        }
        // The signer still works with its own key.
        let csr = try CSRBuilder(template: try CSRTemplate(commonName: "still")).build(index: 0, signer: signer)
        XCTAssertTrue(OpenSSLOracle.verifyCSR(csr))
    }

    /// RSA-PSS parameters are set again for every key the signer switches to.
    func testSwitchKeepsTheScheme() throws {
        let generator = try KeyGenerator(type: .rsa2048)
        let signer = try Signer(key: try generator.generate(), scheme: .rsaPSSSHA256)
        try signer.switchKey(to: try generator.generate())
        let csr = try CSRBuilder(template: try CSRTemplate(commonName: "pss")).build(index: 0, signer: signer)
        XCTAssertTrue(OpenSSLOracle.verifyCSR(csr))
        XCTAssertEqual(Array(try CSRView(der: csr).signatureAlgorithm), SignatureScheme.rsaPSSSHA256.algorithmIdentifier)
    }
}
