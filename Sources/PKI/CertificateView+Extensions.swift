import DER

/// Extension lookups on a certificate read in place.
extension CertificateView {
    /// The content of extension `oid`'s extnValue OCTET STRING, if present.
    public func extensionValue(_ oid: OID) -> ArraySlice<UInt8>? {
        guard let extensions else { return nil }
        var list = DERReader(extensions)
        while let e = try? list.next() {
            var fields = e.children()
            guard let id = try? fields.read(.objectIdentifier) else { return nil }
            if id.isOID(oid) {
                _ = try? fields.readIfPresent(.boolean)
                return try? fields.read(.octetString).content
            }
        }
        return nil
    }

    /// The subjectAltName extension's value (a DER GeneralNames), if present.
    public var subjectAltName: ArraySlice<UInt8>? { extensionValue(OIDs.subjectAltName) }
}
