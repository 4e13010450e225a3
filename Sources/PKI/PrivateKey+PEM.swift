import COpenSSL

/// Private keys from PEM files (PKCS#8 or traditional), as users hand them to the command line.
/// Not on any hot path: PEM decoding costs about a millisecond per key on OpenSSL 3.0.
extension PrivateKey {
    public static func load(pemFile path: String) throws(PKIError) -> PrivateKey {
        guard let bio = BIO_new_file(path, "r") else {
            throw .invalidTemplate("cannot read key file \(path): \(drainOpenSSLErrors().joined(separator: "; "))")
        }
        defer { BIO_free(bio) }
        guard let pkey = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw .invalidTemplate("\(path) holds no PEM private key: \(drainOpenSSLErrors().joined(separator: "; "))")
        }
        let type: KeyType
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 {
            type = .ed25519
        } else if EVP_PKEY_is_a(pkey, "RSA") == 1, let t = KeyType.allCases.first(where: { $0.rsaBits == EVP_PKEY_get_bits(pkey) }) {
            type = t
        } else if EVP_PKEY_is_a(pkey, "EC") == 1, EVP_PKEY_get_bits(pkey) == 256 || EVP_PKEY_get_bits(pkey) == 384 {
            type = EVP_PKEY_get_bits(pkey) == 256 ? .p256 : .p384
        } else {
            EVP_PKEY_free(pkey)
            throw .invalidTemplate("\(path): key type not supported; allowed: \(KeyType.allowedNames)")
        }
        return try PrivateKey(type: type, taking: pkey)
    }
}
