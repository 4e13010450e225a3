import Foundation
import XCTest

/// fullcmc with a PKIData made here (DER written by hand-sized helpers), checked with `openssl cms`.
final class ServeFullCMCTests: ServeTestCase {
    /// DER TLV with a definite length.
    func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out = [tag]
        let n = content.count
        if n < 0x80 { out.append(UInt8(n)) } else if n < 0x100 { out += [0x81, UInt8(n)] } else { out += [0x82, UInt8(n >> 8), UInt8(n & 0xFF)] }
        return out + content
    }

    func oid(_ bytes: [UInt8]) -> [UInt8] { tlv(0x06, bytes) }

    /// ContentInfo(SignedData(id-cct-PKIData)) with one request of kind `requestTag` (0xA0: tcr, 0xA1: crm).
    func cmcRequest(csr: [UInt8], requestTag: UInt8 = 0xA0) -> [UInt8] {
        let bodyPart = tlv(requestTag, tlv(0x02, [0x07]) + csr)
        let pkiData = tlv(0x30, tlv(0x30, []) + tlv(0x30, bodyPart) + tlv(0x30, []) + tlv(0x30, []))
        let idPKIData = oid([0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x0C, 0x02])
        let encap = tlv(0x30, idPKIData + tlv(0xA0, tlv(0x04, pkiData)))
        let signedData = tlv(0x30, tlv(0x02, [0x03]) + tlv(0x31, []) + encap + tlv(0x31, []))
        let idSignedData = oid([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02])
        return tlv(0x30, idSignedData + tlv(0xA0, signedData))
    }

    func post(_ server: ServeProcess, _ der: [UInt8]) throws -> (code: Int, headers: String, body: Data, exit: Int32) {
        try Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]).appending("\n")
            .write(toFile: path("cmc.b64"), atomically: true, encoding: .utf8)
        return try curl(server, "fullcmc", post: path("cmc.b64"), contentType: "application/pkcs7-mime; smime-type=CMC-request")
    }

    /// Verifies the response signature with the CA bundle and returns the PKIResponse's asn1parse text.
    func verifiedContent(_ body: Data, server: ServeProcess) throws -> String {
        try XCTUnwrap(Data(base64Encoded: body, options: .ignoreUnknownCharacters)).write(to: URL(fileURLWithPath: path("resp.der")))
        let verify = try tool(["openssl", "cms", "-verify", "-inform", "DER", "-in", path("resp.der"), "-CAfile", server.bundle,
                               "-purpose", "any", "-binary", "-out", path("content.der")])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        return String(decoding: try tool(["openssl", "asn1parse", "-inform", "DER", "-in", path("content.der")]).stdout, as: UTF8.self)
    }

    func testPKCS10InPKIDataGetsASignedResponseWithTheCertificate() throws {
        let server = try ServeProcess()
        defer { server.stop() }
        _ = try makeCSR("cmc-device")
        let csr = Array(try Data(contentsOf: URL(fileURLWithPath: path("cmc-device.der"))))
        let r = try post(server, cmcRequest(csr: csr))
        XCTAssertEqual(r.code, 200)
        XCTAssertTrue(r.headers.contains("smime-type=CMC-response"), r.headers)
        let content = try verifiedContent(r.body, server: server)
        XCTAssertTrue(content.contains("id-cmc-statusInfoV2") || content.contains("1.3.6.1.5.5.7.7.25"), content)
        XCTAssertTrue(content.contains("INTEGER           :00"), "cMCStatus success: \(content)")
        // The issued certificate is in the response: its key is the CSR's.
        let certs = try tool(["openssl", "pkcs7", "-inform", "DER", "-in", path("resp.der"), "-print_certs", "-out", path("cmc-certs.pem")])
        XCTAssertEqual(certs.status, 0, certs.stderr)
        let all = try String(contentsOfFile: path("cmc-certs.pem"), encoding: .utf8)
        XCTAssertTrue(all.contains("subject=CN = cmc-device"), all)
    }

    func testUnsupportedRequestsGetAFailureStatus() throws {
        let server = try ServeProcess()
        defer { server.stop() }
        _ = try makeCSR("cmc-2")
        let csr = Array(try Data(contentsOf: URL(fileURLWithPath: path("cmc-2.der"))))
        for request in [cmcRequest(csr: csr, requestTag: 0xA1), [0x30, 0x03, 0x02, 0x01, 0x00]] {
            let r = try post(server, request)
            XCTAssertEqual(r.code, 200)
            let content = try verifiedContent(r.body, server: server)
            XCTAssertTrue(content.contains("INTEGER           :02"), "cMCStatus failed: \(content)")
        }
        XCTAssertEqual(try curl(server, "cacerts").code, 200, "still serving")
    }
}
