import COpenSSL

/// `bench der`: one P-256 CertificationRequestInfo encode, ours vs OpenSSL's forced re-encode
/// (`i2d_re_X509_REQ_tbs`) of the same request. Ours twice: the pre-encoded skeleton the CSR path
/// uses, and the general nested encoder it is derived from and checked against.
public enum DEREncodeBenchmark {
    public static func run(rounds: Int, progress: BenchmarkProgress? = nil) throws -> [BenchmarkRow] {
        let template = try CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"])
        let builder = try CSRBuilder(template: template)
        let key = try KeyGenerator(type: .p256).generate()
        let spki = key.publicKeyInfo
        let der = try OpenSSLRequestBaseline(key: key, commonName: template.subject[0].1, sanDNS: template.sanDNS[0])
            .build(index: 1)
        let req = try der.withUnsafeBufferPointer { b in
            Result { () throws(PKIError) -> OpaquePointer in
                var p: UnsafePointer<UInt8>? = b.baseAddress
                return try sslCheck(d2i_X509_REQ(nil, &p, b.count), "d2i_X509_REQ")
            }
        }.get()
        defer { X509_REQ_free(req) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var sink = 0
        let cases: [BenchmarkRunner.Case] = [
            .init(name: "openssl-i2d_re_X509_REQ_tbs") { _ in
                sink &+= Int(buffer.withUnsafeMutableBufferPointer { b -> Int32 in
                    var p: UnsafeMutablePointer<UInt8>? = b.baseAddress
                    return i2d_re_X509_REQ_tbs(req, &p)
                })
            },
            .init(name: "der-csr-info-encode") { i in
                builder.encodeInfo(index: i, publicKeyInfo: spki)
                sink &+= 1
            },
            .init(name: "der-csr-info-encode-general") { i in
                builder.encodeInfoGeneral(index: i, publicKeyInfo: spki, challengePassword: nil)
                sink &+= 1
            },
        ]
        let samples = try BenchmarkRunner(rounds: rounds, sliceNs: 25_000_000, progress: progress).run(cases)
        precondition(sink != 0)
        return [samples.row(0, keyType: "p256"), samples.row(1, keyType: "p256", baseline: 0),
                samples.row(2, keyType: "p256", baseline: 0)]
    }
}
