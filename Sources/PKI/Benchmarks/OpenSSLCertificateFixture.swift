import COpenSSL
import COpenSSLShims

/// Certificates and certs-only PKCS#7 made by OpenSSL's own X509/PKCS7 API: an independent source
/// of input for the certs-only reader's tests and benchmark (never used on a measured path).
public enum OpenSSLCertificateFixture {
    /// A certificate for `subjectKey`, signed by `issuerKey` (self-signed when they are the same key).
    /// `subjectAltNames` uses OpenSSL's config syntax, e.g. "DNS:localhost,IP:127.0.0.1".
    public static func certificate(subjectKey: PrivateKey, commonName: String, issuerKey: PrivateKey,
                                   issuerName: String, serial: Int, days: Int = 30, isCA: Bool = false,
                                   subjectAltNames: String? = nil) throws(PKIError) -> [UInt8] {
        let x = try sslCheck(X509_new(), "X509_new")
        defer { X509_free(x) }
        try sslCheck(X509_set_version(x, 2), "X509_set_version")
        try sslCheck(ASN1_INTEGER_set(X509_get_serialNumber(x), serial), "ASN1_INTEGER_set")
        _ = try sslCheck(X509_gmtime_adj(X509_getm_notBefore(x), 0), "X509_gmtime_adj")
        _ = try sslCheck(X509_gmtime_adj(X509_getm_notAfter(x), days * 86400), "X509_gmtime_adj")
        try sslCheck(X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8, commonName, -1, -1, 0),
                     "X509_NAME_add_entry_by_txt")
        try sslCheck(X509_NAME_add_entry_by_txt(X509_get_issuer_name(x), "CN", MBSTRING_UTF8, issuerName, -1, -1, 0),
                     "X509_NAME_add_entry_by_txt")
        try sslCheck(X509_set_pubkey(x, subjectKey.pkey), "X509_set_pubkey")
        var extensions: [(Int32, String)] = [(NID_basic_constraints, isCA ? "critical,CA:TRUE" : "critical,CA:FALSE")]
        if let subjectAltNames { extensions.append((NID_subject_alt_name, subjectAltNames)) }
        for (nid, value) in extensions {
            let e = try sslCheck(X509V3_EXT_conf_nid(nil, nil, nid, value), "X509V3_EXT_conf_nid")
            defer { X509_EXTENSION_free(e) }
            try sslCheck(X509_add_ext(x, e, -1), "X509_add_ext")
        }
        let md: OpaquePointer? = issuerKey.type == .ed25519 ? nil : EVP_sha256()
        guard X509_sign(x, issuerKey.pkey, md) > 0 else {
            throw .openssl(operation: "X509_sign", errors: drainOpenSSLErrors())
        }
        return try OpenSSLDER.encode("i2d_X509") { i2d_X509(x, $0) }
    }

    /// A certs-only SignedData holding `certificates` in order, as `openssl crl2pkcs7 -nocrl` makes it.
    public static func certsOnly(_ certificates: [[UInt8]]) throws(PKIError) -> [UInt8] {
        let p7 = try sslCheck(PKCS7_new(), "PKCS7_new")
        defer { PKCS7_free(p7) }
        try sslCheck(PKCS7_set_type(p7, NID_pkcs7_signed), "PKCS7_set_type")
        try sslCheck(PKCS7_content_new(p7, NID_pkcs7_data), "PKCS7_content_new")
        for der in certificates {
            let x = try der.withUnsafeBufferPointer { buffer in
                Result { () throws(PKIError) -> OpaquePointer in
                    var p: UnsafePointer<UInt8>? = buffer.baseAddress
                    return try sslCheck(d2i_X509(nil, &p, buffer.count), "d2i_X509")
                }
            }.get()
            defer { X509_free(x) }
            try sslCheck(PKCS7_add_certificate(p7, x), "PKCS7_add_certificate")
        }
        return try OpenSSLDER.encode("i2d_PKCS7") { i2d_PKCS7(p7, $0) }
    }

    /// A realistic enrollment response for `issuedKey`: [CA, an unrelated device certificate, the issued one].
    public static func enrollmentResponse(issuedKey: PrivateKey) throws(PKIError) -> [UInt8] {
        let ca = try KeyGenerator(type: .p256).generate()
        let other = try KeyGenerator(type: .p256).generate()
        let caCert = try certificate(subjectKey: ca, commonName: "estbench fixture CA", issuerKey: ca,
                                     issuerName: "estbench fixture CA", serial: 1)
        let otherCert = try certificate(subjectKey: other, commonName: "device-other", issuerKey: ca,
                                        issuerName: "estbench fixture CA", serial: 2)
        let issued = try certificate(subjectKey: issuedKey, commonName: "device-1", issuerKey: ca,
                                     issuerName: "estbench fixture CA", serial: 3)
        return try certsOnly([caCert, otherCert, issued])
    }
}
