import DER

/// A certs-only CMS SignedData (RFC 5652, as EST's `cacerts` and enrollment responses carry it) read
/// with our DER reader: the certificates as slices, and the one issued for a given public key.
public struct CertsOnly: Sendable {
    /// Why a body is not a usable certs-only message.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case base64(Base64.DecodeError)
        case der(DERError)
        case notSignedData(contentType: String)
        case noCertificates
        case malformedCertificate(index: Int, DERError)

        public var description: String {
            switch self {
            case .base64(let e): return "certs-only body is not base64: \(e)"
            case .der(let e): return "certs-only PKCS#7 is not valid DER: \(e)"
            case .notSignedData(let t): return "PKCS#7 content type \(t) is not signedData (1.2.840.113549.1.7.2)"
            case .noCertificates: return "certs-only PKCS#7 holds no certificates"
            case .malformedCertificate(let i, let e): return "certificate \(i) in the PKCS#7 is malformed: \(e)"
            }
        }
    }

    /// Each certificate's complete DER encoding, in message order.
    public let certificates: [ArraySlice<UInt8>]
    /// SignerInfos present (a certs-only message should have none: an interop finding, not an error).
    public let signerCount: Int

    /// Parses DER bytes of a ContentInfo.
    public init(der: ArraySlice<UInt8>) throws(ParseError) {
        var signed = try CertsOnly.signedData(der)
        do {
            var certificates: [ArraySlice<UInt8>] = []
            certificates.reserveCapacity(4)
            if let set = try signed.readIfPresent(.context(0, constructed: true)) {
                var members = set.children()
                while let c = try members.next() { certificates.append(c.encoded) }
            }
            try signed.skipIfPresent(.context(1, constructed: true))
            let signers = try signed.read(.set)
            try signed.finish()
            var count = 0
            var s = signers.children()
            while try s.next() != nil { count += 1 }
            self.certificates = certificates
            self.signerCount = count
        } catch {
            throw .der(error)
        }
        if certificates.isEmpty { throw .noCertificates }
    }

    public init(der: [UInt8]) throws(ParseError) { try self.init(der: der[...]) }

    /// SignedData's fields after `version`, `digestAlgorithms` and `encapContentInfo`.
    private static func signedData(_ der: ArraySlice<UInt8>) throws(ParseError) -> DERReader {
        var contentInfo: DERReader
        let type: DERElement
        do {
            contentInfo = try DERReader.single(der).children()
            type = try contentInfo.read(.objectIdentifier)
        } catch { throw .der(error) }
        guard type.isOID(OIDs.signedData) else {
            throw .notSignedData(contentType: (try? type.oid().description) ?? "(malformed OID)")
        }
        do {
            let explicit = try contentInfo.read(.context(0, constructed: true))
            try contentInfo.finish()
            var signed = try DERReader.single(explicit.content).children()
            try signed.skip(.integer)
            try signed.skip(.set)
            try signed.skip(.sequence)
            return signed
        } catch { throw .der(error) }
    }

    public func issued(matching publicKeyInfo: [UInt8]) throws(ParseError) -> (index: Int, certificate: CertificateView)? {
        try issued(matching: publicKeyInfo[...])
    }

    /// The certificate whose SubjectPublicKeyInfo equals `publicKeyInfo` (the issued one), with its index.
    public func issued(matching publicKeyInfo: ArraySlice<UInt8>) throws(ParseError) -> (index: Int, certificate: CertificateView)? {
        for (i, c) in certificates.enumerated() {
            let spki: ArraySlice<UInt8>
            do { spki = try CertsOnly.publicKeyInfo(ofCertificate: c) } catch { throw .malformedCertificate(index: i, error) }
            if DERElement.bytesEqual(spki, publicKeyInfo) {
                do { return (i, try CertificateView(der: c)) } catch { throw .malformedCertificate(index: i, error) }
            }
        }
        return nil
    }

    /// Walks only as far as SubjectPublicKeyInfo: the cheap path for key matching.
    static func publicKeyInfo(ofCertificate der: ArraySlice<UInt8>) throws(DERError) -> ArraySlice<UInt8> {
        var outer = try DERReader.single(der).children()
        var t = try outer.read(.sequence).children()
        try t.skipIfPresent(.context(0, constructed: true))
        try t.skip(.integer)
        try t.skip(.sequence)
        try t.skip(.sequence)
        try t.skip(.sequence)
        try t.skip(.sequence)
        return try t.read(.sequence).encoded
    }
}
