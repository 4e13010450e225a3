import DER

/// The object identifiers certificate issuance writes and accepts, beyond those CSRs need.
extension OIDs {
    // Certificate extensions (RFC 5280 4.2.1)
    public static let subjectKeyIdentifier = OID("2.5.29.14")
    public static let keyUsage = OID("2.5.29.15")
    public static let basicConstraints = OID("2.5.29.19")
    public static let authorityKeyIdentifier = OID("2.5.29.35")
    public static let extendedKeyUsage = OID("2.5.29.37")
    public static let serverAuth = OID("1.3.6.1.5.5.7.3.1")
    public static let clientAuth = OID("1.3.6.1.5.5.7.3.2")
    // Signature algorithms accepted on CSRs (RFC 5758, RFC 4055)
    public static let ecdsaWithSHA512 = OID("1.2.840.10045.4.3.4")
    public static let sha384WithRSAEncryption = OID("1.2.840.113549.1.1.12")
    public static let sha512WithRSAEncryption = OID("1.2.840.113549.1.1.13")
    public static let sha384 = OID("2.16.840.1.101.3.4.2.2")
    public static let sha512 = OID("2.16.840.1.101.3.4.2.3")
}
