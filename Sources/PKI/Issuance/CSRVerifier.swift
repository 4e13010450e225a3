import COpenSSL
import DER

/// Checks a CSR's proof of possession without `d2i_X509_REQ`: the public key is built from the raw
/// SubjectPublicKeyInfo bytes (EC point, RSA modulus and exponent, Ed25519 key), the signature over
/// the CertificationRequestInfo is verified with prefetched digests and contexts made once.
/// Owns its OpenSSL contexts and buffers; one per thread, confined to it.
public final class CSRVerifier {
    /// Hashes the CertificationRequestInfo (ECDSA, RSA).
    private let hasher: OpaquePointer
    /// One-shot DigestVerify for Ed25519, reset and re-initialised per key.
    private let ed25519Context: OpaquePointer
    private var p256: ECVerificationKey?
    private var p384: ECVerificationKey?
    /// fromdata-initialised contexts, made on first use.
    private var rsaImporter: OpaquePointer?
    private var ed25519Importer: OpaquePointer?
    /// DigestInfo prefix (PKCS#1 v1.5) followed by the digest.
    private var digestBuffer = [UInt8](repeating: 0, count: 128)
    /// Little-endian RSA modulus and exponent for OSSL_PARAM BIGNUMs.
    private var bigNumbers = [UInt8](repeating: 0, count: 1040)
    /// "n\0e\0pub\0": OSSL_PARAM keys that outlive the calls building the parameters.
    private let parameterNames: UnsafeMutableBufferPointer<CChar>

