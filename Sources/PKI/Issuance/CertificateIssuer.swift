import DER
import Glibc

/// Issues X.509 v3 client certificates for CSRs: verifies the CSR (`CSRVerifier`), encodes the
/// TBSCertificate with our DER into a reused buffer, signs it once with the CA key and wraps the
/// certificate straight into a certs-only response. One per server worker thread: owns a `Signer`
/// for the CA key, a `CSRVerifier`, a key-identifier hasher and its buffers; confined to that thread.
public final class CertificateIssuer {
    /// Days from now until notAfter (notBefore is 5 minutes ago, for clients with slow clocks).
    public let validityDays: Int
    public let caCertificate: [UInt8]
    private let signer: Signer
    private let verifier: CSRVerifier
    private let hasher: KeyIdentifierHasher
    private var serials: SerialNumberGenerator
    /// The CA's subject, verbatim: the issuer Name of every certificate.
    private let issuerName: ArraySlice<UInt8>
    private let algorithm: [UInt8]
    /// basicConstraints, keyUsage, extKeyUsage for EC/Ed25519 keys and for RSA keys.
    private let leadingExtensions: [UInt8]
    private let leadingExtensionsRSA: [UInt8]
    private let authorityKeyIdentifier: [UInt8]
    private var tbs = DERWriter(capacity: 2048)
    private var output = DERWriter(capacity: 4096)
    private var validityComputedAt = Int.min
    /// Signature algorithm, issuer and validity as the TBSCertificate holds them, re-encoded once per second.
    private var issuerAndValidity: [UInt8] = []

    static let backdateSeconds = 300

    /// `caKey` must be the key of `caCertificate`, whose subject becomes the issuer name.
    public init(caCertificate: [UInt8], caKey: PrivateKey, validityDays: Int = 30) throws(PKIError) {
        guard validityDays >= 1 else { throw .invalidTemplate("validity of \(validityDays) days; it must be at least 1") }
        let ca: CertificateView
        do { ca = try CertificateView(der: caCertificate[...]) } catch { throw .malformed(what: "CA certificate", error) }
        guard DERElement.bytesEqual(ca.publicKeyInfo, caKey.publicKeyInfo[...]) else {
            throw .invalidKeyMaterial(caKey.type, reason: "the key does not match the CA certificate's public key")
        }
        self.validityDays = validityDays
        self.caCertificate = caCertificate
        signer = try Signer(key: caKey)
        verifier = try CSRVerifier()
        hasher = try KeyIdentifierHasher()
        serials = try SerialNumberGenerator()
        issuerName = ca.subject
        algorithm = signer.scheme.algorithmIdentifier
        let keyIdentifier: [UInt8]
        if let value = ca.extensionValue(OIDs.subjectKeyIdentifier) {
            do { keyIdentifier = Array(try DERReader.single(value).octetString()) } catch {
                throw .malformed(what: "CA certificate subjectKeyIdentifier", error)
            }
        } else {
            keyIdentifier = try hasher.identifier(ofPublicKeyInfo: ca.publicKeyInfo)
        }
        var w = DERWriter(capacity: 128)
        CertificateIssuer.appendLeadingExtensions(rsa: false, to: &w)
        leadingExtensions = w.bytes
        w.removeAll()
        CertificateIssuer.appendLeadingExtensions(rsa: true, to: &w)
        leadingExtensionsRSA = w.bytes
        w.removeAll()
        CertificateDER.appendAuthorityKeyIdentifier(keyIdentifier, to: &w)
        authorityKeyIdentifier = w.bytes
    }

    private static func appendLeadingExtensions(rsa: Bool, to w: inout DERWriter) {
        CertificateDER.appendBasicConstraints(isCA: false, to: &w)
        CertificateDER.appendKeyUsage(rsa ? [.digitalSignature, .keyEncipherment] : .digitalSignature, to: &w)
        CertificateDER.appendExtendedKeyUsage(OIDs.clientAuth, to: &w)
    }

    /// Verifies the DER CSR and issues its certificate. `subject` (a DER Name) replaces the
    /// requested subject, e.g. with the subject of the certificate being renewed.
    public func issue(csr der: ArraySlice<UInt8>, subject: ArraySlice<UInt8>? = nil) throws(IssuanceError) -> IssuedCertificate {
        let view: CSRView
        do { view = try CSRView(der: der) } catch { throw .malformedCSR(error) }
        return try issue(view, subject: subject)
    }

    public func issue(csr der: [UInt8], subject: ArraySlice<UInt8>? = nil) throws(IssuanceError) -> IssuedCertificate {
        try issue(csr: der[...], subject: subject)
    }

