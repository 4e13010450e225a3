import DER

/// Writes a certs-only CMS SignedData ContentInfo (RFC 5652 5.1; EST `cacerts` and enrollment
/// responses): version 1, no digest algorithms, id-data without content, the certificates as
/// `[0] IMPLICIT`, no CRLs, no signers. Certificates keep the order given (as OpenSSL writes them),
/// so readers see the chain in the order the server chose.
public enum CertsOnlyWriter {
    /// The certs-only message holding `certificates` (each a complete DER certificate).
    public static func encode<C: Collection<UInt8>>(_ certificates: [C]) -> [UInt8] {
        var w = DERWriter(capacity: certificates.reduce(64) { $0 + $1.count })
        append(certificates, to: &w)
        return w.bytes
    }

    /// Appends the certs-only message to `w`.
    public static func append<C: Collection<UInt8>>(_ certificates: [C], to w: inout DERWriter) {
        appendHeader(certificatesLength: certificates.reduce(0) { $0 + $1.count }, to: &w)
        for c in certificates { w.appendContent(c) }
        appendTrailer(to: &w)
    }

    /// ContentInfo, SignedData and the `[0]` header, for `certificatesLength` bytes of certificates the
    /// caller appends next, followed by `appendTrailer` (lengths known up front: nothing is moved).
    static func appendHeader(certificatesLength: Int, to w: inout DERWriter) {
        let certificates = 1 + DERWriter.lengthOfLength(certificatesLength) + certificatesLength
        let signedDataContent = version.count + digestAlgorithms.count + encapsulatedContentInfo.count + certificates + signerInfos.count
        let signedData = 1 + DERWriter.lengthOfLength(signedDataContent) + signedDataContent
        let explicit = 1 + DERWriter.lengthOfLength(signedData) + signedData
        w.writeHeader(.sequence, contentLength: OIDs.signedData.tlv.count + explicit)
        w.appendEncoded(OIDs.signedData.tlv)
        w.writeHeader(.context(0, constructed: true), contentLength: signedData)
        w.writeHeader(.sequence, contentLength: signedDataContent)
        w.appendEncoded(version)
        w.appendEncoded(digestAlgorithms)
        w.appendEncoded(encapsulatedContentInfo)
        w.writeHeader(.context(0, constructed: true), contentLength: certificatesLength)
    }

    /// The empty signerInfos that close the message.
    static func appendTrailer(to w: inout DERWriter) {
        w.appendEncoded(signerInfos)
    }

    static let version: [UInt8] = [0x02, 0x01, 0x01]
    static let digestAlgorithms: [UInt8] = [0x31, 0x00]
    static let signerInfos: [UInt8] = [0x31, 0x00]
    /// EncapsulatedContentInfo { eContentType id-data } with eContent absent.
    static let encapsulatedContentInfo: [UInt8] = {
        var w = DERWriter(capacity: 16)
        w.sequence { $0.oid(OIDs.data) }
        return w.bytes
    }()
}
