import DER
import PKI

/// A CMC Full PKI Request (RFC 5272, as RFC 7030 4.3 `fullcmc` sends it) for one PKCS#10 request:
/// ContentInfo(SignedData(id-cct-PKIData)) signed by the device key, the signer named by its
/// subject key identifier (a device has no certificate yet). Built with our DER writer; OpenSSL
/// only hashes and signs.
public enum CMCRequest {
    static let pkiData = OID("1.3.6.1.5.5.7.12.2")

    /// The request's DER: `csr` as TaggedCertificationRequest body part 1, signed with `signer`
    /// (whose key is the CSR's).
    public static func fullPKIRequest(csr: some Collection<UInt8>, signer: Signer) throws(PKIError) -> [UInt8] {
        var body = DERWriter(capacity: 1024)
        body.sequence { d in
            d.sequence { _ in }  // controlSequence
            d.sequence { requests in
                requests.implicitConstructed(0) { tagged in  // TaggedRequest: tcr [0] TaggedCertificationRequest
                    tagged.integer(1)  // bodyPartID
                    tagged.appendEncoded(Array(csr))
                }
            }
            d.sequence { _ in }  // cmsSequence
            d.sequence { _ in }  // otherMsgSequence
        }
        return try CMSSignedData.encode(content: body.bytes, contentType: pkiData, signer: signer,
                                        signerIdentifier: .subjectKeyIdentifier(try subjectKeyIdentifier(signer.key.publicKeyInfo)))
    }

    /// RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's value.
    static func subjectKeyIdentifier(_ publicKeyInfo: [UInt8]) throws(PKIError) -> [UInt8] {
        let bits: ArraySlice<UInt8>
        do {
            var spki = try DERReader.single(publicKeyInfo).children()
            try spki.skip(.sequence)
            bits = try spki.read(.bitString).bitString().bytes
        } catch {
            throw .invalidTemplate("public key info: \(error)")
        }
        return try MessageDigest.hash(Array(bits), algorithm: "SHA1")
    }
}