    private static let publicKeySelection = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)

    public init() throws(PKIError) {
        parameterNames = .allocate(capacity: 8)
        _ = parameterNames.initialize(from: "n\0e\0pub\0".utf8.map { CChar(bitPattern: $0) })
        var contexts: [OpaquePointer] = []
        do {
            for _ in 0..<2 { contexts.append(try sslCheck(EVP_MD_CTX_new(), "EVP_MD_CTX_new")) }
        } catch {
            contexts.forEach { EVP_MD_CTX_free($0) }
            parameterNames.deallocate()
            throw error
        }
        hasher = contexts[0]
        ed25519Context = contexts[1]
    }

    deinit {
        EVP_MD_CTX_free(hasher)
        EVP_MD_CTX_free(ed25519Context)
        if let rsaImporter { EVP_PKEY_CTX_free(rsaImporter) }
        if let ed25519Importer { EVP_PKEY_CTX_free(ed25519Importer) }
        parameterNames.deallocate()
    }

    /// Verifies `csr`'s signature with its own public key; returns the key's type.
    public func verify(_ csr: CSRView) throws(IssuanceError) -> KeyType {
        try verifiedKey(csr).keyType
    }

    /// The CSR's public key, once its signature is verified.
    func verifiedKey(_ csr: CSRView) throws(IssuanceError) -> SubjectPublicKey {
        guard csr.version == 0 else { throw .unsupportedCSRVersion(csr.version) }
        // CSRView's slices keep the input's indices: the octet before the signature is its unused-bit count.
        let unusedBits = csr.signature.startIndex - 1
        guard csr.encoded[unusedBits] == 0 else {
            throw .malformedCSR(.invalidValue(offset: unusedBits, type: .bitString, reason: "signature with unused bits"))
        }
        return try verified(message: csr.info, signature: csr.signature, algorithmIdentifier: csr.signatureAlgorithm,
                            publicKeyInfo: csr.publicKeyInfo)
    }

    /// Verifies `certificate`'s signature with its issuer's public key (a client checking that an
    /// issued certificate chains to the CA certificates it was given).
    public func verify(certificate: CertificateView, issuerPublicKeyInfo: ArraySlice<UInt8>) throws(IssuanceError) {
        _ = try verified(message: certificate.tbs, signature: certificate.signature, algorithmIdentifier: certificate.signatureAlgorithm,
                         publicKeyInfo: issuerPublicKeyInfo)
    }

    /// Verifies `signature` over `message` under `algorithmIdentifier` with `publicKeyInfo`'s key; returns the key.
    private func verified(message: ArraySlice<UInt8>, signature: ArraySlice<UInt8>, algorithmIdentifier: ArraySlice<UInt8>,
                          publicKeyInfo: ArraySlice<UInt8>) throws(IssuanceError) -> SubjectPublicKey {
        let key = try SubjectPublicKey(publicKeyInfo: publicKeyInfo)
        let algorithm = try CSRSignatureAlgorithm(algorithmIdentifier: algorithmIdentifier)
        guard algorithm.fits(key.keyType) else {
            throw .signatureAlgorithmMismatch(algorithm: algorithm.name, keyType: key.keyType)
        }
        guard !signature.isEmpty else { throw .signatureDoesNotVerify(algorithm: algorithm.name, openSSL: ["empty signature"]) }
        let rc: Int32
        switch (algorithm, key.material) {
        case (.ecdsa(let hash), .ec(let point)):
            let verifier = try ecKey(key.keyType)
            do {
                try sslCheck(verifier.setPublicKey(point), "EVP_PKEY_set1_encoded_public_key")
            } catch {
                throw .malformedPublicKey(reason: "\(key.keyType) point rejected: \(error)")
            }
            let length = try digest(message, hash, at: 0)
            rc = signature.withUnsafeBufferPointer { s in
                digestBuffer.withUnsafeBufferPointer { d in
                    verifier.verify(signature: s, digest: UnsafeBufferPointer(rebasing: d[0..<length]))
                }
            }
        case (.rsaPKCS1(let hash), .rsa(let modulus, let exponent)):
            let prefix = hash.digestInfoPrefix
            digestBuffer.withUnsafeMutableBufferPointer { b in
                for (i, byte) in prefix.enumerated() { b[i] = byte }
            }
            let length = try digest(message, hash, at: prefix.count) + prefix.count
            rc = try verifyRSA(modulus: modulus, exponent: exponent, signature: signature, digestLength: length, pss: false)
        case (.rsaPSSSHA256, .rsa(let modulus, let exponent)):
            let length = try digest(message, .sha256, at: 0)
            rc = try verifyRSA(modulus: modulus, exponent: exponent, signature: signature, digestLength: length, pss: true)
        case (.ed25519, .ed25519(let publicKey)):
            rc = try verifyEd25519(publicKey: publicKey, signature: signature, message: message)
        default:
            throw .signatureAlgorithmMismatch(algorithm: algorithm.name, keyType: key.keyType)
        }
        do {
            try sslCheck(rc, "signature verification")
        } catch {
            guard case .openssl(_, let errors) = error else { throw .internalFailure(error) }
            throw .signatureDoesNotVerify(algorithm: algorithm.name, openSSL: errors)
        }
        return key
    }

    // MARK: per algorithm

    private func ecKey(_ curve: KeyType) throws(IssuanceError) -> ECVerificationKey {
        if curve == .p256, let p256 { return p256 }
        if curve == .p384, let p384 { return p384 }
        let made: ECVerificationKey
        do { made = try ECVerificationKey(curve: curve) } catch { throw .internalFailure(error) }
        if curve == .p256 { p256 = made } else { p384 = made }
        return made
    }

    /// Hashes `message` into `digestBuffer` at `offset`; returns the digest length.
    private func digest(_ message: ArraySlice<UInt8>, _ hash: CSRSignatureAlgorithm.Hash, at offset: Int) throws(IssuanceError) -> Int {
        var length: UInt32 = 0
        try internalCheck(EVP_DigestInit_ex2(hasher, hash.digest.md, nil), "EVP_DigestInit_ex2")
        try internalCheck(message.withUnsafeBytes { EVP_DigestUpdate(hasher, $0.baseAddress, $0.count) }, "EVP_DigestUpdate")
        try internalCheck(digestBuffer.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(hasher, $0.baseAddress! + offset, &length) },
                          "EVP_DigestFinal_ex")
        return Int(length)
    }

    /// RSA needs a key object per CSR (OpenSSL cannot re-point one): imported through a reused
    /// fromdata context, verified through a fresh verify context against `digestBuffer`.
    private func verifyRSA(modulus: ArraySlice<UInt8>, exponent: ArraySlice<UInt8>, signature: ArraySlice<UInt8>,
                           digestLength: Int, pss: Bool) throws(IssuanceError) -> Int32 {
        let importer = try self.importer(&rsaImporter, "RSA")
        var made: OpaquePointer?
        let names = parameterNames.baseAddress!
        let imported = bigNumbers.withUnsafeMutableBufferPointer { b -> Int32 in
            var i = 0
            for byte in modulus.reversed() { b[i] = byte; i += 1 }
            let e = i
            for byte in exponent.reversed() { b[i] = byte; i += 1 }
            return withUnsafeTemporaryAllocation(of: OSSL_PARAM.self, capacity: 3) { params in
                params[0] = OSSL_PARAM_construct_BN(names, b.baseAddress!, modulus.count)
                params[1] = OSSL_PARAM_construct_BN(names + 2, b.baseAddress! + e, exponent.count)
                params[2] = OSSL_PARAM_construct_end()
                return EVP_PKEY_fromdata(importer, &made, CSRVerifier.publicKeySelection, params.baseAddress)
            }
        }
        let pkey = try importedKey(imported, made)
        defer { EVP_PKEY_free(pkey) }
        let ctx: OpaquePointer
        do { ctx = try sslCheck(EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil), "EVP_PKEY_CTX_new_from_pkey") } catch {
            throw .internalFailure(error)
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        try internalCheck(EVP_PKEY_verify_init(ctx), "EVP_PKEY_verify_init")
        if pss {
            let md = Digest.sha256.md
            try internalCheck(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
            try internalCheck(EVP_PKEY_CTX_set_signature_md(ctx, md), "EVP_PKEY_CTX_set_signature_md")
            try internalCheck(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md), "EVP_PKEY_CTX_set_rsa_mgf1_md")
            try internalCheck(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32), "EVP_PKEY_CTX_set_rsa_pss_saltlen")
        } else {
            // No signature digest on the context: the decrypted block is compared with our DigestInfo.
            try internalCheck(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
        }
        return signature.withUnsafeBufferPointer { s in
            digestBuffer.withUnsafeBufferPointer { d in
                EVP_PKEY_verify(ctx, s.baseAddress, s.count, d.baseAddress, digestLength)
            }
        }
    }

    /// Ed25519 cannot re-point a key either (the provider ignores a new public key on an existing
    /// one): imported per CSR through a reused fromdata context, verified by one-shot DigestVerify.
    private func verifyEd25519(publicKey: ArraySlice<UInt8>, signature: ArraySlice<UInt8>,
                               message: ArraySlice<UInt8>) throws(IssuanceError) -> Int32 {
        let importer = try self.importer(&ed25519Importer, "ED25519")
        var made: OpaquePointer?
        let names = parameterNames.baseAddress!
        let imported = publicKey.withUnsafeBytes { k in
            withUnsafeTemporaryAllocation(of: OSSL_PARAM.self, capacity: 2) { params -> Int32 in
                params[0] = OSSL_PARAM_construct_octet_string(names + 4, UnsafeMutableRawPointer(mutating: k.baseAddress), k.count)
                params[1] = OSSL_PARAM_construct_end()
                return EVP_PKEY_fromdata(importer, &made, CSRVerifier.publicKeySelection, params.baseAddress)
            }
        }
        let pkey = try importedKey(imported, made)
        defer { EVP_PKEY_free(pkey) }
        // Without a reset, DigestVerifyInit keeps the previous key's EVP_PKEY_CTX and ignores `pkey`.
        try internalCheck(EVP_MD_CTX_reset(ed25519Context), "EVP_MD_CTX_reset")
        try internalCheck(EVP_DigestVerifyInit_ex(ed25519Context, nil, nil, nil, nil, pkey, nil), "EVP_DigestVerifyInit_ex")
        return signature.withUnsafeBufferPointer { s in
            message.withUnsafeBufferPointer { m in
                EVP_DigestVerify(ed25519Context, s.baseAddress, s.count, m.baseAddress, m.count)
            }
        }
    }

    // MARK: helpers

    private func importer(_ slot: inout OpaquePointer?, _ algorithm: String) throws(IssuanceError) -> OpaquePointer {
        if let slot { return slot }
        do throws(PKIError) {
            let ctx = try sslCheck(EVP_PKEY_CTX_new_from_name(nil, algorithm, nil), "EVP_PKEY_CTX_new_from_name")
            do {
                try sslCheck(EVP_PKEY_fromdata_init(ctx), "EVP_PKEY_fromdata_init")
            } catch {
                EVP_PKEY_CTX_free(ctx)
                throw error
            }
            slot = ctx
            return ctx
        } catch {
            throw .internalFailure(error)
        }
    }

    private func importedKey(_ rc: Int32, _ made: OpaquePointer?) throws(IssuanceError) -> OpaquePointer {
        do {
            try sslCheck(rc, "EVP_PKEY_fromdata")
            return try sslCheck(made, "EVP_PKEY_fromdata")
        } catch {
            throw .malformedPublicKey(reason: "\(error)")
        }
    }

    @inline(__always)
    private func internalCheck(_ rc: Int32, _ operation: StaticString) throws(IssuanceError) {
        do { try sslCheck(rc, operation) } catch { throw .internalFailure(error) }
    }
}
