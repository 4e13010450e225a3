import DER

/// Whether a key and a certificate belong together: the one check for every identity loaded from
/// a certificate file and a key file (bootstrap identities, `probe --cert/--key`).
extension PrivateKey {
    /// True when `certificate` (DER) carries this key's public key (its SubjectPublicKeyInfo, byte for byte).
    public func isKey(ofCertificate certificate: [UInt8]) throws(DERError) -> Bool {
        let view = try CertificateView(der: certificate[...])
        return DERElement.bytesEqual(view.publicKeyInfo, publicKeyInfo[...])
    }
}
