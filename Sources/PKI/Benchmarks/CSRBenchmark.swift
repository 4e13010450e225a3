import DER
import COpenSSL

/// `bench csr`: per key type, in one run — (a) a raw signature of a digest, (b) our CSR path with a
/// reused key, (c) our CSR path with a fresh key per CSR beside (c') the raw keygen+sign ceiling,
/// (d) OpenSSL's X509_REQ path — each as ns/op, ops/s and a ratio to its baseline.
/// RSA-2048's fresh-key cases run only when asked (`freshKeys`): one RSA key takes ~0.1 s of CPU and
/// varies ±50% with the prime search, so their ratios need ~80 keys per case (200 ms slices, ~35 s of
/// CPU) to settle — the other key types' whole suite fits in ~10 s.
public enum CSRBenchmark {
    public static let rawSign = "raw-sign"
    public static let csrReusedKey = "csr-reused-key"
    public static let keygenSign = "keygen+sign-ceiling"
    public static let csrFreshKey = "csr-fresh-key"
    public static let x509Req = "openssl-x509-req"
    /// Our reused-key path against OpenSSL's X509_REQ path, as its own row.
    public static let speedupName = "csr-reused-key-vs-x509-req"
    /// keygen + public-key export + sign: what any CSR with a fresh key must at least cost with
    /// OpenSSL 3.0 (an EC export alone converts the point to affine form, ~5 us for P-256).
    public static let keygenExportSign = "keygen+export+sign-floor"
    public static let csrFreshKeyVsFloor = "csr-fresh-key-vs-floor"

    /// Whether `run` times key generation for `keyType` unless told: every type but RSA.
    public static func freshKeysByDefault(_ keyType: KeyType) -> Bool { !keyType.isRSA }

    public static func run(keyType: KeyType, rounds: Int, freshKeys: Bool? = nil,
                           progress: BenchmarkProgress? = nil) throws -> [BenchmarkRow] {
        let freshKeys = freshKeys ?? freshKeysByDefault(keyType)
        let template = try CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"])
        let builder = try CSRBuilder(template: template)
        let generator = try KeyGenerator(type: keyType)
        let key = try generator.generate()
        let signer = try Signer(key: key)
        let digest = [UInt8](repeating: 0x5A, count: keyType == .p384 ? 48 : 32)
        let baseline = OpenSSLRequestBaseline(key: key, commonName: template.subject[0].1, sanDNS: template.sanDNS[0])
        let scheme = keyType.defaultSignature
        // Fresh keys: one signer per thread moves from key to key (as pools are generated), and the
        // ceiling likewise signs into one reused buffer.
        let freshSigner = try Signer(key: try generator.generate())
        var signature = [UInt8](repeating: 0, count: key.maxSignatureSize)
        let ceilingMD = try sslCheck(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        defer { EVP_MD_CTX_free(ceilingMD) }
        var sink = 0

        let reusedKeyCases: [BenchmarkRunner.Case] = [
            .init(name: rawSign) { _ in sink &+= try signer.rawSign(digest: digest) },
            .init(name: csrReusedKey) { i in sink &+= try builder.build(index: i, signer: signer) { $0.count } },
            .init(name: x509Req) { i in sink &+= try baseline.build(index: i).count },
        ]
        let k = keyType.rawValue
        guard freshKeys else {
            let samples = try BenchmarkRunner(rounds: rounds, progress: progress).run(reusedKeyCases)
            precondition(sink != 0)
            return [samples.row(0, keyType: k), samples.row(1, keyType: k, baseline: 0), samples.row(2, keyType: k, baseline: 0),
                    samples.row(1, keyType: k, baseline: 2).renamed(speedupName)]
        }
        // RSA key generation: ~2 keys a slice rather than one.
        let keygenSlice: UInt64? = keyType.isRSA ? 200_000_000 : nil
        let freshKeyCases: [BenchmarkRunner.Case] = [
            .init(name: keygenSign, sliceNs: keygenSlice) { _ in
                sink &+= try rawKeygenAndSign(generator, scheme: scheme, digest: digest, into: &signature, md: ceilingMD)
            },
            .init(name: csrFreshKey, sliceNs: keygenSlice) { i in
                try freshSigner.switchKey(to: try generator.generate())
                sink &+= try builder.build(index: i, signer: freshSigner) { $0.count }
            },
            .init(name: keygenExportSign, sliceNs: keygenSlice) { _ in
                sink &+= try rawKeygenAndSign(generator, scheme: scheme, digest: digest, into: &signature, md: ceilingMD,
                                          exportPublicKey: true)
            },
        ]
        // Cases 0-2 reused key, 3 ceiling, 4 fresh key, 5 floor.
        let samples = try BenchmarkRunner(rounds: rounds, progress: progress).run(reusedKeyCases + freshKeyCases)
        precondition(sink != 0)
        return [
            samples.row(0, keyType: k),
            samples.row(1, keyType: k, baseline: 0),
            samples.row(3, keyType: k, baseline: 0),
            samples.row(4, keyType: k, baseline: 3),
            samples.row(2, keyType: k, baseline: 0),
            samples.row(5, keyType: k, baseline: 0),
            samples.row(4, keyType: k, baseline: 5).renamed(csrFreshKeyVsFloor),
            samples.row(1, keyType: k, baseline: 2).renamed(speedupName),
        ]
    }

    /// The ceiling for fresh keys: generate a key, make a signing context for it, sign one digest
    /// into `signature` (large enough for this key type) — the same OpenSSL calls our fresh-key path
    /// makes, without any DER and without hashing. Ed25519 re-initialises the reused `md`.
    static func rawKeygenAndSign(_ generator: KeyGenerator, scheme: SignatureScheme, digest: [UInt8],
                                 into signature: inout [UInt8], md: OpaquePointer,
                                 exportPublicKey: Bool = false) throws(PKIError) -> Int {
        let pkey = try generator.generateRaw()
        defer { EVP_PKEY_free(pkey) }
        if exportPublicKey {
            _ = try PublicKeyInfo.encode(of: pkey, type: generator.type)
        }
        var length = signature.count
        if scheme == .ed25519 {
            try sslCheck(EVP_MD_CTX_reset(md), "EVP_MD_CTX_reset")
            try sslCheck(EVP_DigestSignInit_ex(md, nil, nil, nil, nil, pkey, nil), "EVP_DigestSignInit_ex")
            try sslCheck(EVP_DigestSign(md, &signature, &length, digest, digest.count), "EVP_DigestSign")
            return length
        }
        let ctx = try sslCheck(EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil), "EVP_PKEY_CTX_new_from_pkey")
        defer { EVP_PKEY_CTX_free(ctx) }
        try sslCheck(EVP_PKEY_sign_init(ctx), "EVP_PKEY_sign_init")
        try sslCheck(EVP_PKEY_CTX_set_signature_md(ctx, (scheme == .ecdsaSHA384 ? Digest.sha384 : Digest.sha256).md),
                     "EVP_PKEY_CTX_set_signature_md")
        if scheme == .rsaPKCS1SHA256 {
            try sslCheck(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
        }
        try sslCheck(EVP_PKEY_sign(ctx, &signature, &length, digest, digest.count), "EVP_PKEY_sign")
        return length
    }
}
