import COpenSSL

/// OpenSSL as an independent judge: does `signature` over `message` verify with the key in
/// `publicKeyInfo` (d2i_PUBKEY, EVP_DigestVerify with SHA-256; Ed25519 with no digest)?
enum OpenSSLSignatureOracle {
    static func verify(signature: [UInt8], message: [UInt8], publicKeyInfo: [UInt8]) throws -> Bool {
        let key: OpaquePointer? = publicKeyInfo.withUnsafeBufferPointer { b in
            var cursor: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_PUBKEY(nil, &cursor, b.count)
        }
        guard let key else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let digest = EVP_PKEY_is_a(key, "ED25519") == 1 ? nil : EVP_sha256()
        guard EVP_DigestVerifyInit(context, nil, digest, nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }
}
