import DER
import PKI

/// A CA certificate from a `cacerts` answer, read once when the answer arrives (not per issued
/// certificate): its subject, which an issued certificate's issuer must equal, and its key.
public struct ESTIssuingCA: Sendable {
    public let der: [UInt8]
    public let subject: ArraySlice<UInt8>
    public let publicKeyInfo: ArraySlice<UInt8>

    /// nil for a member of cacerts that does not parse: it cannot be anyone's issuer.
    public init?(der: [UInt8]) {
        do {
            let view = try CertificateView(der: der[...])
            (self.der, subject, publicKeyInfo) = (der, view.subject, view.publicKeyInfo)
        } catch {
            return nil
        }
    }
}
