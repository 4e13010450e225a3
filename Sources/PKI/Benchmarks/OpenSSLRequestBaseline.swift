import COpenSSL
import COpenSSLShims

/// OpenSSL's straightforward CSR path, the way most code builds a CSR: `X509_REQ_new`, subject,
/// `X509_REQ_set_pubkey`, SAN through `X509V3_EXT_conf_nid`, `X509_REQ_sign`, `i2d_X509_REQ`.
/// The baseline our DER path is measured against. Confined to one thread.
final class OpenSSLRequestBaseline {
    let key: PrivateKey
    let commonName: FieldPattern
    let sanDNS: FieldPattern?

    init(key: PrivateKey, commonName: FieldPattern, sanDNS: FieldPattern?) {
        self.key = key
        self.commonName = commonName
        self.sanDNS = sanDNS
    }

    /// One complete CSR; returns its DER.
    func build(index: Int) throws(PKIError) -> [UInt8] {
        let req = try sslCheck(X509_REQ_new(), "X509_REQ_new")
        defer { X509_REQ_free(req) }
        try sslCheck(X509_REQ_set_version(req, 0), "X509_REQ_set_version")
        let cn = commonName.expand(index)
        try sslCheck(X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_UTF8,
                                                cn, -1, -1, 0), "X509_NAME_add_entry_by_txt")
        try sslCheck(X509_REQ_set_pubkey(req, key.pkey), "X509_REQ_set_pubkey")
        if let sanDNS {
            let extensions = try sslCheck(COpenSSLShims_sk_X509_EXTENSION_new_null(), "sk_X509_EXTENSION_new_null")
            defer { COpenSSLShims_sk_X509_EXTENSION_pop_free(extensions) }
            let san = try sslCheck(X509V3_EXT_conf_nid(nil, nil, NID_subject_alt_name, "DNS:" + sanDNS.expand(index)),
                                   "X509V3_EXT_conf_nid")
            guard COpenSSLShims_sk_X509_EXTENSION_push(extensions, san) > 0 else {
                X509_EXTENSION_free(san)
                throw .openssl(operation: "sk_X509_EXTENSION_push", errors: drainOpenSSLErrors())
            }
            try sslCheck(X509_REQ_add_extensions(req, extensions), "X509_REQ_add_extensions")
        }
        let md: OpaquePointer? = key.type == .ed25519 ? nil : key.type == .p384 ? EVP_sha384() : EVP_sha256()
        guard X509_REQ_sign(req, key.pkey, md) > 0 else {
            throw .openssl(operation: "X509_REQ_sign", errors: drainOpenSSLErrors())
        }
        return try OpenSSLDER.encode("i2d_X509_REQ") { i2d_X509_REQ(req, $0) }
    }
}

/// Runs an OpenSSL `i2d_*` function into a new array.
enum OpenSSLDER {
    static func encode(_ operation: StaticString,
                       _ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws(PKIError) -> [UInt8] {
        let length = i2d(nil)
        guard length > 0 else { throw .openssl(operation: operation.description, errors: drainOpenSSLErrors()) }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var p: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d(&p)
        }
        guard written == length else { throw .openssl(operation: operation.description, errors: drainOpenSSLErrors()) }
        return out
    }
}
