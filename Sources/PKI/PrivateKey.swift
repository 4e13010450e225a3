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
            publicKeyInfo = try PublicKeyInfo.encode(of: pkey, type: type)
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
    /// The DER SubjectPublicKeyInfo of `pkey`. EC keys, the fresh-key hot path, take one export into
    /// a stack buffer and one allocation: the bytes before the point are fixed per curve.
    static func encode(of pkey: OpaquePointer, type: KeyType) throws(PKIError) -> [UInt8] {
        guard type.isEC else {
            var w = DERWriter(capacity: type.isRSA ? 600 : 64)
            try append(of: pkey, type: type, to: &w)
            return w.bytes
        }
        let prefix = type == .p256 ? p256Prefix : p384Prefix
        let pointBytes = type.pointBytes
        var length = 0
        let spki = [UInt8](unsafeUninitializedCapacity: prefix.count + pointBytes) { out, count in
            for (i, byte) in prefix.enumerated() { out[i] = byte }
            let point = UnsafeMutableBufferPointer(rebasing: out[prefix.count...])
            if EVP_PKEY_get_octet_string_param(pkey, "encoded-pub-key", point.baseAddress, point.count, &length) == 1 {
                count = prefix.count + pointBytes
            }
        }
        guard !spki.isEmpty else {
            throw .openssl(operation: "EVP_PKEY_get_octet_string_param(encoded-pub-key)", errors: drainOpenSSLErrors())
        }
        guard length == pointBytes, spki[prefix.count] == 0x04 else {
            throw .invalidKeyMaterial(type, reason: "EC point of \(length) bytes is not uncompressed")
        }
        return spki
    }

    /// An EC SubjectPublicKeyInfo up to its point, encoded once by `appendEC`.
    static let p256Prefix = ecPrefix(.p256)
    static let p384Prefix = ecPrefix(.p384)

    private static func ecPrefix(_ type: KeyType) -> [UInt8] {
        var w = DERWriter(capacity: 128)
        appendEC(type: type, point: [UInt8](repeating: 0x04, count: type.pointBytes), to: &w)
        return Array(w.bytes.dropLast(type.pointBytes))
    }

    /// The uncompressed EC point at the end of an EC SubjectPublicKeyInfo made by `appendEC`.
    static func ecPoint(of publicKeyInfo: [UInt8], type: KeyType) -> ArraySlice<UInt8> {
        precondition(publicKeyInfo.count > type.pointBytes && publicKeyInfo[publicKeyInfo.count - type.pointBytes] == 0x04)
        return publicKeyInfo[(publicKeyInfo.count - type.pointBytes)...]
    }

    static func append(of pkey: OpaquePointer, type: KeyType, to w: inout DERWriter) throws(PKIError) {
        switch type {
        case .p256, .p384:
            w.appendEncoded(try encode(of: pkey, type: type))
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
