import COpenSSL
import DER

/// A private key: an OpenSSL `EVP_PKEY` plus its SubjectPublicKeyInfo, built by our DER from the raw
/// public key material. Owns the `EVP_PKEY` and frees it in `deinit`; never modified after creation,
/// so it may be read from any thread (OpenSSL 3 allows concurrent use of an unmodified EVP_PKEY).
public final class PrivateKey: @unchecked Sendable {
    public let type: KeyType
    let pkey: OpaquePointer
    /// DER SubjectPublicKeyInfo, as it appears in CSRs and certificates.
    public let publicKeyInfo: [UInt8]

    /// Takes ownership of `pkey` (freed even when this initializer throws).
    init(type: KeyType, taking pkey: OpaquePointer) throws(PKIError) {
        self.type = type
        self.pkey = pkey
        do {
            var w = DERWriter(capacity: type.isRSA ? 600 : 128)
            try PublicKeyInfo.append(of: pkey, type: type, to: &w)
            publicKeyInfo = w.bytes
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    /// Takes ownership of `pkey` whose public key is already known as `publicKeyInfo`.
    init(type: KeyType, taking pkey: OpaquePointer, publicKeyInfo: [UInt8]) {
        self.type = type
        self.pkey = pkey
        self.publicKeyInfo = publicKeyInfo
    }

    deinit { EVP_PKEY_free(pkey) }

    /// The `EVP_PKEY` for the TLS module (SSL_CTX_use_PrivateKey); still owned by this object.
    @_spi(OpenSSL) public var evpPKey: OpaquePointer { pkey }

    /// Size in bytes of the largest signature this key makes.
    var maxSignatureSize: Int { Int(EVP_PKEY_get_size(pkey)) }
}

/// SubjectPublicKeyInfo (RFC 5280 4.1.2.7) from raw key material: EC point, RSA modulus and
/// exponent, Ed25519 raw key — never through `i2d_PUBKEY`.
enum PublicKeyInfo {
    static func append(of pkey: OpaquePointer, type: KeyType, to w: inout DERWriter) throws(PKIError) {
        switch type {
        case .p256, .p384:
            var point = [UInt8](repeating: 0, count: 133)
            var length = 0
            try sslCheck(EVP_PKEY_get_octet_string_param(pkey, "encoded-pub-key", &point, point.count, &length),
                         "EVP_PKEY_get_octet_string_param(encoded-pub-key)")
            guard length == type.pointBytes, point[0] == 0x04 else {
                throw .invalidKeyMaterial(type, reason: "EC point of \(length) bytes is not uncompressed")
            }
            appendEC(type: type, point: point[0..<length], to: &w)
        case .ed25519:
            var raw = [UInt8](repeating: 0, count: 32)
            var length = 32
            try sslCheck(EVP_PKEY_get_raw_public_key(pkey, &raw, &length), "EVP_PKEY_get_raw_public_key")
            appendEd25519(publicKey: raw[0..<length], to: &w)
        case .rsa2048, .rsa3072, .rsa4096:
            let n = try BigNumber.param(pkey, "n")
            let e = try BigNumber.param(pkey, "e")
            appendRSA(modulus: n, exponent: e, to: &w)
        }
    }

    static func appendEC(type: KeyType, point: some Collection<UInt8>, to w: inout DERWriter) {
        w.sequence { s in
            s.sequence { a in
                a.oid(OIDs.ecPublicKey)
                a.oid(type == .p256 ? OIDs.prime256v1 : OIDs.secp384r1)
            }
            s.bitString(point)
        }
    }

    static func appendEd25519(publicKey: some Collection<UInt8>, to w: inout DERWriter) {
        w.sequence { s in
            s.sequence { $0.oid(OIDs.ed25519) }
            s.bitString(publicKey)
        }
    }

    static func appendRSA(modulus: [UInt8], exponent: [UInt8], to w: inout DERWriter) {
        w.sequence { s in
            s.sequence { a in
                a.oid(OIDs.rsaEncryption)
                a.null()
            }
            s.bitStringWrapping { b in
                b.sequence { k in
                    k.integer(unsignedBigEndian: modulus)
                    k.integer(unsignedBigEndian: exponent)
                }
            }
        }
    }
}

/// Big-endian bytes of an `EVP_PKEY` BIGNUM parameter (the BIGNUM is freed before returning).
enum BigNumber {
    static func param(_ pkey: OpaquePointer, _ name: String, padTo width: Int = 0) throws(PKIError) -> [UInt8] {
        var bn: OpaquePointer?
        try sslCheck(EVP_PKEY_get_bn_param(pkey, name, &bn), "EVP_PKEY_get_bn_param")
        guard let bn else { throw .openssl(operation: "EVP_PKEY_get_bn_param(\(name))", errors: []) }
        defer { BN_clear_free(bn) }
        let size = max(width, (Int(BN_num_bits(bn)) + 7) / 8)
        var out = [UInt8](repeating: 0, count: size)
        guard BN_bn2binpad(bn, &out, Int32(size)) == Int32(size) else {
            throw .openssl(operation: "BN_bn2binpad(\(name))", errors: drainOpenSSLErrors())
        }
        return out
    }
}
