import DER
import EST
import HTTP
import PKI
import Foundation
import XCTest

/// The client's judgement of complete responses: status classes, media type, base64, certs-only,
/// the issued key, and the deviations that are counted rather than failed.
final class ESTResponseCheckTests: ESTResponseFixture {
    func testAnIssuedCertificateForOurKeyIsASuccess() throws {
        let judged = judge(.simpleenroll, response(200, body: try enrollmentBody()))
        XCTAssertEqual(judged.verdict, .success)
        XCTAssertEqual(judged.deviations, [])
        let certificate = try CertificateView(der: XCTUnwrap(judged.issued)[...])
        XCTAssertEqual(Array(certificate.publicKeyInfo), key.publicKeyInfo)
    }

    func testStatusClasses() {
        XCTAssertEqual(judge(.simpleenroll, response(202, type: nil)).verdict, .pending)
        XCTAssertEqual(judge(.simpleenroll, response(401, type: nil)).verdict, .unauthorized)
        XCTAssertEqual(judge(.simpleenroll, response(404, type: nil)).verdict, .clientError)
        XCTAssertEqual(judge(.simpleenroll, response(500, type: nil)).verdict, .serverError)
        XCTAssertEqual(judge(.cacerts, response(301, type: nil)).verdict, .serverError, "a redirect is no EST answer")
    }

    func testEachWayABodyFailsIsNamed() throws {
        let good = try enrollmentBody()
        XCTAssertEqual(judge(.simpleenroll, response(200, type: "text/plain", body: good)).verdict.problem, .mediaType)
        XCTAssertEqual(judge(.simpleenroll, response(200, body: Array("MII*\n".utf8))).verdict.problem, .base64)
        let der = try ESTBody.decode(good)
        XCTAssertEqual(judge(.simpleenroll, response(200, body: ESTBody.encode(der.dropLast(10)))).verdict.problem, .pkcs7)
        // A certificate for another key: not ours.
        let other = try CSRBuilder(template: CSRTemplate(commonName: "x")).build(index: 0, signer: Signer(key: KeyGenerator(type: .p256).generate()))
        let foreign = ESTBody.encode(try Self.authority.makeIssuer().issue(csr: other).certsOnly)
        XCTAssertEqual(judge(.simpleenroll, response(200, body: foreign)).verdict.problem, .keyMismatch)
        // cacerts needs no issued certificate, only a parseable certs-only.
        XCTAssertEqual(judge(.cacerts, response(200, type: ESTMediaType.pkcs7, body: foreign)).verdict, .success)
    }

    /// Deviations are counted, the answer still succeeds.
    func testDeviationsAreNotedNotFailed() throws {
        var body = try enrollmentBody()
        body.append(0)
        var judged = judge(.simpleenroll, response(200, type: ESTMediaType.pkcs7, extra: "Content-Transfer-Encoding: base64\r\n", body: body))
        XCTAssertEqual(judged.verdict, .success)
        XCTAssertEqual(judged.deviations, ["content_transfer_encoding", "missing_smime_type", "trailing_nul"])
        let oneLine = Base64.encode(try ESTBody.decode(try enrollmentBody()), lineLength: 0)
        XCTAssertNotEqual(oneLine.last, 0x0A)
        judged = judge(.simpleenroll, response(200, body: oneLine))
        XCTAssertEqual(judged.verdict, .success)
        XCTAssertEqual(judged.deviations, ["no_final_newline", "long_base64_lines"])
        // The CA rewrote the subject: counted, with both names in the example.
        var w = DERWriter()
        w.sequence { $0.set { $0.sequence { $0.oid(OID("2.5.4.3")); $0.utf8String("rewritten") } } }
        var examples: [String] = []
        judged = judge(.simplereenroll, response(200, body: try enrollmentBody(subject: w.bytes[...])), examples: &examples)
        XCTAssertEqual(judged.verdict, .success)
        XCTAssertEqual(examples, ["requested 2.5.4.3=device-3, issued 2.5.4.3=rewritten"])
    }
}
