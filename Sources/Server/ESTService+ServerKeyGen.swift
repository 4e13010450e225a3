import DER
import EST
import PKI

/// serverkeygen (RFC 7030 4.4): the server makes the key pair, issues its certificate with the
/// requested subject and extensions, and returns the PKCS#8 key beside the certs-only certificate.
extension ESTService {
    func serverKeyGen(_ request: ServerRequest) -> ServerResponse {
        let der: [UInt8]
        switch csr(of: request) {
        case .der(let d): der = d
        case .refused(let r): return r
        }
        let view: CSRView
        do { view = try CSRView(der: der) } catch { return text(faultTemplates.badRequest, "CSR is not valid DER: \(error)\n") }
        if configuration.requireChannelBinding, let refusal = checkChannelBinding(view, request) { return refusal }
        do {
            // The request's own signature still proves the client holds its key (RFC 7030 4.4.1).
            _ = try verifier.verify(view)
        } catch {
            return text(faultTemplates.badRequest, "CSR refused: \(error)\n")
        }
        let issued: IssuedCertificate
        let key: PrivateKey
        do {
            (issued, key) = try issueForNewKeyReturningKey(subject: view.subject, attributes: view.attributes)
        } catch {
            return text(faultTemplates.internalError, "server key generation failed\n")
        }
        guard let pkcs8 = try? key.pkcs8() else { return text(faultTemplates.internalError, "key encoding failed\n") }
        var body: [UInt8] = []
        let boundary = ResponseTemplates.boundary
        body += Array("--\(boundary)\r\nContent-Type: \(ESTMediaType.pkcs8)\r\n\r\n".utf8)
        body += ESTBody.encode(pkcs8)
        body += Array("\r\n--\(boundary)\r\nContent-Type: \(ESTMediaType.certsOnly)\r\n\r\n".utf8)
        body += ESTBody.encode(issued.certsOnly)
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return ServerResponse(template: faultTemplates.serverKeyGen, body: body)
    }

    func issueForNewKey(subject: ArraySlice<UInt8>, attributes: ArraySlice<UInt8>) throws -> IssuedCertificate {
        try issueForNewKeyReturningKey(subject: subject, attributes: attributes).0
    }

    /// A fresh key, a CSR for it built here (subject and attributes copied), then normal issuance.
    func issueForNewKeyReturningKey(subject: ArraySlice<UInt8>, attributes: ArraySlice<UInt8>) throws -> (IssuedCertificate, PrivateKey) {
        let key = try serverKeyGenerator.generate()
        let signer = try Signer(key: key)
        var info = DERWriter(capacity: 512)
        info.sequence { w in
            w.integer(0)
            w.appendEncoded(subject)
            w.appendEncoded(key.publicKeyInfo)
            w.setOf(tag: .context(0, constructed: true)) { $0.appendEncoded(attributes) }
        }
        let signature = try info.withUnsafeBytes { bytes in
            Result { () throws(PKIError) -> [UInt8] in Array(try signer.sign(bytes)) }
        }.get()
        var csr = DERWriter(capacity: 768)
        csr.sequence { w in
            w.appendEncoded(info.bytes)
            w.appendEncoded(signer.scheme.algorithmIdentifier)
            w.bitString(signature)
        }
        return (try issuer.issue(csr: csr.bytes), key)
    }

    /// The default csrattrs (RFC 7030 4.5, RFC 8951 3.4): the key type and signature algorithm the
    /// CA wants, and challengePassword when channel binding is required.
    static func csrAttributes(for keyType: KeyType, channelBinding: Bool) -> [UInt8] {
        var w = DERWriter(capacity: 128)
        w.sequence { list in
            if channelBinding { list.oid(OIDs.challengePassword) }
            switch keyType {
            case .p256, .p384:
                list.sequence { a in
                    a.oid(OIDs.ecPublicKey)
                    a.set { $0.oid(keyType == .p256 ? OIDs.prime256v1 : OIDs.secp384r1) }
                }
                list.oid(keyType == .p256 ? OIDs.ecdsaWithSHA256 : OIDs.ecdsaWithSHA384)
            case .rsa2048, .rsa3072, .rsa4096:
                list.sequence { a in
                    a.oid(OIDs.rsaEncryption)
                    a.set { $0.integer(Int(keyType.rsaBits)) }
                }
                list.oid(OIDs.sha256WithRSAEncryption)
            case .ed25519:
                list.oid(OIDs.ed25519)
            }
        }
        return w.bytes
    }
}
