import DER

/// A PKCS#10 CSR read in place by our DER reader: the signed CertificationRequestInfo, subject,
/// public key, attributes and signature as slices of the input.
public struct CSRView: Sendable {
    public let encoded: ArraySlice<UInt8>
    /// The signed bytes (CertificationRequestInfo, tag and length included).
    public let info: ArraySlice<UInt8>
    public let version: Int
    public let subject: ArraySlice<UInt8>
    public let publicKeyInfo: ArraySlice<UInt8>
    /// The `[0]` attributes' content (a SET OF Attribute without its tag).
    public let attributes: ArraySlice<UInt8>
    public let signatureAlgorithm: ArraySlice<UInt8>
    public let signature: ArraySlice<UInt8>

    public init(der: ArraySlice<UInt8>) throws(DERError) {
        let csr = try DERReader.single(der)
        try csr.expect(.sequence)
        encoded = csr.encoded
        var outer = csr.children()
        let infoElement = try outer.read(.sequence)
        signatureAlgorithm = try outer.read(.sequence).encoded
        signature = try outer.read(.bitString).bitString().bytes
        try outer.finish()
        info = infoElement.encoded
        var fields = infoElement.children()
        version = try fields.read().integer()
        subject = try fields.read(.sequence).encoded
        publicKeyInfo = try fields.read(.sequence).encoded
        attributes = try fields.read(.context(0, constructed: true)).content
        try fields.finish()
    }

    public init(der: [UInt8]) throws(DERError) { try self.init(der: der[...]) }

    public func subjectAttributes() throws(DERError) -> [(OID, String)] {
        try NameReader.attributes(of: subject)
    }

    /// The values of attribute `oid` (each the encoding of one member of its SET).
    func attributeValues(_ oid: OID) throws(DERError) -> [DERElement] {
        var all = DERReader(attributes)
        while let attribute = try all.next() {
            var fields = attribute.children()
            if try fields.read(.objectIdentifier).isOID(oid) {
                var values = try fields.read(.set).children()
                var out: [DERElement] = []
                while let v = try values.next() { out.append(v) }
                return out
            }
        }
        return []
    }

    public func challengePassword() throws(DERError) -> String? {
        try attributeValues(OIDs.challengePassword).first?.string()
    }

    /// The requested extensions as (OID, critical, extnValue content).
    public func requestedExtensions() throws(DERError) -> [(oid: OID, critical: Bool, value: ArraySlice<UInt8>)] {
        guard let list = try attributeValues(OIDs.extensionRequest).first else { return [] }
        var out: [(oid: OID, critical: Bool, value: ArraySlice<UInt8>)] = []
        var extensions = list.children()
        while let e = try extensions.next() {
            var f = e.children()
            let oid = try f.read().oid()
            let critical = try f.readIfPresent(.boolean)?.boolean() ?? false
            let value = try f.read(.octetString).content
            try f.finish()
            out.append((oid, critical, value))
        }
        return out
    }

    /// Subject alternative names: DNS names, URIs (as text) and IP addresses (raw bytes).
    public func subjectAltNames() throws(DERError) -> (dns: [String], uri: [String], ip: [[UInt8]]) {
        var result: (dns: [String], uri: [String], ip: [[UInt8]]) = ([], [], [])
        guard let san = try requestedExtensions().first(where: { $0.oid == OIDs.subjectAltName }) else { return result }
        var names = try DERReader.single(san.value).children()
        while let n = try names.next() {
            switch n.tag {
            case .context(2, constructed: false): result.dns.append(String(decoding: n.content, as: UTF8.self))
            case .context(6, constructed: false): result.uri.append(String(decoding: n.content, as: UTF8.self))
            case .context(7, constructed: false): result.ip.append(Array(n.content))
            default: continue
            }
        }
        return result
    }
}
