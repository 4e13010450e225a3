import DER
import PKI

/// A CMS SignedData (RFC 5652) with one signer and signed attributes (content type and message
/// digest), as CMC messages carry their content (RFC 5272): the device's Full PKI Request and the
/// built-in CA's Full PKI Response. Written with our DER writer; OpenSSL only hashes and signs.
public enum CMSSignedData {
    /// How the SignerInfo names its signer.
    public enum SignerIdentifier {
        /// `[0] subjectKeyIdentifier` (SignerInfo version 3): a signer without a certificate.
        case subjectKeyIdentifier([UInt8])
        /// `issuerAndSerialNumber` of the signer's certificate (SignerInfo version 1).
        case issuerAndSerialNumber(issuer: ArraySlice<UInt8>, serial: ArraySlice<UInt8>)
    }

    static let contentTypeAttribute = OID("1.2.840.113549.1.9.3")
    static let messageDigestAttribute = OID("1.2.840.113549.1.9.4")

    /// ContentInfo(SignedData) over `content` of `contentType`, signed by `signer`, carrying `certificates`.
    public static func encode(content: [UInt8], contentType: OID, signer: Signer, signerIdentifier: SignerIdentifier,
                              certificates: [ArraySlice<UInt8>] = []) throws(PKIError) -> [UInt8] {
        let (digestOID, digestName) = MessageDigest.algorithm(for: signer.scheme)
        let digest = try MessageDigest.hash(content, algorithm: digestName)
        var attributes = DERWriter(capacity: 128)
        attributes.setOf { set in
            set.sequence { $0.oid(contentTypeAttribute); $0.set { $0.oid(contentType) } }
            set.sequence { $0.oid(messageDigestAttribute); $0.set { $0.octetString(digest) } }
        }
        var signedAttributes = attributes.bytes
        let signature = try signer.signature(of: signedAttributes)
        // signedAttrs [0] IMPLICIT: the same encoding with the SET tag replaced.
        signedAttributes[0] = DERTag.context(0, constructed: true).rawValue

        var w = DERWriter(capacity: 1024 + content.count + certificates.reduce(0) { $0 + $1.count })
        w.sequence { ci in
            ci.oid(OIDs.signedData)
            ci.explicit(0) {
                $0.sequence { sd in
                    sd.integer(3)
                    sd.set { $0.sequence { $0.oid(digestOID) } }
                    sd.sequence { encap in
                        encap.oid(contentType)
                        encap.explicit(0) { $0.octetString(content) }
                    }
                    if !certificates.isEmpty { sd.implicitConstructed(0) { for c in certificates { $0.appendEncoded(c) } } }
                    sd.set { infos in
                        infos.sequence { si in
                            switch signerIdentifier {
                            case .subjectKeyIdentifier(let identifier):
                                si.integer(3)
                                si.implicitPrimitive(0, content: identifier)
                            case .issuerAndSerialNumber(let issuer, let serial):
                                si.integer(1)
                                si.sequence { sid in
                                    sid.appendEncoded(issuer)
                                    sid.primitive(.integer, content: serial)
                                }
                            }
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
}
