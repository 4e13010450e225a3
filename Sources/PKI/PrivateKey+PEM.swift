import COpenSSL

/// Private keys from PEM files (PKCS#8 or traditional), as users hand them to the command line,
/// and from DER (a `serverkeygen` answer). Not on any hot path: OpenSSL 3.0's decoders cost about
/// a millisecond per key.
extension PrivateKey {
    public static func load(pemFile path: String) throws(PKIError) -> PrivateKey {
        guard let bio = BIO_new_file(path, "r") else {
            throw .invalidTemplate("cannot read key file \(path): \(drainOpenSSLErrors().joined(separator: "; "))")
        }
        defer { BIO_free(bio) }
        guard let pkey = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw .invalidTemplate("\(path) holds no PEM private key: \(drainOpenSSLErrors().joined(separator: "; "))")
        }
        return try adopting(pkey, what: path)
    }

    /// A DER private key: PKCS#8, or the traditional PKCS#1 (RSA) / SEC1 (EC) forms.
    public static func load(der: some Collection<UInt8>) throws(PKIError) -> PrivateKey {
        let bytes = Array(der)
        let decoded: OpaquePointer? = bytes.withUnsafeBufferPointer { b in
            var cursor: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, b.count)
        }
        guard let pkey = decoded else {
            throw .invalidTemplate("not a DER private key: \(drainOpenSSLErrors().joined(separator: "; "))")
        }
        return try adopting(pkey, what: "the DER key")
    }

    /// Takes `pkey` as one of estbench's key types (freed when it is none of them).
    private static func adopting(_ pkey: OpaquePointer, what: String) throws(PKIError) -> PrivateKey {
        let type: KeyType
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 {
            type = .ed25519
        } else if EVP_PKEY_is_a(pkey, "RSA") == 1, let t = KeyType.allCases.first(where: { $0.rsaBits == EVP_PKEY_get_bits(pkey) }) {
            type = t
        } else if EVP_PKEY_is_a(pkey, "EC") == 1, EVP_PKEY_get_bits(pkey) == 256 || EVP_PKEY_get_bits(pkey) == 384 {
            type = EVP_PKEY_get_bits(pkey) == 256 ? .p256 : .p384
        } else {
            EVP_PKEY_free(pkey)
            throw .invalidTemplate("\(what): key type not supported; allowed: \(KeyType.allowedNames)")
        }
        return try PrivateKey(type: type, taking: pkey)
    }
}
