import COpenSSL
import COpenSSLShims

/// OpenSSL's straightforward issuance path, the way most CA code is written: `d2i_X509_REQ`,
/// `X509_REQ_verify`, `X509_new` and its setters, the same extensions through `X509V3_EXT_conf_nid`
/// (subjectAltName copied from the request), `X509_sign`, then a PKCS7 certs-only wrap and
/// `i2d_PKCS7`. The baseline `bench issue` measures our path against. Owns the parsed CA
/// certificate; confined to one thread.
final class OpenSSLIssuanceBaseline {
    private let caCertificate: OpaquePointer
    private let caKey: PrivateKey
    private let validityDays: Int
    private let serialPrefix: UInt64
    private var counter: UInt64 = 0

    init(caCertificate der: [UInt8], caKey: PrivateKey, validityDays: Int = 30) throws(PKIError) {
        caCertificate = try OpenSSLIssuanceBaseline.parse(der, "d2i_X509") { d2i_X509(nil, &$0, $1) }
        self.caKey = caKey
        self.validityDays = validityDays
        serialPrefix = UInt64(UInt32.random(in: 0x4000_0000...0x7FFF_FFFF)) << 32
    }

    deinit { X509_free(caCertificate) }

    /// One enrollment: returns the certs-only PKCS#7 DER holding the issued certificate.
    func issue(csr: [UInt8]) throws(PKIError) -> [UInt8] {
        let req = try OpenSSLIssuanceBaseline.parse(csr, "d2i_X509_REQ") { d2i_X509_REQ(nil, &$0, $1) }
        defer { X509_REQ_free(req) }
        let publicKey = try sslCheck(X509_REQ_get0_pubkey(req), "X509_REQ_get0_pubkey")
        try sslCheck(X509_REQ_verify(req, publicKey), "X509_REQ_verify")
        let x = try sslCheck(X509_new(), "X509_new")
        defer { X509_free(x) }
        try sslCheck(X509_set_version(x, 2), "X509_set_version")
        counter &+= 1
        try sslCheck(ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serialPrefix | counter), "ASN1_INTEGER_set_uint64")
        try sslCheck(X509_set_issuer_name(x, X509_get_subject_name(caCertificate)), "X509_set_issuer_name")
        _ = try sslCheck(X509_gmtime_adj(X509_getm_notBefore(x), -300), "X509_gmtime_adj")
        _ = try sslCheck(X509_time_adj_ex(X509_getm_notAfter(x), Int32(validityDays), 0, nil), "X509_time_adj_ex")
        try sslCheck(X509_set_subject_name(x, X509_REQ_get_subject_name(req)), "X509_set_subject_name")
        try sslCheck(X509_set_pubkey(x, publicKey), "X509_set_pubkey")

        var ctx = X509V3_CTX()
        X509V3_set_ctx(&ctx, caCertificate, x, nil, nil, 0)
        let keyUsage = EVP_PKEY_is_a(publicKey, "RSA") == 1 ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"
        for (nid, value) in [(NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, keyUsage),
                             (NID_ext_key_usage, "clientAuth")] {
            try addExtension(x, &ctx, nid, value)
        }
        if let requested = X509_REQ_get_extensions(req) {
            defer { COpenSSLShims_sk_X509_EXTENSION_pop_free(requested) }
            let index = X509v3_get_ext_by_NID(requested, NID_subject_alt_name, -1)
            if index >= 0 {
                try sslCheck(X509_add_ext(x, X509v3_get_ext(requested, index), -1), "X509_add_ext")
            }
        }
        try addExtension(x, &ctx, NID_subject_key_identifier, "hash")
        try addExtension(x, &ctx, NID_authority_key_identifier, "keyid:always")

        let md: OpaquePointer? = switch caKey.type {
        case .ed25519: nil
        case .p384: EVP_sha384()
        default: EVP_sha256()
        }
        guard X509_sign(x, caKey.pkey, md) > 0 else { throw .openssl(operation: "X509_sign", errors: drainOpenSSLErrors()) }

        let p7 = try sslCheck(PKCS7_new(), "PKCS7_new")
        defer { PKCS7_free(p7) }
        try sslCheck(Int32(PKCS7_set_type(p7, NID_pkcs7_signed)), "PKCS7_set_type")
        try sslCheck(Int32(PKCS7_content_new(p7, NID_pkcs7_data)), "PKCS7_content_new")
        try sslCheck(Int32(PKCS7_add_certificate(p7, x)), "PKCS7_add_certificate")
        return try OpenSSLDER.encode("i2d_PKCS7") { i2d_PKCS7(p7, $0) }
    }

    private func addExtension(_ x: OpaquePointer, _ ctx: inout X509V3_CTX, _ nid: Int32, _ value: String) throws(PKIError) {
        let e = try sslCheck(X509V3_EXT_conf_nid(nil, &ctx, nid, value), "X509V3_EXT_conf_nid")
        defer { X509_EXTENSION_free(e) }
        try sslCheck(X509_add_ext(x, e, -1), "X509_add_ext")
    }

    private static func parse<T>(_ der: [UInt8], _ operation: StaticString,
                                 _ d2i: (inout UnsafePointer<UInt8>?, Int) -> T?) throws(PKIError) -> T {
        let parsed = der.withUnsafeBufferPointer { b -> T? in
            var p: UnsafePointer<UInt8>? = b.baseAddress
            return d2i(&p, b.count)
        }
        return try sslCheck(parsed, operation)
    }
}
