import COpenSSL
import Foundation
import PKI
import XCTest

/// OpenSSL as an independent judge of certificates PKI issues (tests only): `d2i_X509` and the
/// X509 getters, never our DER reader.
enum CertificateOracle {
    /// Runs `body` on the parsed certificate; nil when OpenSSL cannot parse all of `der`.
    static func withX509<R>(_ der: some Collection<UInt8>, _ body: (OpaquePointer) -> R) -> R? {
        let bytes = Array(der)
        return bytes.withUnsafeBufferPointer { buffer -> R? in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let x = d2i_X509(nil, &p, buffer.count) else { return nil }
            defer { X509_free(x) }
            guard p == buffer.baseAddress! + buffer.count else { return nil }
            return body(x)
        }
    }

    /// `X509_verify` of `certificate` with the public key of `issuer`.
    static func verify(_ certificate: some Collection<UInt8>, signedBy issuer: some Collection<UInt8>) -> Bool {
        withX509(issuer) { ca in
            withX509(certificate) { x in X509_verify(x, X509_get0_pubkey(ca)) == 1 } ?? false
        } ?? false
    }

    static func version(_ der: some Collection<UInt8>) -> Int? { withX509(der) { Int(X509_get_version($0)) } }

    static func subjectLine(_ der: some Collection<UInt8>) -> String? {
        withX509(der) { x in line(X509_get_subject_name(x)) }
    }

    static func issuerLine(_ der: some Collection<UInt8>) -> String? {
        withX509(der) { x in line(X509_get_issuer_name(x)) }
    }

    private static func line(_ name: OpaquePointer?) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = X509_NAME_oneline(name, &buffer, 512)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The SubjectPublicKeyInfo as OpenSSL re-encodes it.
    static func publicKeyInfo(_ der: some Collection<UInt8>) -> [UInt8]? {
        withX509(der) { x in
            bytes { i2d_PUBKEY(X509_get0_pubkey(x), $0) }
        } ?? nil
    }

    /// The content of extension `nid`'s extnValue, and whether it is critical.
    static func extensionValue(_ der: some Collection<UInt8>, nid: Int32) -> (value: [UInt8], critical: Bool)? {
        withX509(der) { x -> (value: [UInt8], critical: Bool)? in
            let index = X509_get_ext_by_NID(x, nid, -1)
            guard index >= 0, let e = X509_get_ext(x, index), let data = X509_EXTENSION_get_data(e) else { return nil }
            return (asn1Bytes(data), X509_EXTENSION_get_critical(e) == 1)
        } ?? nil
    }

    /// How OpenSSL reads the key usage extensions and CA flags.
    static func usage(_ der: some Collection<UInt8>) -> (keyUsage: UInt32, extendedKeyUsage: UInt32, isCA: Int32, flags: UInt32)? {
        withX509(der) { x in
            (X509_get_key_usage(x), X509_get_extended_key_usage(x), X509_check_ca(x), X509_get_extension_flags(x))
        }
    }

    static func keyIdentifiers(_ der: some Collection<UInt8>) -> (subject: [UInt8]?, authority: [UInt8]?)? {
        withX509(der) { x in
            (X509_get0_subject_key_id(x).map(asn1Bytes), X509_get0_authority_key_id(x).map(asn1Bytes))
        }
    }

    /// SHA-1 of the subjectPublicKey bits as OpenSSL finds them (the expected subjectKeyIdentifier).
    static func keyBitsSHA1(_ der: some Collection<UInt8>) -> [UInt8]? {
        withX509(der) { x -> [UInt8]? in
            guard let bits = X509_get0_pubkey_bitstr(x) else { return nil }
            var out = [UInt8](repeating: 0, count: 20)
            var length: UInt32 = 0
            guard EVP_Digest(ASN1_STRING_get0_data(bits), Int(ASN1_STRING_length(bits)), &out, &length, EVP_sha1(), nil) == 1 else {
                return nil
            }
            return Array(out[0..<Int(length)])
        } ?? nil
    }

    /// The serial number's content octets and whether OpenSSL reads it as negative.
    static func serial(_ der: some Collection<UInt8>) -> (bytes: [UInt8], negative: Bool)? {
        withX509(der) { x in
            let s = X509_get0_serialNumber(x)!
            return (asn1Bytes(s), ASN1_STRING_type(s) == V_ASN1_NEG_INTEGER)
        }
    }

    /// notBefore and notAfter as Unix seconds.
    static func validity(_ der: some Collection<UInt8>) -> (notBefore: Int, notAfter: Int)? {
        withX509(der) { x in
            func seconds(_ t: UnsafePointer<ASN1_TIME>?) -> Int {
                var tm = Glibc.tm()
                guard ASN1_TIME_to_tm(t, &tm) == 1 else { return -1 }
                return timegm(&tm)
            }
            return (seconds(X509_get0_notBefore(x)), seconds(X509_get0_notAfter(x)))
        }
    }

    private static func asn1Bytes(_ s: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(s), count: Int(ASN1_STRING_length(s))))
    }

    private static func asn1Bytes(_ s: UnsafeMutablePointer<ASN1_STRING>) -> [UInt8] { asn1Bytes(UnsafePointer(s)) }

    private static func bytes(_ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8]? {
        let n = i2d(nil)
        guard n > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(n))
        let written = out.withUnsafeMutableBufferPointer { o -> Int32 in
            var q: UnsafeMutablePointer<UInt8>? = o.baseAddress
            return i2d(&q)
        }
        return written == n ? out : nil
    }
}

/// The `openssl` command as a second judge: chains verified with `openssl verify -x509_strict`.
enum OpenSSLCommand {
    /// Writes the certificates as PEM files into `directory` and runs `openssl verify`; returns
    /// (passed, output). `purpose` is e.g. "sslclient" or "sslserver".
    static func verify(_ certificate: [UInt8], root: [UInt8], intermediate: [UInt8]? = nil, purpose: String? = nil,
                       in directory: URL) throws -> (ok: Bool, output: String) {
        func write(_ der: [UInt8], _ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try PEM.encode(der, label: "CERTIFICATE").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        var arguments = ["openssl", "verify", "-x509_strict", "-CAfile", try write(root, "verify-root.pem")]
        if let intermediate { arguments += ["-untrusted", try write(intermediate, "verify-intermediate.pem")] }
        if let purpose { arguments += ["-purpose", purpose] }
        let leaf = try write(certificate, "verify-leaf.pem")
        let r = try runTool(arguments + [leaf])
        return (r.status == 0 && r.stdout.contains("\(leaf): OK"), r.stdout + r.stderr)
    }
}
