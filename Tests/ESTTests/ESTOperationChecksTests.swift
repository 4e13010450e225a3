import DER
import EST
import Foundation
import HTTP
import PKI
import XCTest

/// Every operation's 2xx is validated, and issued certificates are checked as a CA operator would:
/// chained to cacerts (issuer name and signature), inside their validity window.
final class ESTOperationChecksTests: ESTResponseFixture {
    // MARK: chain and validity

    func testIssuedCertificateMustChainToTheKnownCACertificates() throws {
        let body = try enrollmentBody()
        XCTAssertEqual(judge(.simpleenroll, response(200, body: body), ca: Self.authority.caCertificates).verdict, .success)
        // Another CA with the same name (both are "estbench test"): the name matches, the signature does not.
        let impostor = try CertificateAuthority()
        XCTAssertEqual(judge(.simpleenroll, response(200, body: body), ca: impostor.caCertificates).verdict.problem, .chain)
        // A CA with another name: not the issuer at all.
        var options = CertificateAuthority.Options()
        options.name = "some other CA"
        let other = try CertificateAuthority(options: options)
        XCTAssertEqual(judge(.simpleenroll, response(200, body: body), ca: other.caCertificates).verdict.problem, .chain)
        // cacerts unknown: not checked.
        XCTAssertEqual(judge(.simpleenroll, response(200, body: body), ca: []).verdict, .success)
    }

    func testIssuedCertificateMustBeValidNow() throws {
        let body = try enrollmentBody()
        let now = Int64(Date().timeIntervalSince1970)
        XCTAssertEqual(judge(.simpleenroll, response(200, body: body), now: now + 400 * 86_400).verdict.problem, .validity, "expired")
        XCTAssertEqual(judge(.simpleenroll, response(200, body: body), now: now - 86_400).verdict.problem, .validity, "not yet valid")
        XCTAssertEqual(judge(.simpleenroll, response(200, body: body), now: now - 60).verdict, .success, "within the clock skew")
    }

    // MARK: csrattrs

    func csrattrs(_ der: [UInt8]) -> HTTPResponseParser { response(200, type: ESTMediaType.csrattrs, body: ESTBody.encode(der)) }

    func testCsrattrsIsASequenceOfAttrOrOID() {
        XCTAssertEqual(judge(.csrattrs, response(200, type: ESTMediaType.csrattrs, body: Array("MAA=\n".utf8))).verdict, .success,
                       "an empty SEQUENCE is a valid none")
        var w = DERWriter()
        w.sequence { s in
            s.oid(OID("1.2.840.10045.4.3.2"))
            s.sequence { $0.oid(OID("1.2.840.113549.1.9.14")); $0.set { $0.oid(OID("2.5.29.17")) } }
        }
        XCTAssertEqual(judge(.csrattrs, csrattrs(w.bytes)).verdict, .success)
        XCTAssertEqual(judge(.csrattrs, response(204, type: nil)).verdict, .success, "204: no attributes")
        XCTAssertEqual(judge(.csrattrs, response(404, type: nil)).verdict, .success, "404: no attributes")
        w.removeAll()
        w.sequence { $0.integer(5) }
        XCTAssertEqual(judge(.csrattrs, csrattrs(w.bytes)).verdict.problem, .csrattrs)
        XCTAssertEqual(judge(.csrattrs, csrattrs([0x30, 0x05, 0x06])).verdict.problem, .csrattrs, "truncated DER")
        XCTAssertEqual(judge(.csrattrs, response(200, type: "text/plain", body: Array("MAA=\n".utf8))).verdict.problem, .mediaType)
        // Deviations are noted for csrattrs too.
        XCTAssertEqual(judge(.csrattrs, response(200, type: ESTMediaType.csrattrs, body: Array("MAA=\n".utf8) + [0])).deviations, ["trailing_nul"])
    }

    // MARK: fullcmc

    /// A Full PKI Response as a CA would send it (unsigned here: the client does not verify it).
    func cmcResponse(status: Int, text: String? = nil, certificates: [[UInt8]]) -> [UInt8] {
        var content = DERWriter()
        content.sequence { r in
            r.sequence { controls in
                controls.sequence { tagged in
                    tagged.integer(1)
                    tagged.oid(OID("1.3.6.1.5.5.7.7.25"))
                    tagged.set { $0.sequence { info in
                        info.integer(status)
                        info.sequence { $0.integer(1) }
                        if let text { info.utf8String(text) }
                    } }
                }
            }
            r.sequence { _ in }
            r.sequence { _ in }
        }
        var w = DERWriter()
        w.sequence { ci in
            ci.oid(OIDs.signedData)
            ci.explicit(0) { $0.sequence { sd in
                sd.integer(3)
                sd.set { _ in }
                sd.sequence { $0.oid(OID("1.3.6.1.5.5.7.12.3")); $0.explicit(0) { $0.octetString(content.bytes) } }
                sd.implicitConstructed(0) { for c in certificates { $0.appendEncoded(c) } }
                sd.set { _ in }
            } }
        }
        return w.bytes
    }

