import DER

/// `bench issue`: server-side issuance for one CA key type, from a fixed P-256 device CSR — (a) the
/// raw limit: CSR signature verify plus one raw CA signature, (b) our path: CSRView parse, verify,
/// TBSCertificate encode, sign, certs-only wrap, (c) OpenSSL's X509_REQ/X509/PKCS7 path — each as
/// ns/op with its ratio to (a), and (b) against (c).
public enum IssueBenchmark {
    public static let rawLimit = "verify+raw-sign"
    public static let issue = "issue"
    public static let opensslIssue = "openssl-x509-issue"
    /// Our path against OpenSSL's, as its own row.
    public static let speedupName = "issue-vs-openssl"

    public static func run(caKeyType: KeyType, rounds: Int, progress: BenchmarkProgress? = nil) throws -> [BenchmarkRow] {
        var options = CertificateAuthority.Options()
        options.keyType = caKeyType
        let ca = try CertificateAuthority(options: options)
        let issuer = try ca.makeIssuer()
        let baseline = try OpenSSLIssuanceBaseline(caCertificate: ca.issuingCertificate, caKey: ca.issuingKey)
        let csr = try deviceCSR()
        let view = try CSRView(der: csr)
        let verifier = try CSRVerifier()
        let caSigner = try Signer(key: ca.issuingKey)
        let digest = [UInt8](repeating: 0x5A, count: caKeyType == .p384 ? 48 : 32)

        // Both paths must produce a usable response before they are timed.
        guard try CertsOnly(der: issuer.issue(csr: csr).certsOnly).issued(matching: view.publicKeyInfo) != nil,
              try CertsOnly(der: baseline.issue(csr: csr)).issued(matching: view.publicKeyInfo) != nil else {
            throw PKIError.invalidTemplate("bench issue: the issued certificate is missing from a response")
        }
        var sink = 0
        let cases: [BenchmarkRunner.Case] = [
            .init(name: rawLimit) { _ in
                sink &+= try verifier.verify(view) == .p256 ? 1 : 0
                sink &+= try caSigner.rawSign(digest: digest)
            },
            .init(name: issue) { _ in sink &+= try issuer.issue(csr: csr).certsOnly.count },
            .init(name: opensslIssue) { _ in sink &+= try baseline.issue(csr: csr).count },
        ]
        let slow = caKeyType.isRSA || caKeyType == .p384
        let samples = try BenchmarkRunner(rounds: rounds, sliceNs: slow ? 25_000_000 : 12_000_000, progress: progress).run(cases)
        precondition(sink != 0)
        let k = caKeyType.rawValue
        return [
            samples.row(0, keyType: k),
            samples.row(1, keyType: k, baseline: 0),
            samples.row(2, keyType: k, baseline: 0),
            samples.row(1, keyType: k, baseline: 2).renamed(speedupName),
        ]
    }

    /// The fixed input: a P-256 device CSR with a DNS subjectAltName, built by our CSRBuilder.
    static func deviceCSR() throws(PKIError) -> [UInt8] {
        let template = try CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"])
        let key = try KeyGenerator(type: .p256).generate()
        return try CSRBuilder(template: template).build(index: 1, signer: try Signer(key: key))
    }
}
