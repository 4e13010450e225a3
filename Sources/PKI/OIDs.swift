import DER

/// The object identifiers estbench writes and looks for, encoded once.
public enum OIDs {
    // Keys
    public static let ecPublicKey = OID("1.2.840.10045.2.1")
    public static let prime256v1 = OID("1.2.840.10045.3.1.7")
    public static let secp384r1 = OID("1.3.132.0.34")
    public static let rsaEncryption = OID("1.2.840.113549.1.1.1")
    public static let ed25519 = OID("1.3.101.112")
    // Signatures and digests
    public static let ecdsaWithSHA256 = OID("1.2.840.10045.4.3.2")
    public static let ecdsaWithSHA384 = OID("1.2.840.10045.4.3.3")
    public static let sha256WithRSAEncryption = OID("1.2.840.113549.1.1.11")
    public static let rsassaPSS = OID("1.2.840.113549.1.1.10")
    public static let mgf1 = OID("1.2.840.113549.1.1.8")
    public static let sha256 = OID("2.16.840.1.101.3.4.2.1")
    // Names
    public static let commonName = OID("2.5.4.3")
    public static let surname = OID("2.5.4.4")
    public static let serialNumber = OID("2.5.4.5")
    public static let country = OID("2.5.4.6")
    public static let locality = OID("2.5.4.7")
    public static let stateOrProvince = OID("2.5.4.8")
    public static let organization = OID("2.5.4.10")
    public static let organizationalUnit = OID("2.5.4.11")
    public static let emailAddress = OID("1.2.840.113549.1.9.1")
    public static let domainComponent = OID("0.9.2342.19200300.100.1.25")
    // PKCS#9 attributes and extensions
    public static let challengePassword = OID("1.2.840.113549.1.9.7")
    public static let extensionRequest = OID("1.2.840.113549.1.9.14")
    public static let subjectAltName = OID("2.5.29.17")
    // CMS
    public static let signedData = OID("1.2.840.113549.1.7.2")
    public static let data = OID("1.2.840.113549.1.7.1")
}
