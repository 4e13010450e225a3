import DER
import EST
import HTTP
import PKI
import Foundation
import XCTest

/// Responses as a server would send them and the client's judgement of them, for the EST check tests.
class ESTResponseFixture: XCTestCase {
    struct Judged {
        var verdict: ESTResponseCheck.Verdict
        var issued: [UInt8]?
        var deviations: [String]
    }

    static let authority = try! CertificateAuthority()
    let key = try! KeyGenerator(type: .p256).generate()
    lazy var csr = try! CSRBuilder(template: CSRTemplate(commonName: "device-{i}")).build(index: 3, signer: Signer(key: key))
    lazy var subject = Array(try! CSRView(der: csr[...]).subject)

    func response(_ status: Int, type: String? = ESTMediaType.certsOnly, extra: String = "", body: [UInt8] = []) -> HTTPResponseParser {
        var head = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.count)\r\n" + extra
        if let type { head += "Content-Type: \(type)\r\n" }
        var parser = HTTPResponseParser(requestMethod: .post)
        let step = parser.feed(Array((head + "\r\n").utf8) + body)
        XCTAssertEqual(step, .complete(consumed: head.utf8.count + 2 + body.count))
        return parser
    }

    func judge(_ op: ESTOperation, _ parser: HTTPResponseParser, ca: [[UInt8]] = [], now: Int64 = Int64(Date().timeIntervalSince1970),
               examples: UnsafeMutablePointer<[String]>? = nil) -> Judged {
        var deviations: [String] = []
        let context = ESTResponseCheck.Context(publicKeyInfo: key.publicKeyInfo, requestedSubject: subject, caCertificates: ca.compactMap(ESTIssuingCA.init(der:)),
                                               verifier: try! CSRVerifier(), nowUnixSeconds: now)
        let judgement = ESTResponseCheck.judge(op, response: parser, context: context, note: {
            deviations.append($0.kind)
            examples?.pointee.append($0.example)
        })
        return Judged(verdict: judgement.verdict, issued: (judgement.issued ?? judgement.issuedForServerKey).map { Array($0.encoded) },
                      deviations: deviations)
    }

    func enrollmentBody(subject: ArraySlice<UInt8>? = nil) throws -> [UInt8] {
        ESTBody.encode(try Self.authority.makeIssuer().issue(csr: csr, subject: subject).certsOnly)
    }

}
