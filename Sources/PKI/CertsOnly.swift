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
        let origin = der.startIndex
        let ranges = try der.withUnsafeBufferPointer { b throws(ParseError) in
            let s = DERScanner(UnsafeRawBufferPointer(b), origin: origin)
            let layout = try CertsOnly.layout(s, der)
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(layout.count)
            var members = layout.members
            // The members were read once by `layout`: reading them again cannot fail.
            while let c = try? members.next() { ranges.append(c.start + origin..<c.end + origin) }
            return (ranges, layout.signerCount)
        }
        certificates = ranges.0.map { der[$0] }
        signerCount = ranges.1
    }

    public init(der: [UInt8]) throws(ParseError) { try self.init(der: der[...]) }

    /// What `CertsOnly(der:)` checks, walked with `s` (over all of `der`): the certificate set's
    /// members (a scanner over them), how many, and how many SignerInfos.
    private static func layout(_ s: DERScanner, _ der: ArraySlice<UInt8>) throws(ParseError)
        -> (members: DERScanner, count: Int, signerCount: Int) {
        var signed = try signedData(s, der)
        let walked: (members: DERScanner, count: Int, signerCount: Int)
        do {
            var members = DERScanner(s.bytes, origin: s.origin, range: 0..<0)
            var count = 0
            if let set = try signed.readIfPresent(.context(0, constructed: true)) {
                members = s.children(set)
                var walk = members
                while try walk.next() != nil { count += 1 }
            }
            try signed.skipIfPresent(.context(1, constructed: true))
            let signers = try signed.read(.set)
            try signed.finish()
            var signerCount = 0
            var walk = s.children(signers)
            while try walk.next() != nil { signerCount += 1 }
            walked = (members, count, signerCount)
        } catch {
            throw .der(error)
        }
        if walked.count == 0 { throw .noCertificates }
        return walked
    }

    /// SignedData's fields after `version`, `digestAlgorithms` and `encapContentInfo`.
    private static func signedData(_ s: DERScanner, _ der: ArraySlice<UInt8>) throws(ParseError) -> DERScanner {
        var contentInfo: DERScanner
        let type: DERSpan
        do {
            var top = s
            let info = try top.read()
            try top.finish()
            contentInfo = s.children(info)
            type = try contentInfo.read(.objectIdentifier)
        } catch { throw .der(error) }
        guard OIDs.signedData.content.withUnsafeBytes({ DERElement.bytesEqual($0, s.content(type)) }) else {
            let element = DERElement(tag: type.tag, encoded: der[type.start + s.origin..<type.end + s.origin],
                                     contentStart: type.contentStart + s.origin)
            throw .notSignedData(contentType: (try? element.oid().description) ?? "(malformed OID)")
        }
        do {
            let explicit = try contentInfo.read(.context(0, constructed: true))
            try contentInfo.finish()
            var signed = s.children(try s.single(in: explicit))
            try signed.skip(.integer)
            try signed.skip(.set)
            try signed.skip(.sequence)
            return signed
        } catch { throw .der(error) }
    }

    /// `CertsOnly(der:)` then `issued(matching:)` in one walk, with the same checks and errors,
    /// without building the certificate list (the enrollment answer's hot path): how many
    /// certificates the message holds, and the one for `publicKeyInfo` with its index.
    public static func issued(in der: ArraySlice<UInt8>, matching publicKeyInfo: ArraySlice<UInt8>) throws(ParseError)
        -> (certificateCount: Int, found: (index: Int, certificate: CertificateView)?) {
        try der.withUnsafeBufferPointer { b throws(ParseError) -> (certificateCount: Int, found: (index: Int, certificate: CertificateView)?) in
            let s = DERScanner(UnsafeRawBufferPointer(b), origin: der.startIndex)
            var (members, count, _) = try layout(s, der)
            let found = try publicKeyInfo.withUnsafeBufferPointer { key throws(ParseError) -> (index: Int, certificate: CertificateView)? in
                var index = 0
                while let c = try? members.next() {
                    let spki: Range<Int>
                    do throws(DERError) { spki = try CertsOnly.publicKeyInfo(s, c) } catch { throw .malformedCertificate(index: index, error) }
                    if DERElement.bytesEqual(UnsafeRawBufferPointer(key), UnsafeRawBufferPointer(rebasing: s.bytes[spki])) {
                        let encoded = der[c.start + s.origin..<c.end + s.origin]
                        do throws(DERError) { return (index, try CertificateView(der: encoded)) } catch {
                            throw .malformedCertificate(index: index, error)
                        }
                    }
                    index += 1
                }
                return nil
            }
            return (count, found)
        }
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
        let range = try der.withUnsafeBufferPointer { b throws(DERError) in
            let s = DERScanner(UnsafeRawBufferPointer(b), origin: der.startIndex)
            var top = s
            let certificate = try top.read()
            try top.finish()
            return try publicKeyInfo(s, certificate)
        }
        return der[range.lowerBound + der.startIndex..<range.upperBound + der.startIndex]
    }

    /// The SubjectPublicKeyInfo's encoding in `certificate` (any tag: the walk checks the fields inside).
    private static func publicKeyInfo(_ s: DERScanner, _ certificate: DERSpan) throws(DERError) -> Range<Int> {
        var outer = s.children(certificate)
        var t = s.children(try outer.read(.sequence))
        try t.skipIfPresent(.context(0, constructed: true))
        try t.skip(.integer)
        try t.skip(.sequence)
        try t.skip(.sequence)
        try t.skip(.sequence)
        try t.skip(.sequence)
        return try t.read(.sequence).encoded
    }
}
