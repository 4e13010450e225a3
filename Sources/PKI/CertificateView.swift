import DER

/// An X.509 certificate (RFC 5280) read in place by our DER reader: the fields estbench checks,
/// as slices of the input — no OpenSSL parsing, no copies. A class: a response check hands one
/// certificate through several layers, and a struct of eleven slices cost eleven reference counts
/// per copy (the keep-alive profile's largest item of our own).
public final class CertificateView: Sendable {
    public let encoded: ArraySlice<UInt8>
    public let tbs: ArraySlice<UInt8>
    /// 0 for v1, 2 for v3.
    public let version: Int
    public let serialNumber: ArraySlice<UInt8>
    public let issuer: ArraySlice<UInt8>
    public let notBefore: DERTime
    public let notAfter: DERTime
    public let subject: ArraySlice<UInt8>
    public let publicKeyInfo: ArraySlice<UInt8>
    /// The `[3]` extensions' SEQUENCE content, when present.
    public let extensions: ArraySlice<UInt8>?
    public let signatureAlgorithm: ArraySlice<UInt8>
    public let signature: ArraySlice<UInt8>

    public convenience init(der: ArraySlice<UInt8>) throws(DERError) {
        let certificate = try DERReader.single(der)
        try self.init(element: certificate)
    }

    public init(element certificate: DERElement) throws(DERError) {
        try certificate.expect(.sequence)
        encoded = certificate.encoded
        var outer = certificate.children()
        let tbsElement = try outer.read(.sequence)
        signatureAlgorithm = try outer.read(.sequence).encoded
        signature = try outer.read(.bitString).bitString().bytes
        try outer.finish()
        tbs = tbsElement.encoded
        var t = tbsElement.children()
        if let v = try t.readIfPresent(.context(0, constructed: true)) {
            version = try DERReader.single(v.content).integer()
        } else {
            version = 0
        }
        serialNumber = try t.read().integerBytes()
        _ = try t.read(.sequence)
        issuer = try t.read(.sequence).encoded
        var validity = try t.read(.sequence).children()
        notBefore = try validity.read().time()
        notAfter = try validity.read().time()
        try validity.finish()
        subject = try t.read(.sequence).encoded
        publicKeyInfo = try t.read(.sequence).encoded
        _ = try t.readIfPresent(.context(1, constructed: false))
        _ = try t.readIfPresent(.context(2, constructed: false))
        if let x = try t.readIfPresent(.context(3, constructed: true)) {
            extensions = try DERReader.single(x.content).content
        } else {
            extensions = nil
        }
        try t.finish()
    }

    /// The subject's attributes in order, as (OID, text).
    public func subjectAttributes() throws(DERError) -> [(OID, String)] {
        try NameReader.attributes(of: subject)
    }
}

/// Reads X.501 Names (SEQUENCE OF RDN SET OF AttributeTypeAndValue) into (OID, text) pairs.
enum NameReader {
    static func attributes(of name: ArraySlice<UInt8>) throws(DERError) -> [(OID, String)] {
        var out: [(OID, String)] = []
        var rdns = try DERReader.single(name).children()
        while let rdn = try rdns.next() {
            try rdn.expect(.set)
            var atvs = rdn.children()
            while let atv = try atvs.next() {
                var fields = atv.children()
                let oid = try fields.read().oid()
                let value = try fields.read().string()
                try fields.finish()
                out.append((oid, value))
            }
        }
        return out
    }
}
