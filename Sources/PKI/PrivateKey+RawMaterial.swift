import COpenSSL
import COpenSSLShims
import DER

/// Private keys as raw key material — the form pool files store, because it loads with
/// `EVP_PKEY_fromdata` / `EVP_PKEY_new_raw_private_key` far faster than PEM or PKCS#8 decoding.
///
/// Layouts: EC: private scalar (32 or 48 bytes) then the uncompressed public point;
/// Ed25519: the 32-byte private key then the 32-byte public key; RSA: n, e, d, p, q, dP, dQ, qInv, each as a 2-byte
/// big-endian length followed by the big-endian magnitude.
extension PrivateKey {
    static let rsaParameterNames = ["n", "e", "d", "rsa-factor1", "rsa-factor2",
                                    "rsa-exponent1", "rsa-exponent2", "rsa-coefficient1"]

    /// Appends this key's raw material to `out`.
    public func appendRawKeyMaterial(to out: inout [UInt8]) throws(PKIError) {
        switch type {
        case .p256, .p384:
            out.append(contentsOf: try BigNumber.param(pkey, "priv", padTo: type.scalarBytes))
            // The point is already in the SubjectPublicKeyInfo: a second export would cost a second
            // field inversion (OpenSSL 3.0 keeps EC public points in Jacobian form).
            out.append(contentsOf: PublicKeyInfo.ecPoint(of: publicKeyInfo, type: type))
        case .ed25519:
            var raw = [UInt8](repeating: 0, count: 32)
            var length = 32
            try sslCheck(EVP_PKEY_get_raw_private_key(pkey, &raw, &length), "EVP_PKEY_get_raw_private_key")
            out.append(contentsOf: raw[0..<length])
            length = 32
            try sslCheck(EVP_PKEY_get_raw_public_key(pkey, &raw, &length), "EVP_PKEY_get_raw_public_key")
            out.append(contentsOf: raw[0..<length])
        case .rsa2048, .rsa3072, .rsa4096:
            for name in PrivateKey.rsaParameterNames {
                let value = try BigNumber.param(pkey, name)
                out.append(UInt8(value.count >> 8))
                out.append(UInt8(value.count & 0xFF))
                out.append(contentsOf: value)
            }
        }
    }

    public func rawKeyMaterial() throws(PKIError) -> [UInt8] {
        var out: [UInt8] = []
        try appendRawKeyMaterial(to: &out)
        return out
    }
}

/// Rebuilds `PrivateKey`s from raw key material through one reused `EVP_PKEY_CTX` (fromdata).
/// The public half comes from the material itself (OpenSSL is not asked to derive or export it),
/// and the SubjectPublicKeyInfo is built from it by our DER: that is what makes loading fast, and
/// what lets a pool check each key against its CSR without a signature. Owns the context;
/// confined to one thread.
public final class KeyLoader {
    public let type: KeyType
    private let ctx: OpaquePointer

    public init(type: KeyType) throws(PKIError) {
        self.type = type
        let c = try sslCheck(EVP_PKEY_CTX_new_from_name(nil, type.openSSLAlgorithm, nil), "EVP_PKEY_CTX_new_from_name")
        do {
            try sslCheck(EVP_PKEY_fromdata_init(c), "EVP_PKEY_fromdata_init")
        } catch {
            EVP_PKEY_CTX_free(c)
            throw error
        }
        ctx = c
    }

    deinit { EVP_PKEY_CTX_free(ctx) }

