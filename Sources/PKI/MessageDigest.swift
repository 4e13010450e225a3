import COpenSSL
import DER

/// One-shot message digests for CMS (the messageDigest signed attribute) — the algorithm a
/// signature scheme hashes with, and its OID.
public enum MessageDigest {
    /// The digest a CMS signer using `scheme` declares (Ed25519: SHA-512, RFC 8419).
    public static func algorithm(for scheme: SignatureScheme) -> (oid: OID, name: String) {
        switch scheme {
        case .ecdsaSHA384: return (OIDs.sha384, "SHA384")
        case .ed25519: return (OIDs.sha512, "SHA512")
        default: return (OIDs.sha256, "SHA256")
        }
    }

    public static func hash(_ bytes: [UInt8], algorithm name: String) throws(PKIError) -> [UInt8] {
        let md = name == "SHA512" ? Digest.sha512 : name == "SHA384" ? Digest.sha384 : name == "SHA1" ? Digest.sha1 : Digest.sha256
        var out = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        try sslCheck(EVP_Digest(bytes, bytes.count, &out, &length, md.md, nil), "EVP_Digest")
        return Array(out[0..<Int(length)])
    }
}
