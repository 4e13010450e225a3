import DER
import Glibc

/// A test CA for the built-in EST server, made with our DER and `Signer`: a self-signed root, an
/// optional intermediate that issues, and a TLS server certificate. Immutable once made, so it is
/// shared by all worker threads; each makes its own `CertificateIssuer` (`makeIssuer`).
public final class CertificateAuthority: Sendable {
    /// What `init(options:)` creates.
    public struct Options: Sendable {
        /// The CA keys' type (root and intermediate).
        public var keyType: KeyType = .p256
        /// Whether a root signs an intermediate (pathLen 0) that issues, or the root issues itself.
        public var intermediate = false
        /// Prefix of the CA common names: "<name> Root CA", "<name> Issuing CA".
        public var name = "estbench test"
        public var caValidityDays = 3650
        /// The server certificate: subjectAltName dNSName and iPAddress entries (text, IPv4 or IPv6).
        public var serverDNSNames = ["localhost"]
        public var serverIPAddresses = ["127.0.0.1", "::1"]
        public var serverKeyType: KeyType = .p256
        public var serverValidityDays = 365

        public init() {}
    }

    /// The self-signed root (DER).
    public let root: [UInt8]
    /// The intermediate the root signed, when there is one (DER).
    public let intermediate: [UInt8]?
    /// The key that signs issued certificates: the intermediate's, or the root's.
    public let issuingKey: PrivateKey
    public let serverCertificate: [UInt8]
    public let serverKey: PrivateKey
    /// The certs-only message (DER) for EST `cacerts`: the CA certificates, issuing CA first.
    public let cacerts: [UInt8]
    let rootKey: PrivateKey

    /// The certificate of `issuingKey`.
    public var issuingCertificate: [UInt8] { intermediate ?? root }
    /// The CA certificates for `cacerts` and for trust: [root] or [intermediate, root].
    public var caCertificates: [[UInt8]] { intermediate.map { [$0, root] } ?? [root] }
    /// What the TLS server presents: its certificate, then the intermediate when there is one.
    public var serverCertificateChain: [[UInt8]] { intermediate.map { [serverCertificate, $0] } ?? [serverCertificate] }

    /// A certificate issuer for one worker thread.
    public func makeIssuer(validityDays: Int = 30) throws(PKIError) -> CertificateIssuer {
        try CertificateIssuer(caCertificate: issuingCertificate, caKey: issuingKey, validityDays: validityDays)
    }

    init(root: [UInt8], rootKey: PrivateKey, intermediate: [UInt8]?, issuingKey: PrivateKey,
         serverCertificate: [UInt8], serverKey: PrivateKey) {
        self.root = root
        self.rootKey = rootKey
        self.intermediate = intermediate
        self.issuingKey = issuingKey
        self.serverCertificate = serverCertificate
        self.serverKey = serverKey
        cacerts = CertsOnlyWriter.encode(intermediate.map { [$0, root] } ?? [root])
    }

