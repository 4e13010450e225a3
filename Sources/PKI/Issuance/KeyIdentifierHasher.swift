import COpenSSL
import DER

/// Key identifiers as RFC 5280 4.2.1.2 method (1) makes them — SHA-1 of the subjectPublicKey bits —
/// through one reused `EVP_MD_CTX` and a prefetched SHA-1. Owns the context; confined to one thread.
final class KeyIdentifierHasher {
    static let length = 20
    private let ctx: OpaquePointer
    private var buffer = [UInt8](repeating: 0, count: 64)

    init() throws(PKIError) {
        ctx = try sslCheck(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
    }

    deinit { EVP_MD_CTX_free(ctx) }

    /// The identifier of a key given its BIT STRING bits; a view of the hasher's buffer, valid until the next call.
    func identifier(ofKeyBits bits: ArraySlice<UInt8>) throws(PKIError) -> ArraySlice<UInt8> {
        var length: UInt32 = 0
        try sslCheck(EVP_DigestInit_ex2(ctx, Digest.sha1.md, nil), "EVP_DigestInit_ex2")
        try sslCheck(bits.withUnsafeBytes { EVP_DigestUpdate(ctx, $0.baseAddress, $0.count) }, "EVP_DigestUpdate")
        try sslCheck(EVP_DigestFinal_ex(ctx, &buffer, &length), "EVP_DigestFinal_ex")
        return buffer[0..<Int(length)]
    }

    /// The identifier of a complete SubjectPublicKeyInfo (CA setup, not the hot path).
    func identifier(ofPublicKeyInfo spki: ArraySlice<UInt8>) throws(PKIError) -> [UInt8] {
        let bits: ArraySlice<UInt8>
        do {
            var fields = try DERReader.single(spki).children()
            try fields.skip(.sequence)
            bits = try fields.read().bitString().bytes
        } catch {
            throw .malformed(what: "SubjectPublicKeyInfo", error)
        }
        return Array(try identifier(ofKeyBits: bits))
    }
}
