import COpenSSL
import COpenSSLShims

/// `bench pkcs7`: find the issued certificate in a certs-only response and match its key —
/// ours (DER reader, byte comparison of SubjectPublicKeyInfo) vs `d2i_PKCS7` + `sk_X509_value` + `EVP_PKEY_eq`;
/// and decoding the base64 body it arrives in, ours vs `EVP_DecodeUpdate`.
public enum CertsOnlyBenchmark {
    public static func run(rounds: Int, progress: BenchmarkProgress? = nil) throws -> [BenchmarkRow] {
        let key = try KeyGenerator(type: .p256).generate()
        let message = try OpenSSLCertificateFixture.enrollmentResponse(issuedKey: key)
        let spki = key.publicKeyInfo
        var sink = 0
        let cases: [BenchmarkRunner.Case] = [
            .init(name: "openssl-d2i_PKCS7") { _ in sink &+= try opensslFind(message, key: key) },
            .init(name: "der-certs-only-match") { _ in
                guard let found = try CertsOnly(der: message).issued(matching: spki) else {
                    throw PKIError.invalidTemplate("issued certificate not found")
                }
                sink &+= found.index
            },
        ]
        // The body as it arrives (base64 wrapped at 64 columns), decoded: OpenSSL's line-tolerant
        // decoder beside ours.
        let body = Base64.encode(message)
        let decodeCases: [BenchmarkRunner.Case] = [
            .init(name: "openssl-EVP_DecodeUpdate") { _ in sink &+= try opensslDecode(body).count },
            .init(name: "base64-decode") { _ in sink &+= try Base64.decode(body).count },
        ]
        guard try opensslDecode(body) == message, try Base64.decode(body) == message else {
            throw PKIError.invalidTemplate("base64 round trip")
        }
        let samples = try BenchmarkRunner(rounds: rounds, sliceNs: 25_000_000, progress: progress).run(decodeCases + cases)
        precondition(sink != 0)
        return [samples.row(0, keyType: "p256"), samples.row(1, keyType: "p256", baseline: 0),
                samples.row(2, keyType: "p256"), samples.row(3, keyType: "p256", baseline: 2)]
    }

    /// OpenSSL's base64 decoder for wrapped text (the one PEM uses).
    static func opensslDecode(_ text: [UInt8]) throws(PKIError) -> [UInt8] {
        guard let ctx = EVP_ENCODE_CTX_new() else { throw .openssl(operation: "EVP_ENCODE_CTX_new", errors: []) }
        defer { EVP_ENCODE_CTX_free(ctx) }
        EVP_DecodeInit(ctx)
        var out = [UInt8](repeating: 0, count: text.count / 4 * 3 + 3)
        var n: Int32 = 0, tail: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o in
            text.withUnsafeBufferPointer { t in
                EVP_DecodeUpdate(ctx, o.baseAddress, &n, t.baseAddress, Int32(t.count)) >= 0
                    && EVP_DecodeFinal(ctx, o.baseAddress! + Int(n), &tail) == 1
            }
        }
        guard ok else { throw .openssl(operation: "EVP_DecodeUpdate", errors: []) }
        out.removeSubrange(Int(n + tail)...)
        return out
    }

    /// OpenSSL's way: decode the whole message, walk the stack, compare keys; returns the index.
    static func opensslFind(_ der: [UInt8], key: PrivateKey) throws(PKIError) -> Int {
        let p7 = try der.withUnsafeBufferPointer { b in
            Result { () throws(PKIError) -> UnsafeMutablePointer<PKCS7> in
                var p: UnsafePointer<UInt8>? = b.baseAddress
                return try sslCheck(d2i_PKCS7(nil, &p, b.count), "d2i_PKCS7")
            }
        }.get()
        defer { PKCS7_free(p7) }
        guard let certs = COpenSSLShims_PKCS7_get0_signed_certs(p7) else {
            throw .openssl(operation: "PKCS7 certificates", errors: [])
        }
        for i in 0..<COpenSSLShims_sk_X509_num(certs) {
            if let pub = X509_get0_pubkey(COpenSSLShims_sk_X509_value(certs, i)), EVP_PKEY_eq(pub, key.pkey) == 1 {
                return Int(i)
            }
        }
        throw .openssl(operation: "find issued certificate", errors: [])
    }
}
