import DER

/// An X.509 certificate (RFC 5280) read in place by our DER scanner: the fields estbench checks,
/// as slices of the input — no OpenSSL parsing, no copies. A class holding the input once and each
/// field as a range: a response check hands one certificate through several layers, and a struct
/// of eleven slices cost eleven reference counts per copy (the keep-alive profile's largest item
/// of our own); eleven slices in a class still cost eleven at creation and destruction.
public final class CertificateView: Sendable {
    /// The bytes read (the caller's array slice: the ranges are its indices).
    let input: ArraySlice<UInt8>
    let fields: Fields
    /// 0 for v1, 2 for v3.
    public let version: Int
    public let notBefore: DERTime
    public let notAfter: DERTime

    /// Where each field lies in `input`.
    struct Fields: Sendable {
        var encoded: Range<Int>
        var tbs: Range<Int>
        var serialNumber: Range<Int>
        var issuer: Range<Int>
        var subject: Range<Int>
        var publicKeyInfo: Range<Int>
        var extensions: Range<Int>?
        var signatureAlgorithm: Range<Int>
        var signature: Range<Int>

        /// Offsets into the scanned buffer as indices of an input starting at `origin`.
        func shifted(by origin: Int) -> Fields {
            func shift(_ r: Range<Int>) -> Range<Int> { r.lowerBound + origin..<r.upperBound + origin }
            return Fields(encoded: shift(encoded), tbs: shift(tbs), serialNumber: shift(serialNumber), issuer: shift(issuer),
                          subject: shift(subject), publicKeyInfo: shift(publicKeyInfo), extensions: extensions.map(shift),
                          signatureAlgorithm: shift(signatureAlgorithm), signature: shift(signature))
        }
    }

    public var encoded: ArraySlice<UInt8> { input[fields.encoded] }
    public var tbs: ArraySlice<UInt8> { input[fields.tbs] }
    public var serialNumber: ArraySlice<UInt8> { input[fields.serialNumber] }
    public var issuer: ArraySlice<UInt8> { input[fields.issuer] }
    public var subject: ArraySlice<UInt8> { input[fields.subject] }
    public var publicKeyInfo: ArraySlice<UInt8> { input[fields.publicKeyInfo] }
    /// The `[3]` extensions' SEQUENCE content, when present.
    public var extensions: ArraySlice<UInt8>? { fields.extensions.map { input[$0] } }
    public var signatureAlgorithm: ArraySlice<UInt8> { input[fields.signatureAlgorithm] }
    public var signature: ArraySlice<UInt8> { input[fields.signature] }

    /// Reads the certificate filling all of `der`.
    public init(der: ArraySlice<UInt8>) throws(DERError) {
        let origin = der.startIndex
        let read = try der.withUnsafeBufferPointer { b throws(DERError) in
            var top = DERScanner(UnsafeRawBufferPointer(b), origin: origin)
            let certificate = try top.read()
            try top.finish()
            return try CertificateView.read(top, certificate)
        }
        input = der
        version = read.version
        notBefore = read.notBefore
        notAfter = read.notAfter
        fields = read.fields.shifted(by: origin)
    }

    public convenience init(element certificate: DERElement) throws(DERError) {
        try self.init(der: certificate.encoded)
    }

    /// The certificate's fields, as offsets into the scanner's bytes.
    static func read(_ s: DERScanner, _ certificate: DERSpan) throws(DERError)
        -> (fields: Fields, version: Int, notBefore: DERTime, notAfter: DERTime) {
        try s.expect(certificate, .sequence)
        var outer = s.children(certificate)
        let tbs = try outer.read(.sequence)
        let signatureAlgorithm = try outer.read(.sequence)
        let signature = try s.bitStringBytes(try outer.read())
        try outer.finish()
        var t = s.children(tbs)
        let version: Int
        if let v = try t.readIfPresent(.context(0, constructed: true)) {
            version = try s.integer(try s.single(in: v))
        } else {
            version = 0
        }
        let serial = try s.integerBytes(try t.read())
        _ = try t.read(.sequence)
        let issuer = try t.read(.sequence)
        var validity = s.children(try t.read(.sequence))
        let notBefore = try s.time(try validity.read())
        let notAfter = try s.time(try validity.read())
        try validity.finish()
        let subject = try t.read(.sequence)
        let publicKeyInfo = try t.read(.sequence)
        _ = try t.readIfPresent(.context(1, constructed: false))
        _ = try t.readIfPresent(.context(2, constructed: false))
        var extensions: Range<Int>?
        if let x = try t.readIfPresent(.context(3, constructed: true)) {
            extensions = try s.single(in: x).content
        }
        try t.finish()
        let fields = Fields(encoded: certificate.encoded, tbs: tbs.encoded, serialNumber: serial.content, issuer: issuer.encoded,
                            subject: subject.encoded, publicKeyInfo: publicKeyInfo.encoded, extensions: extensions,
                            signatureAlgorithm: signatureAlgorithm.encoded, signature: signature)
        return (fields, version, notBefore, notAfter)
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