    /// Generates fresh keys and certificates.
    public convenience init(options: Options = Options()) throws(PKIError) {
        guard !options.serverDNSNames.isEmpty || !options.serverIPAddresses.isEmpty else {
            throw .invalidTemplate("the server certificate needs at least one DNS name or IP address")
        }
        for name in options.serverDNSNames where name.isEmpty || !DERString.isIA5(name) {
            throw .invalidTemplate("server DNS name \"\(name)\" is not an ASCII host name")
        }
        var addresses: [[UInt8]] = []
        for text in options.serverIPAddresses { addresses.append(try CertificateAuthority.parseIPAddress(text)) }
        guard options.caValidityDays >= 1, options.serverValidityDays >= 1 else {
            throw .invalidTemplate("validity days must be at least 1")
        }
        let now = Int64(time(nil))
        let notBefore = DERTime(unixSeconds: now - Int64(CertificateIssuer.backdateSeconds))
        let caNotAfter = DERTime(unixSeconds: now + Int64(options.caValidityDays) * 86_400)
        let serverNotAfter = DERTime(unixSeconds: now + Int64(options.serverValidityDays) * 86_400)
        var serials = try SerialNumberGenerator()
        let hasher = try KeyIdentifierHasher()

        let rootKey = try KeyGenerator(type: options.keyType).generate()
        let rootSigner = try Signer(key: rootKey)
        let rootName = CertificateAuthority.name(options.name + " Root CA")
        let rootIdentifier = try hasher.identifier(ofPublicKeyInfo: rootKey.publicKeyInfo[...])
        let root = try CertificateDER.signed(by: rootSigner) { w in
            CertificateDER.appendTBS(serial: &serials, algorithm: rootSigner.scheme.algorithmIdentifier, issuer: rootName[...],
                                     notBefore: notBefore, notAfter: caNotAfter, subject: rootName[...],
                                     publicKeyInfo: rootKey.publicKeyInfo[...], to: &w) { e in
                CertificateDER.appendBasicConstraints(isCA: true, to: &e)
                CertificateDER.appendKeyUsage([.keyCertSign, .cRLSign], to: &e)
                CertificateDER.appendSubjectKeyIdentifier(rootIdentifier[...], to: &e)
            }
        }

        var intermediate: [UInt8]?
        var issuingKey = rootKey, issuingSigner = rootSigner, issuingName = rootName, issuingIdentifier = rootIdentifier
        if options.intermediate {
            let key = try KeyGenerator(type: options.keyType).generate()
            let name = CertificateAuthority.name(options.name + " Issuing CA")
            let identifier = try hasher.identifier(ofPublicKeyInfo: key.publicKeyInfo[...])
            intermediate = try CertificateDER.signed(by: rootSigner) { w in
                CertificateDER.appendTBS(serial: &serials, algorithm: rootSigner.scheme.algorithmIdentifier, issuer: rootName[...],
                                         notBefore: notBefore, notAfter: caNotAfter, subject: name[...],
                                         publicKeyInfo: key.publicKeyInfo[...], to: &w) { e in
                    CertificateDER.appendBasicConstraints(isCA: true, pathLength: 0, to: &e)
                    CertificateDER.appendKeyUsage([.keyCertSign, .cRLSign], to: &e)
                    CertificateDER.appendSubjectKeyIdentifier(identifier[...], to: &e)
                    CertificateDER.appendAuthorityKeyIdentifier(rootIdentifier, to: &e)
                }
            }
            issuingKey = key
            issuingSigner = try Signer(key: key)
            issuingName = name
            issuingIdentifier = identifier
        }

        let serverKey = try KeyGenerator(type: options.serverKeyType).generate()
        let serverName = CertificateAuthority.name(options.serverDNSNames.first ?? options.serverIPAddresses[0])
        let serverIdentifier = try hasher.identifier(ofPublicKeyInfo: serverKey.publicKeyInfo[...])
        let signer = issuingSigner, issuerName = issuingName, authorityIdentifier = issuingIdentifier
        let server = try CertificateDER.signed(by: signer) { w in
            CertificateDER.appendTBS(serial: &serials, algorithm: signer.scheme.algorithmIdentifier, issuer: issuerName[...],
                                     notBefore: notBefore, notAfter: serverNotAfter, subject: serverName[...],
                                     publicKeyInfo: serverKey.publicKeyInfo[...], to: &w) { e in
                CertificateDER.appendBasicConstraints(isCA: false, to: &e)
                CertificateDER.appendKeyUsage(serverKey.type.isRSA ? [.digitalSignature, .keyEncipherment] : .digitalSignature, to: &e)
                CertificateDER.appendExtendedKeyUsage(OIDs.serverAuth, to: &e)
                CertificateDER.appendSubjectAltName(dnsNames: options.serverDNSNames, ipAddresses: addresses, to: &e)
                CertificateDER.appendSubjectKeyIdentifier(serverIdentifier[...], to: &e)
                CertificateDER.appendAuthorityKeyIdentifier(authorityIdentifier, to: &e)
            }
        }
        self.init(root: root, rootKey: rootKey, intermediate: intermediate, issuingKey: issuingKey,
                  serverCertificate: server, serverKey: serverKey)
    }

    /// A Name with one commonName.
    static func name(_ commonName: String) -> [UInt8] {
        var w = DERWriter(capacity: 64)
        CertificateDER.appendName([(.commonName, commonName)], to: &w)
        return w.bytes
    }

    /// An IPv4 or IPv6 address in network order (4 or 16 bytes), as iPAddress entries hold it.
    static func parseIPAddress(_ text: String) throws(PKIError) -> [UInt8] {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
        throw .invalidTemplate("\"\(text)\" is not an IPv4 or IPv6 address")
    }
}
