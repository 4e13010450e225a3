import COpenSSL

/// Makes fresh keys of one type through one `EVP_PKEY_CTX` initialised once (group or modulus size
/// set once). Owns the context; confined to the thread that uses it.
public final class KeyGenerator {
    public let type: KeyType
    private let ctx: OpaquePointer

    public init(type: KeyType) throws(PKIError) {
        self.type = type
        ctx = try sslCheck(EVP_PKEY_CTX_new_from_name(nil, type.openSSLAlgorithm, nil), "EVP_PKEY_CTX_new_from_name")
        // From here a throw runs deinit, which frees the context.
        try sslCheck(EVP_PKEY_keygen_init(ctx), "EVP_PKEY_keygen_init")
        if type.isEC {
            try sslCheck(EVP_PKEY_CTX_set_group_name(ctx, type.curveName), "EVP_PKEY_CTX_set_group_name")
        } else if type.isRSA {
            try sslCheck(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, type.rsaBits), "EVP_PKEY_CTX_set_rsa_keygen_bits")
        }
    }

    deinit { EVP_PKEY_CTX_free(ctx) }

    public func generate() throws(PKIError) -> PrivateKey {
        try PrivateKey(type: type, taking: generateRaw())
    }

    /// A bare `EVP_PKEY` the caller must free: the keygen ceiling in benchmarks.
    func generateRaw() throws(PKIError) -> OpaquePointer {
        var pkey: OpaquePointer?
        try sslCheck(EVP_PKEY_generate(ctx, &pkey), "EVP_PKEY_generate")
        return try sslCheck(pkey, "EVP_PKEY_generate")
    }
}
