import COpenSSL
import XCTest

/// OpenSSL as an independent judge of what PKI produces (tests only).
enum OpenSSLOracle {
    /// `d2i_X509_REQ` + `X509_REQ_verify` with the CSR's own public key.
    static func verifyCSR(_ der: [UInt8]) -> Bool {
        der.withUnsafeBufferPointer { buffer -> Bool in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let req = d2i_X509_REQ(nil, &p, buffer.count) else { return false }
            defer { X509_REQ_free(req) }
            guard p == buffer.baseAddress! + buffer.count else { return false }
            guard let key = X509_REQ_get0_pubkey(req) else { return false }
            return X509_REQ_verify(req, key) == 1
        }
    }

    /// The one-line subject OpenSSL prints (`X509_NAME_oneline`), e.g. "/CN=device-7/O=Example".
    static func subjectLine(_ der: [UInt8]) -> String? {
        der.withUnsafeBufferPointer { buffer -> String? in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let req = d2i_X509_REQ(nil, &p, buffer.count) else { return nil }
            defer { X509_REQ_free(req) }
            var line = [CChar](repeating: 0, count: 512)
            guard X509_NAME_oneline(X509_REQ_get_subject_name(req), &line, 512) != nil else { return nil }
            return String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The SubjectPublicKeyInfo as OpenSSL re-encodes it (`i2d_X509_PUBKEY`).
    static func publicKeyInfo(ofCSR der: [UInt8]) -> [UInt8]? {
        der.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let req = d2i_X509_REQ(nil, &p, buffer.count) else { return nil }
            defer { X509_REQ_free(req) }
            guard let key = X509_REQ_get0_pubkey(req) else { return nil }
            let n = i2d_PUBKEY(key, nil)
            guard n > 0 else { return nil }
            var out = [UInt8](repeating: 0, count: Int(n))
            out.withUnsafeMutableBufferPointer { o in
                var q: UnsafeMutablePointer<UInt8>? = o.baseAddress
                _ = i2d_PUBKEY(key, &q)
            }
            return out
        }
    }

    /// The SubjectPublicKeyInfo OpenSSL encodes for a key it holds (`i2d_PUBKEY`).
    static func publicKeyInfo(of pkey: OpaquePointer) -> [UInt8]? {
        let n = i2d_PUBKEY(pkey, nil)
        guard n > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(n))
        out.withUnsafeMutableBufferPointer { o in
            var q: UnsafeMutablePointer<UInt8>? = o.baseAddress
            _ = i2d_PUBKEY(pkey, &q)
        }
        return out
    }

    /// The uncompressed public point of an EC key recomputed from its private scalar (priv x G),
    /// independently of the public key the key object carries.
    static func ecPointDerivedFromPrivateScalar(of pkey: OpaquePointer, curve: Int32) -> [UInt8]? {
        var priv: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, "priv", &priv) == 1, let priv else { return nil }
        defer { BN_clear_free(priv) }
        guard let group = EC_GROUP_new_by_curve_name(curve) else { return nil }
        defer { EC_GROUP_free(group) }
        guard let point = EC_POINT_new(group) else { return nil }
        defer { EC_POINT_free(point) }
        guard EC_POINT_mul(group, point, priv, nil, nil, nil) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 133)
        let n = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &out, out.count, nil)
        return n > 0 ? Array(out[0..<n]) : nil
    }
}
