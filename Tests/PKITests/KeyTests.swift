import DER
import PKI
import XCTest

final class KeyTests: XCTestCase {
    func testEveryKeyTypeSignsAVerifiableCSR() throws {
        for type in KeyType.allCases where type != .rsa4096 && type != .rsa3072 {
            let key = try KeyGenerator(type: type).generate()
            let signer = try Signer(key: key)
            let builder = try CSRBuilder(template: try CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"]))
            let csr = try builder.build(index: 42, signer: signer)
            XCTAssertTrue(OpenSSLOracle.verifyCSR(csr), "\(type)")
            XCTAssertEqual(OpenSSLOracle.subjectLine(csr), "/CN=device-42")
            XCTAssertEqual(OpenSSLOracle.publicKeyInfo(ofCSR: csr), key.publicKeyInfo, "\(type) SPKI differs from OpenSSL's")
            // The signer is reused: a second CSR verifies too.
            XCTAssertTrue(OpenSSLOracle.verifyCSR(try builder.build(index: 43, signer: signer)), "\(type) second")
        }
    }
}
