import DER
import Foundation
@testable import PKI
import XCTest

final class CertsOnlyTests: XCTestCase {
    /// Certificates made by the `openssl` command (a CA, an unrelated device, ours from our CSR),
    /// bundled by `openssl crl2pkcs7 -nocrl -certfile`: our reader lists all three and finds ours.
    func testFindsIssuedCertificateInOpenSSLMadePKCS7() throws {
        let dir = try makeTemporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func openssl(_ args: [String]) throws {
            let r = try runTool(["openssl"] + args, in: dir)
            XCTAssertEqual(r.status, 0, "openssl \(args.joined(separator: " ")): \(r.stderr)")
        }
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                     "-out", "ca.pem", "-subj", "/CN=Test CA", "-days", "2"])
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other.key",
                     "-out", "other.pem", "-subj", "/CN=other", "-days", "2"])
        let key = try KeyGenerator(type: .p256).generate()
        let csr = try CSRBuilder(template: try CSRTemplate(commonName: "device-{i}")).build(index: 7, signer: try Signer(key: key))
        try PEM.encode(csr, label: "CERTIFICATE REQUEST").write(toFile: path("device.csr"), atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "device.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "device.pem", "-days", "2"])
        let bundle = try ["ca.pem", "other.pem", "device.pem"].map { try String(contentsOfFile: path($0), encoding: .utf8) }.joined()
        try bundle.write(toFile: path("bundle.pem"), atomically: true, encoding: .utf8)
        try openssl(["crl2pkcs7", "-nocrl", "-certfile", "bundle.pem", "-outform", "DER", "-out", "certs.p7b"])
        try openssl(["crl2pkcs7", "-nocrl", "-certfile", "bundle.pem", "-out", "certs.p7.pem"])

        let der = Array(try Data(contentsOf: URL(fileURLWithPath: path("certs.p7b"))))
        let message = try CertsOnly(der: der)
        XCTAssertEqual(message.certificates.count, 3)
        XCTAssertEqual(message.signerCount, 0)
        let expectedCerts = try PEM.decodeAll(bundle, label: "CERTIFICATE")
        XCTAssertEqual(message.certificates.map { Array($0) }, expectedCerts)

        guard let found = try message.issued(matching: key.publicKeyInfo) else { return XCTFail("issued certificate not found") }
        XCTAssertEqual(found.index, 2)
        let cert = found.certificate
        XCTAssertEqual(try cert.subjectAttributes().map(\.1), ["device-7"])
        XCTAssertEqual(try NameReader.attributes(of: cert.issuer).map(\.1), ["Test CA"])
        XCTAssertEqual(Array(cert.publicKeyInfo), key.publicKeyInfo)
        XCTAssertLessThan(cert.notBefore, cert.notAfter)
        XCTAssertNil(try message.issued(matching: try KeyGenerator(type: .p256).generate().publicKeyInfo))

        // The same message as base64 (the PEM body, as an EST server would send it) parses alike.
        let pemBody = try String(contentsOfFile: path("certs.p7.pem"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined(separator: "\r\n")
        let decoded = try Base64.decode(Array(pemBody.utf8))
        let fromBase64 = try CertsOnly(der: decoded)
        XCTAssertEqual(decoded, der)
        XCTAssertEqual(fromBase64.certificates.count, 3)
    }

    func testOpenSSLFixtureAgreesWithOpenSSLsOwnSearch() throws {
        let key = try KeyGenerator(type: .p256).generate()
        let message = try OpenSSLCertificateFixture.enrollmentResponse(issuedKey: key)
        let found = try CertsOnly(der: message).issued(matching: key.publicKeyInfo)
        XCTAssertEqual(found?.index, try CertsOnlyBenchmark.opensslFind(message, key: key))
    }

    func testErrorsAreNamed() throws {
        // ContentInfo with id-data instead of signedData.
        var w = DERWriter()
        w.sequence { $0.oid(OIDs.data); $0.explicit(0) { $0.octetString([1, 2]) } }
        XCTAssertThrowsError(try CertsOnly(der: w.bytes)) {
            XCTAssertEqual($0 as? CertsOnly.ParseError, .notSignedData(contentType: "1.2.840.113549.1.7.1"))
        }
        // SignedData without certificates.
        w.removeAll()
        w.sequence { ci in
            ci.oid(OIDs.signedData)
            ci.explicit(0) { $0.sequence { sd in sd.integer(1); sd.set { _ in }; sd.sequence { $0.oid(OIDs.data) }; sd.set { _ in } } }
        }
        XCTAssertThrowsError(try CertsOnly(der: w.bytes)) { XCTAssertEqual($0 as? CertsOnly.ParseError, .noCertificates) }
        // Truncated DER.
        XCTAssertThrowsError(try CertsOnly(der: Array(w.bytes.dropLast()))) {
            guard case .der? = $0 as? CertsOnly.ParseError else { return XCTFail("\($0)") }
        }
    }
}
