import DER
import PKI

/// A CMC Full PKI Request (RFC 5272, as RFC 7030 4.3 `fullcmc` sends it) for one PKCS#10 request:
/// ContentInfo(SignedData(id-cct-PKIData)) signed by the device key, the signer named by its
/// subject key identifier (a device has no certificate yet). Built with our DER writer; OpenSSL
/// only hashes and signs.
public enum CMCRequest {
    static let pkiData = OID("1.3.6.1.5.5.7.12.2")
    static let contentTypeAttribute = OID("1.2.840.113549.1.9.3")
    static let messageDigestAttribute = OID("1.2.840.113549.1.9.4")

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
        let content = body.bytes
        let (digestOID, digestName) = MessageDigest.algorithm(for: signer.scheme)
        let digest = try MessageDigest.hash(content, algorithm: digestName)
        var attributes = DERWriter(capacity: 128)
        attributes.setOf { set in
            set.sequence { $0.oid(contentTypeAttribute); $0.set { $0.oid(CMCRequest.pkiData) } }
            set.sequence { $0.oid(messageDigestAttribute); $0.set { $0.octetString(digest) } }
        }
        var signedAttributes = attributes.bytes
        let signature = try signer.signature(of: signedAttributes)
        // signedAttrs [0] IMPLICIT: the same encoding with the SET tag replaced.
        signedAttributes[0] = DERTag.context(0, constructed: true).rawValue
        let keyIdentifier = try subjectKeyIdentifier(signer.key.publicKeyInfo)

        var w = DERWriter(capacity: 2048)
        w.sequence { ci in
            ci.oid(OIDs.signedData)
            ci.explicit(0) {
                $0.sequence { sd in
                    sd.integer(3)
                    sd.set { $0.sequence { $0.oid(digestOID) } }
                    sd.sequence { encap in
                        encap.oid(CMCRequest.pkiData)
                        encap.explicit(0) { $0.octetString(content) }
                    }
                    sd.set { infos in
                        infos.sequence { si in
                            si.integer(3)  // sid is a subjectKeyIdentifier
                            si.implicitPrimitive(0, content: keyIdentifier)
                            si.sequence { $0.oid(digestOID) }
                            si.appendEncoded(signedAttributes)
                            si.appendEncoded(signer.scheme.algorithmIdentifier)
                            si.octetString(signature)
                        }
                    }
                }
            }
        }
        return w.bytes
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
