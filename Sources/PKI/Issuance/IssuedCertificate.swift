/// What `CertificateIssuer` returns: the certs-only message (the simpleenroll response body before
/// base64) and, as views into the same bytes, the certificate and its serial number.
public struct IssuedCertificate: Sendable {
    /// Certs-only CMS SignedData (DER) holding just the issued certificate (RFC 7030 4.2.3).
    public let certsOnly: [UInt8]
    /// The certificate's DER, a slice of `certsOnly`.
    public let certificate: ArraySlice<UInt8>
    /// The serial number's content octets, a slice of `certsOnly`.
    public let serialNumber: ArraySlice<UInt8>
    /// The CSR's key type (it decided keyUsage).
    public let keyType: KeyType
}