    func testFullCMCMustReportSuccessAndCarryTheCertificate() throws {
        let issued = try Self.authority.makeIssuer().issue(csr: csr)
        let certificate = Array(issued.certificate)
        let ok = response(200, type: ESTMediaType.cmcResponse, body: ESTBody.encode(cmcResponse(status: 0, certificates: [Self.authority.root, certificate])))
        let judged = judge(.fullcmc, ok, ca: Self.authority.caCertificates)
        XCTAssertEqual(judged.verdict, .success)
        XCTAssertEqual(judged.issued, certificate)
        let failed = response(200, type: ESTMediaType.cmcResponse, body: ESTBody.encode(cmcResponse(status: 2, text: "badRequest", certificates: [])))
        guard case .invalid(.cmc, let detail) = judge(.fullcmc, failed).verdict else { return XCTFail("a failed status is a failure") }
        XCTAssertEqual(detail, "fullcmc status 2: badRequest")
        let certsOnly = response(200, type: ESTMediaType.cmcResponse, body: try enrollmentBody())
        XCTAssertEqual(judge(.fullcmc, certsOnly).verdict.problem, .cmc, "a certs-only answer is not a Full PKI Response")
        let noCertificate = response(200, type: ESTMediaType.cmcResponse, body: ESTBody.encode(cmcResponse(status: 0, certificates: [Self.authority.root])))
        XCTAssertEqual(judge(.fullcmc, noCertificate).verdict.problem, .keyMismatch)
    }

    /// Our Full PKI Request: SignedData(id-cct-PKIData) whose messageDigest is the content's hash and
    /// whose signature over the signed attributes verifies with the device key (OpenSSL as oracle).
    func testFullPKIRequestIsSignedByTheDeviceKey() throws {
        let der = try CMCRequest.fullPKIRequest(csr: csr, signer: Signer(key: key))
        var contentInfo = try DERReader.single(der).children()
        XCTAssertTrue(try contentInfo.read(.objectIdentifier).isOID(OIDs.signedData))
        var signed = try DERReader.single(try contentInfo.read(.context(0, constructed: true)).content).children()
        XCTAssertEqual(try signed.read().integer(), 3)
        _ = try signed.read(.set)
        var encap = try signed.read(.sequence).children()
        XCTAssertTrue(try encap.read(.objectIdentifier).isOID(OID("1.3.6.1.5.5.7.12.2")))
        let content = try DERReader.single(try encap.read(.context(0, constructed: true)).content).octetString()
        // PKIData's reqSequence holds our CSR as body part 1.
        var pkiData = try DERReader.single(content).children()
        _ = try pkiData.read(.sequence)
        var requests = try pkiData.read(.sequence).children()
        var tagged = try XCTUnwrap(try requests.next()).children()
        XCTAssertEqual(try tagged.read().integer(), 1)
        XCTAssertEqual(Array(try tagged.read(.sequence).encoded), csr)
        var infos = try signed.read(.set).children()
        var info = try XCTUnwrap(try infos.next()).children()
        XCTAssertEqual(try info.read().integer(), 3)
        _ = try info.read(.context(0, constructed: false))  // subjectKeyIdentifier
        _ = try info.read(.sequence)
        var attributes = Array(try info.read(.context(0, constructed: true)).encoded)
        _ = try info.read(.sequence)
        let signature = Array(try info.read(.octetString).octetString())
        attributes[0] = 0x31  // signed as a SET OF
        XCTAssertTrue(attributes.contains(subsequence: try MessageDigest.hash(Array(content), algorithm: "SHA256")), "messageDigest")
        XCTAssertTrue(try OpenSSLSignatureOracle.verify(signature: signature, message: attributes, publicKeyInfo: key.publicKeyInfo))
    }

    // MARK: serverkeygen

    func multipart(_ parts: [(type: String, body: [UInt8])]) -> HTTPResponseParser {
        var body: [UInt8] = []
        for part in parts { body += Array("--xyz\r\nContent-Type: \(part.type)\r\n\r\n".utf8) + part.body + Array("\r\n".utf8) }
        body += Array("--xyz--\r\n".utf8)
        return response(200, type: "multipart/mixed; boundary=xyz", body: body)
    }

