import DER
import Foundation
@testable import PKI
import XCTest

final class CertsOnlyWriterTests: XCTestCase {
    private func fixtureCertificates(_ count: Int) throws -> [[UInt8]] {
        let ca = try KeyGenerator(type: .p256).generate()
        var out = [try OpenSSLCertificateFixture.certificate(subjectKey: ca, commonName: "fixture CA", issuerKey: ca,
                                                             issuerName: "fixture CA", serial: 1, isCA: true)]
        for i in 1..<count {
            out.append(try OpenSSLCertificateFixture.certificate(subjectKey: try KeyGenerator(type: .p256).generate(),
                                                                 commonName: "device-\(i)", issuerKey: ca,
                                                                 issuerName: "fixture CA", serial: i + 1))
        }
        return out
    }

    /// Byte for byte what `openssl crl2pkcs7 -nocrl` writes for the same certificates (eContent
    /// absent), in short and long length forms (one certificate; 300 certificates, over 64 KiB).
    func testSameBytesAsOpenSSLCrl2pkcs7() throws {
        let dir = try makeTemporaryDirectory(self)
        let certificates = try fixtureCertificates(3)
        for list in [[certificates[1]], certificates, Array(repeating: certificates[2], count: 300)] {
            let bundle = dir.appendingPathComponent("bundle.pem"), out = dir.appendingPathComponent("certs.p7b")
            try list.map { PEM.encode($0, label: "CERTIFICATE") }.joined().write(to: bundle, atomically: true, encoding: .utf8)
            let r = try runTool(["openssl", "crl2pkcs7", "-nocrl", "-certfile", bundle.path, "-outform", "DER", "-out", out.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            let theirs = Array(try Data(contentsOf: out))
            let ours = CertsOnlyWriter.encode(list)
            XCTAssertTrue(ours == theirs, "\(list.count) certificates: \(ours.count) vs \(theirs.count) bytes, first difference at "
                          + "\(String(describing: zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset))")
            let parsed = try CertsOnly(der: ours)
            XCTAssertTrue(parsed.certificates.map { Array($0) } == list, "\(list.count) certificates read back")
            XCTAssertEqual(parsed.signerCount, 0)
        }
        XCTAssertGreaterThan(CertsOnlyWriter.encode(Array(repeating: certificates[2], count: 300)).count, 65_536)
    }

    /// OpenSSL's PKCS7 API writes an empty eContent where we write none; both parse alike.
    func testOpenSSLPKCS7APIFormParsesAlike() throws {
        let certificates = try fixtureCertificates(2)
        let theirs = try CertsOnly(der: try OpenSSLCertificateFixture.certsOnly(certificates))
        let ours = try CertsOnly(der: CertsOnlyWriter.encode(certificates))
        XCTAssertEqual(theirs.certificates.map { Array($0) }, ours.certificates.map { Array($0) })
    }

    /// `openssl pkcs7 -inform DER -print_certs` reads our message and prints the certificates in order.
    func testOpenSSLCommandPrintsTheCertificates() throws {
        let dir = try makeTemporaryDirectory(self)
        var options = CertificateAuthority.Options()
        options.intermediate = true
        let ca = try CertificateAuthority(options: options)
        let issued = try ca.makeIssuer().issue(csr: try DeviceCSR.make(.p256).der)
        let cases: [(String, [UInt8], [[UInt8]])] = [
            ("cacerts", ca.cacerts, ca.caCertificates),
            ("enrollment response", issued.certsOnly, [Array(issued.certificate)]),
            ("chain", CertsOnlyWriter.encode([Array(issued.certificate)] + ca.caCertificates), [Array(issued.certificate)] + ca.caCertificates),
        ]
        for (name, der, expected) in cases {
            let path = dir.appendingPathComponent("\(name).p7b").path
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(der)))
            let r = try runTool(["openssl", "pkcs7", "-inform", "DER", "-print_certs", "-in", path])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertEqual(try PEM.decodeAll(r.stdout, label: "CERTIFICATE"), expected, name)
            XCTAssertEqual(try CertsOnly(der: der).certificates.map { Array($0) }, expected, name)
        }
    }
}