    /// Verifies an already parsed CSR and issues its certificate.
    public func issue(_ csr: CSRView, subject: ArraySlice<UInt8>? = nil) throws(IssuanceError) -> IssuedCertificate {
        if let subject {
            do { try DERReader.single(subject).expect(.sequence) } catch {
                throw .internalFailure(.malformed(what: "subject override", error))
            }
        }
        let key = try verifier.verifiedKey(csr)
        let subjectAltName = try CertificateIssuer.requestedSubjectAltName(in: csr.attributes)
        let keyIdentifier: ArraySlice<UInt8>
        do { keyIdentifier = try hasher.identifier(ofKeyBits: key.bits) } catch { throw .internalFailure(error) }
        updateValidity()

        tbs.removeAll()
        let leading = key.keyType.isRSA ? leadingExtensionsRSA : leadingExtensions
        CertificateDER.appendTBS(serial: &serials, issuerAndValidity: issuerAndValidity, subject: subject ?? csr.subject,
                                 publicKeyInfo: csr.publicKeyInfo, to: &tbs) { e in
            e.appendEncoded(leading)
            if let subjectAltName { e.appendEncoded(subjectAltName) }
            CertificateDER.appendSubjectKeyIdentifier(keyIdentifier, to: &e)
            e.appendEncoded(authorityKeyIdentifier)
        }

        output.removeAll()
        let signature: ArraySlice<UInt8>
        do {
            signature = try tbs.withUnsafeBytes { bytes in
                Result { () throws(PKIError) -> ArraySlice<UInt8> in try signer.sign(bytes) }
            }.get()
        } catch {
            throw .internalFailure(error)
        }
        let certificateLength = CertificateDER.certificateLength(tbs: tbs.count, algorithm: algorithm.count,
                                                                 signature: signature.count)
        CertsOnlyWriter.appendHeader(certificatesLength: certificateLength, to: &output)
        let start = output.count
        tbs.withUnsafeBytes { CertificateDER.appendCertificate(tbs: $0, algorithm: algorithm, signature: signature, to: &output) }
        CertsOnlyWriter.appendTrailer(to: &output)
        // Past the Certificate and TBSCertificate headers, the version and the INTEGER header: the serial.
        let serialStart = output.withUnsafeBytes { b in
            let tbsStart = start + CertificateIssuer.headerLength(b, at: start)
            return tbsStart + CertificateIssuer.headerLength(b, at: tbsStart) + CertificateDER.version3.count + 2
        }
        // The result shares the buffer; the next call writes into a fresh one only while it is still held.
        let bytes = output.bytes
        return IssuedCertificate(certsOnly: bytes, certificate: bytes[start..<(start + certificateLength)],
                                 serialNumber: bytes[serialStart..<(serialStart + SerialNumberGenerator.octets)],
                                 keyType: key.keyType)
    }

    /// Tag and length octets of the element at `offset` in DER we wrote.
    private static func headerLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        let first = bytes[offset + 1]
        return first < 0x80 ? 2 : 2 + Int(first & 0x7F)
    }

    /// notBefore and notAfter (with the algorithm and issuer before them), re-encoded once per second.
    private func updateValidity() {
        let now = time(nil)
        if now == validityComputedAt { return }
        validityComputedAt = now
        var w = DERWriter(capacity: algorithm.count + issuerName.count + 40)
        CertificateDER.appendIssuerAndValidity(algorithm: algorithm, issuer: issuerName,
                                               notBefore: DERTime(unixSeconds: Int64(now - CertificateIssuer.backdateSeconds)),
                                               notAfter: DERTime(unixSeconds: Int64(now) + Int64(validityDays) * 86_400), to: &w)
        issuerAndValidity = w.bytes
    }

    /// The subjectAltName Extension of the CSR's extensionRequest, verbatim; found without allocating.
    static func requestedSubjectAltName(in attributes: ArraySlice<UInt8>) throws(IssuanceError) -> ArraySlice<UInt8>? {
        do throws(DERError) {
            var all = DERReader(attributes)
            while let attribute = try all.next() {
                var fields = attribute.children()
                guard try fields.read(.objectIdentifier).isOID(OIDs.extensionRequest) else { continue }
                var values = try fields.read(.set).children()
                var extensions = try values.read(.sequence).children()
                while let e = try extensions.next() {
                    try e.expect(.sequence)
                    var f = e.children()
                    guard try f.read(.objectIdentifier).isOID(OIDs.subjectAltName) else { continue }
                    if let critical = try f.readIfPresent(.boolean), try !critical.boolean() {
                        throw DERError.invalidValue(offset: critical.offset, type: .boolean, reason: "DEFAULT FALSE encoded")
                    }
                    let names = try DERReader.single(try f.read(.octetString).content)
                    try names.expect(.sequence)
                    try f.finish()
                    return e.encoded
                }
                return nil
            }
            return nil
        } catch {
            throw .malformedCSR(error)
        }
    }
}