    func testServerKeyGenMustReturnAKeyAndItsCertificate() throws {
        let serverKey = try KeyGenerator(type: .p256).generate()
        let serverCSR = try CSRBuilder(template: CSRTemplate(commonName: "device-{i}")).build(index: 3, signer: Signer(key: serverKey))
        let certsOnly = try Self.authority.makeIssuer().issue(csr: serverCSR).certsOnly
        let pkcs8 = try serverKey.pkcs8()
        let good = judge(.serverkeygen, multipart([(ESTMediaType.pkcs8, ESTBody.encode(pkcs8)), (ESTMediaType.certsOnly, ESTBody.encode(certsOnly))]),
                         ca: Self.authority.caCertificates)
        XCTAssertEqual(good.verdict, .success)
        XCTAssertEqual(good.deviations, [])
        XCTAssertNotNil(good.issued)
        // A key labelled PKCS#8 that is really SEC1 (the ECPrivateKey inside the PKCS#8): accepted, noted.
        var fields = try DERReader.single(pkcs8).children()
        _ = try fields.read(.integer)
        _ = try fields.read(.sequence)
        var inner = try DERReader.single(try fields.read(.octetString).octetString()).children()
        _ = try inner.read(.integer)
        let scalar = try inner.read(.octetString).octetString()
        let point = try inner.read(.context(1, constructed: true)).encoded
        var sec1Writer = DERWriter()
        sec1Writer.sequence { ec in  // ECPrivateKey (RFC 5915) with its curve, as a standalone key needs
            ec.integer(1)
            ec.octetString(scalar)
            ec.explicit(0) { $0.oid(OIDs.prime256v1) }
            ec.appendEncoded(point)
        }
        let sec1 = sec1Writer.bytes
        let labelled = judge(.serverkeygen, multipart([(ESTMediaType.pkcs8, ESTBody.encode(sec1)), (ESTMediaType.certsOnly, ESTBody.encode(certsOnly))]))
        XCTAssertEqual(labelled.verdict, .success)
        XCTAssertEqual(labelled.deviations, ["key_not_pkcs8"])
        // The certificate is for another key.
        let otherKey = try KeyGenerator(type: .p256).generate().pkcs8()
        XCTAssertEqual(judge(.serverkeygen, multipart([(ESTMediaType.pkcs8, ESTBody.encode(otherKey)),
                                                       (ESTMediaType.certsOnly, ESTBody.encode(certsOnly))])).verdict.problem, .keyMismatch)
        // No key part; a key part that is no key; no multipart at all.
        XCTAssertEqual(judge(.serverkeygen, multipart([(ESTMediaType.certsOnly, ESTBody.encode(certsOnly))])).verdict.problem, .serverKey)
        XCTAssertEqual(judge(.serverkeygen, multipart([(ESTMediaType.pkcs8, ESTBody.encode([0x30, 0x03, 0x02, 0x01, 0x00])),
                                                       (ESTMediaType.certsOnly, ESTBody.encode(certsOnly))])).verdict.problem, .serverKey)
        XCTAssertEqual(judge(.serverkeygen, response(200, type: "multipart/mixed; boundary=xyz", body: Array("no parts".utf8))).verdict.problem,
                       .serverKey)
        // CMS-enveloped key: recorded, the certificate still checked.
        let enveloped = judge(.serverkeygen, multipart([("application/pkcs7-mime; smime-type=server-generated-key", ESTBody.encode([0x30, 0x00])),
                                                        (ESTMediaType.certsOnly, ESTBody.encode(certsOnly))]))
        XCTAssertEqual(enveloped.verdict, .success)
        XCTAssertEqual(enveloped.deviations, ["serverkeygen_enveloped"])
    }

    func testMultipartBodiesSplitAtTheirDelimiters() throws {
        let body = Array("preamble\n--b\nContent-Type: a/b\n\nfirst\n--b\r\nContent-Type: c/d\r\nX: y\r\n\r\nsecond\r\n--b--\r\nepilogue".utf8)
        let parsed = try MultipartBody(body: body, contentType: "multipart/mixed; boundary=\"b\"")
        XCTAssertEqual(parsed.parts.map { String(decoding: $0.body, as: UTF8.self) }, ["first", "second"])
        XCTAssertEqual(parsed.parts.map { $0.field("Content-Type") }, ["a/b", "c/d"])
        XCTAssertEqual(parsed.parts[1].field("x"), "y")
        XCTAssertThrowsError(try MultipartBody(body: body, contentType: "multipart/mixed")) {
            XCTAssertEqual($0 as? MultipartBody.ParseError, .noBoundary(contentType: "multipart/mixed"))
        }
        XCTAssertThrowsError(try MultipartBody(body: Array("--b\n\nx\n".utf8), contentType: "multipart/mixed; boundary=b")) {
            XCTAssertEqual($0 as? MultipartBody.ParseError, .unterminated(boundary: "b"))
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<($0 + subsequence.count)].elementsEqual(subsequence) }
    }
}
