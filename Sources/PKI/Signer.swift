import COpenSSL
import DER

/// Signs messages through contexts made once: a sign-initialised `EVP_PKEY_CTX` (padding and digest
/// set once per key) plus a reused `EVP_MD_CTX` for hashing; Ed25519 uses one `EVP_MD_CTX` set up for
/// one-shot DigestSign. `switchKey(to:)` moves it to another key of the same type, so a fresh key
/// per CSR costs only that key's signing context. Owns both contexts and a signature buffer;
/// confined to one thread.
public final class Signer {
    public private(set) var key: PrivateKey
    public let scheme: SignatureScheme
    private var pkeyCtx: OpaquePointer?
    private let mdCtx: OpaquePointer
    private let digest: Digest?
    private var digestBuffer = [UInt8](repeating: 0, count: 64)
    private var signatureBuffer: [UInt8]

    public init(key: PrivateKey, scheme: SignatureScheme? = nil) throws(PKIError) {
        let scheme = scheme ?? key.type.defaultSignature
        guard scheme.isCompatible(with: key.type) else {
            throw .invalidTemplate("signature \(scheme.rawValue) cannot be made with a \(key.type) key")
        }
        self.key = key
        self.scheme = scheme
        signatureBuffer = [UInt8](repeating: 0, count: key.maxSignatureSize)
        digest = scheme.digestName.map { $0 == "SHA256" ? Digest.sha256 : Digest.sha384 }
        mdCtx = try sslCheck(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        pkeyCtx = nil
        // Every stored property is set: a throw from here runs deinit, which frees the contexts.
        try attach(key)
    }

    deinit {
        if let pkeyCtx { EVP_PKEY_CTX_free(pkeyCtx) }
        EVP_MD_CTX_free(mdCtx)
    }

    /// Signs with `key` from now on (same key type as before); the digest context and the buffers
    /// are kept. A key of another type is refused and changes nothing; after a failed OpenSSL step
    /// the signer's calls fail until a later switch succeeds.
    public func switchKey(to key: PrivateKey) throws(PKIError) {
        guard key.type == self.key.type else {
            throw .invalidTemplate("a \(self.key.type) signer cannot switch to a \(key.type) key")
        }
        if let pkeyCtx {
            EVP_PKEY_CTX_free(pkeyCtx)
            self.pkeyCtx = nil
        }
        self.key = key
        if signatureBuffer.count < key.maxSignatureSize {
            signatureBuffer = [UInt8](repeating: 0, count: key.maxSignatureSize)
        }
        try attach(key)
    }

    /// Makes `key`'s signing context: Ed25519 re-initialises the digest context; the others get a
    /// sign-initialised `EVP_PKEY_CTX` with padding and digest set.
    private func attach(_ key: PrivateKey) throws(PKIError) {
        if scheme == .ed25519 {
            // A reset first: re-initialising a DigestSign context would keep its old key's context.
            try sslCheck(EVP_MD_CTX_reset(mdCtx), "EVP_MD_CTX_reset")
            try sslCheck(EVP_DigestSignInit_ex(mdCtx, nil, nil, nil, nil, key.pkey, nil), "EVP_DigestSignInit_ex")
            return
        }
        let ctx = try sslCheck(EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil), "EVP_PKEY_CTX_new_from_pkey")
        // Stored at once: deinit or the next switch frees it, also after a throw below.
        pkeyCtx = ctx
        try sslCheck(EVP_PKEY_sign_init(ctx), "EVP_PKEY_sign_init")
        let md = digest!.md
        try sslCheck(EVP_PKEY_CTX_set_signature_md(ctx, md), "EVP_PKEY_CTX_set_signature_md")
        if key.type.isRSA {
            if scheme == .rsaPSSSHA256 {
                try sslCheck(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
                try sslCheck(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md), "EVP_PKEY_CTX_set_rsa_mgf1_md")
                try sslCheck(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32), "EVP_PKEY_CTX_set_rsa_pss_saltlen")
            } else {
                try sslCheck(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
            }
        }
    }

    /// Signs `message`; the signature is a view of the signer's buffer, valid until the next call.
    public func sign(_ message: UnsafeRawBufferPointer) throws(PKIError) -> ArraySlice<UInt8> {
        let length = try signInPlace(message)
        return signatureBuffer[0..<length]
    }

    /// Signs `message`; the signature is returned as a new array.
    public func signature(of message: [UInt8]) throws(PKIError) -> [UInt8] {
        let length = try message.withUnsafeBytes { m in
            Result { () throws(PKIError) -> Int in try signInPlace(m) }
        }.get()
        return Array(signatureBuffer[0..<length])
    }

    /// Hashes then signs into `signatureBuffer`; returns the signature length.
    private func signInPlace(_ message: UnsafeRawBufferPointer) throws(PKIError) -> Int {
        var sigLength = signatureBuffer.count
        if let pkeyCtx, let digest {
            var digestLength: UInt32 = 0
            try sslCheck(EVP_DigestInit_ex2(mdCtx, digest.md, nil), "EVP_DigestInit_ex2")
            try sslCheck(EVP_DigestUpdate(mdCtx, message.baseAddress, message.count), "EVP_DigestUpdate")
            try sslCheck(EVP_DigestFinal_ex(mdCtx, &digestBuffer, &digestLength), "EVP_DigestFinal_ex")
            try sslCheck(EVP_PKEY_sign(pkeyCtx, &signatureBuffer, &sigLength, digestBuffer, Int(digestLength)),
                         "EVP_PKEY_sign")
        } else {
            try sslCheck(EVP_DigestSign(mdCtx, &signatureBuffer, &sigLength,
                                        message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count),
                         "EVP_DigestSign")
        }
        return sigLength
    }

    /// The raw-signature baseline of benchmarks: sign an already computed digest (Ed25519: a
    /// 32-byte message); returns the signature length.
    public func rawSign(digest input: [UInt8]) throws(PKIError) -> Int {
        var sigLength = signatureBuffer.count
        if let pkeyCtx {
            try sslCheck(EVP_PKEY_sign(pkeyCtx, &signatureBuffer, &sigLength, input, input.count), "EVP_PKEY_sign")
        } else {
            try sslCheck(EVP_DigestSign(mdCtx, &signatureBuffer, &sigLength, input, input.count), "EVP_DigestSign")
        }
        return sigLength
    }
}

/// A message digest fetched once per process (`EVP_MD_fetch`) and shared read-only by all threads.
final class Digest: @unchecked Sendable {
    let md: OpaquePointer

    private init(_ name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else {
            preconditionFailure("OpenSSL has no \(name): \(drainOpenSSLErrors())")
        }
        self.md = md
    }

    static let sha256 = Digest("SHA256")
    static let sha384 = Digest("SHA384")
    static let sha512 = Digest("SHA512")
    /// For key identifiers (RFC 5280 4.2.1.2), not for signatures.
    static let sha1 = Digest("SHA1")
}
