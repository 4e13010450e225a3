import COpenSSL

/// One curve's ECDSA verification key, made once and re-pointed per CSR: an `EVP_PKEY` holding the
/// group, whose public point is replaced in place (`EVP_PKEY_set1_encoded_public_key`), under one
/// verify-initialised `EVP_PKEY_CTX` that is reused. Importing a fresh key per CSR builds a new
/// EC_GROUP each time (about half an ECDSA verify on OpenSSL 3.0); replacing the point does not.
/// Owns both; confined to the thread of its `CSRVerifier`.
final class ECVerificationKey {
    let curve: KeyType
    private let pkey: OpaquePointer
    private let ctx: OpaquePointer

    init(curve: KeyType) throws(PKIError) {
        self.curve = curve
        let importer = try sslCheck(EVP_PKEY_CTX_new_from_name(nil, "EC", nil), "EVP_PKEY_CTX_new_from_name")
        defer { EVP_PKEY_CTX_free(importer) }
        try sslCheck(EVP_PKEY_fromdata_init(importer), "EVP_PKEY_fromdata_init")
        var made: OpaquePointer?
        let rc = "group".withCString { key in
            curve.curveName.withCString { name in
                withUnsafeTemporaryAllocation(of: OSSL_PARAM.self, capacity: 2) { params in
                    params[0] = OSSL_PARAM_construct_utf8_string(key, UnsafeMutablePointer(mutating: name), 0)
                    params[1] = OSSL_PARAM_construct_end()
                    return EVP_PKEY_fromdata(importer, &made, Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS), params.baseAddress)
                }
            }
        }
        try sslCheck(rc, "EVP_PKEY_fromdata(group)")
        let pkey = try sslCheck(made, "EVP_PKEY_fromdata(group)")
        let ctx: OpaquePointer
        do {
            ctx = try sslCheck(EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil), "EVP_PKEY_CTX_new_from_pkey")
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.pkey = pkey
        self.ctx = ctx
        // Every stored property is set: a throw from here runs deinit, which frees both.
        try sslCheck(EVP_PKEY_verify_init(ctx), "EVP_PKEY_verify_init")
    }

    deinit {
        EVP_PKEY_CTX_free(ctx)
        EVP_PKEY_free(pkey)
    }

    /// Replaces the public point (OpenSSL checks that it is on the curve); 1 on success.
    func setPublicKey(_ point: ArraySlice<UInt8>) -> Int32 {
        point.withUnsafeBufferPointer { EVP_PKEY_set1_encoded_public_key(pkey, $0.baseAddress, $0.count) }
    }

    /// ECDSA verification of a DER ECDSA-Sig-Value over `digest`: 1 verified, 0 or less not.
    func verify(signature: UnsafeBufferPointer<UInt8>, digest: UnsafeBufferPointer<UInt8>) -> Int32 {
        EVP_PKEY_verify(ctx, signature.baseAddress, signature.count, digest.baseAddress, digest.count)
    }
}