    public func load(_ material: some Collection<UInt8>) throws(PKIError) -> PrivateKey {
        let bytes = Array(material)
        switch type {
        case .ed25519:
            guard bytes.count == 64 else { throw .invalidKeyMaterial(type, reason: "\(bytes.count) bytes, expected 64") }
            var spki = DERWriter(capacity: 64)
            PublicKeyInfo.appendEd25519(publicKey: bytes[32...], to: &spki)
            return try fromdata([
                ("priv", .octetString, Array(bytes[0..<32])),
                ("pub", .octetString, Array(bytes[32...])),
            ], publicKeyInfo: spki.bytes)
        case .p256, .p384:
            let expected = type.scalarBytes + type.pointBytes
            guard bytes.count == expected else {
                throw .invalidKeyMaterial(type, reason: "\(bytes.count) bytes, expected \(expected)")
            }
            let point = bytes[type.scalarBytes...]
            guard point.first == 0x04 else { throw .invalidKeyMaterial(type, reason: "EC point is not uncompressed") }
            var spki = DERWriter(capacity: 128)
            PublicKeyInfo.appendEC(type: type, point: point, to: &spki)
            // OSSL_PARAM BIGNUMs are native-endian (little-endian here).
            return try fromdata([
                ("group", .utf8String, Array(type.curveName.utf8)),
                ("pub", .octetString, Array(point)),
                ("priv", .bigNumber, bytes[0..<type.scalarBytes].reversed()),
            ], publicKeyInfo: spki.bytes)
        case .rsa2048, .rsa3072, .rsa4096:
            var fields: [(String, ParamKind, [UInt8])] = []
            var i = 0
            for name in PrivateKey.rsaParameterNames {
                guard i + 2 <= bytes.count else { throw .invalidKeyMaterial(type, reason: "truncated before \(name)") }
                let n = Int(bytes[i]) << 8 | Int(bytes[i + 1])
                i += 2
                guard n > 0, i + n <= bytes.count else { throw .invalidKeyMaterial(type, reason: "truncated in \(name)") }
                fields.append((name, .bigNumber, bytes[i..<(i + n)].reversed()))
                i += n
            }
            guard i == bytes.count else { throw .invalidKeyMaterial(type, reason: "\(bytes.count - i) extra bytes") }
            guard fields[0].2.count * 8 == Int(type.rsaBits) else {
                throw .invalidKeyMaterial(type, reason: "modulus of \(fields[0].2.count * 8) bits")
            }
            var spki = DERWriter(capacity: 600)
            PublicKeyInfo.appendRSA(modulus: fields[0].2.reversed(), exponent: fields[1].2.reversed(), to: &spki)
            return try fromdata(fields, publicKeyInfo: spki.bytes)
        }
    }

    enum ParamKind { case utf8String, octetString, bigNumber }

    /// Lays names and values out in one buffer that stays alive across `EVP_PKEY_fromdata`
    /// (OSSL_PARAM keeps pointers), then wipes it.
    private func fromdata(_ fields: [(String, ParamKind, [UInt8])], publicKeyInfo: [UInt8]) throws(PKIError) -> PrivateKey {
        var buffer: [UInt8] = []
        var offsets: [(name: Int, value: Int)] = []
        for (name, _, value) in fields {
            let n = buffer.count
            buffer.append(contentsOf: name.utf8)
            buffer.append(0)
            let v = buffer.count
            buffer.append(contentsOf: value)
            buffer.append(0)
            offsets.append((n, v))
        }
        defer { buffer.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        let result = buffer.withUnsafeMutableBytes { raw -> Result<OpaquePointer, PKIError> in
            var params: [OSSL_PARAM] = []
            for (k, (_, kind, value)) in fields.enumerated() {
                let key = (raw.baseAddress! + offsets[k].name).assumingMemoryBound(to: CChar.self)
                let data = raw.baseAddress! + offsets[k].value
                switch kind {
                case .utf8String:
                    params.append(OSSL_PARAM_construct_utf8_string(key, data.assumingMemoryBound(to: CChar.self), value.count))
                case .octetString:
                    params.append(OSSL_PARAM_construct_octet_string(key, data, value.count))
                case .bigNumber:
                    params.append(OSSL_PARAM_construct_BN(key, data.assumingMemoryBound(to: UInt8.self), value.count))
                }
            }
            params.append(OSSL_PARAM_construct_end())
            var pkey: OpaquePointer?
            guard EVP_PKEY_fromdata(ctx, &pkey, COpenSSLShims_EVP_PKEY_KEYPAIR, &params) == 1, let pkey else {
                return .failure(.openssl(operation: "EVP_PKEY_fromdata", errors: drainOpenSSLErrors()))
            }
            return .success(pkey)
        }
        return PrivateKey(type: type, taking: try result.get(), publicKeyInfo: publicKeyInfo)
    }
}
