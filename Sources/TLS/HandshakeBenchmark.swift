import PKI

/// `bench handshake`: full TLS 1.3 and 1.2 handshakes, client and server in one process through
/// memory BIOs, for P-256, RSA-2048 and Ed25519 server certificates, with resumption off and on —
/// each beside one raw signature of the server key, measured in the same passes; and the full TLS 1.3
/// handshake verifying the server chain every time beside the one that reuses a verification.
public enum HandshakeBenchmark {
    public static let serverKeyTypes: [KeyType] = [.p256, .rsa2048, .ed25519]

    public static func run(keyType: KeyType, rounds: Int, progress: BenchmarkProgress? = nil) throws -> [BenchmarkRow] {
        let caKey = try KeyGenerator(type: .p256).generate()
        let caCertificate = try OpenSSLCertificateFixture.certificate(
            subjectKey: caKey, commonName: "estbench bench CA", issuerKey: caKey, issuerName: "estbench bench CA",
            serial: 1, isCA: true)
        let serverKey = try KeyGenerator(type: keyType).generate()
        let serverCertificate = try OpenSSLCertificateFixture.certificate(
            subjectKey: serverKey, commonName: "localhost", issuerKey: caKey, issuerName: "estbench bench CA",
            serial: 2, subjectAltNames: "DNS:localhost")
        let signer = try Signer(key: serverKey)
        let digest = [UInt8](repeating: 0x5A, count: 32)

        var cases: [BenchmarkRunner.Case] = [.init(name: "raw-sign") { _ in _ = try signer.rawSign(digest: digest) }]
        var buffer = [UInt8](repeating: 0, count: 16384)
        for version in [TLSVersion.tls13, .tls12] {
            for resumption in [TLSConfiguration.Resumption.off, .tickets] {
                var server = TLSConfiguration(role: .server)
                server.certificateChain = [serverCertificate]
                server.privateKey = serverKey
                server.minimumVersion = version
                server.maximumVersion = version
                server.resumption = resumption
                var client = TLSConfiguration(role: .client)
                client.trustedCertificates = [caCertificate]
                client.resumption = resumption
                let serverContext = try TLSContext(server)
                let clientContext = try TLSContext(client)
                var ticket: TLSResumableSession?
                let name = "handshake-\(version == .tls13 ? "tls13" : "tls12")-\(resumption == .off ? "full" : "resumed")"
                cases.append(.init(name: name) { _ in
                    let c = try TLSSession(context: clientContext, serverName: "localhost", resuming: ticket)
                    let s = try TLSSession(context: serverContext)
                    if let e = InMemoryHandshake.run(client: c, server: s, buffer: &buffer) { throw e }
                    if resumption != .off {
                        if ticket != nil && !c.isResumed { throw TLSError.handshake(errors: ["\(name): session not resumed"], alertSent: nil, alertReceived: nil) }
                        ticket = c.resumableSession ?? ticket
                    }
                })
            }
        }
        // The same full TLS 1.3 handshake with the server chain verified every time (the rows above
        // verify once per context and reuse the answer, as runs do): its ratio to the cached row.
        var server = TLSConfiguration(role: .server)
        server.certificateChain = [serverCertificate]
        server.privateKey = serverKey
        server.minimumVersion = .tls13
        let serverContext = try TLSContext(server)
        var client = TLSConfiguration(role: .client)
        client.trustedCertificates = [caCertificate]
        client.cacheVerifiedChains = false
        let uncachedClient = try TLSContext(client)
        cases.append(.init(name: "handshake-tls13-full-verify-each") { _ in
            let c = try TLSSession(context: uncachedClient, serverName: "localhost")
            let s = try TLSSession(context: serverContext)
            if let e = InMemoryHandshake.run(client: c, server: s, buffer: &buffer) { throw e }
        })
        let samples = try BenchmarkRunner(rounds: rounds, sliceNs: keyType.isRSA ? 25_000_000 : 12_000_000, progress: progress).run(cases)
        let k = keyType.rawValue
        let verifyEach = cases.count - 1
        return [samples.row(0, keyType: k)] + (1..<verifyEach).map { samples.row($0, keyType: k, baseline: 0) }
            + [samples.row(verifyEach, keyType: k, baseline: 1)]
    }
}
