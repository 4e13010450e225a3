import COpenSSL
import COpenSSLShims

/// `bench pkcs7`: find the issued certificate in a certs-only response and match its key —
/// ours (DER reader, byte comparison of SubjectPublicKeyInfo) vs `d2i_PKCS7` + `sk_X509_value` + `EVP_PKEY_eq`.
public enum CertsOnlyBenchmark {
    public static func run(rounds: Int) throws -> [BenchmarkRow] {
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
        let samples = try BenchmarkRunner(rounds: rounds).run(cases)
        precondition(sink != 0)
        return [samples.row(0, keyType: "p256"), samples.row(1, keyType: "p256", baseline: 0)]
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
