/// A bootstrap CA by file path (PEM certificate, PEM key): the factory that signs each device's
/// manufacturer certificate, as an IDevID would be signed, with the device's CSR subject and SAN.
public struct FactoryCA: Sendable, Equatable, Encodable {
    public var certificatePath: String
    public var keyPath: String
    /// Validity of the minted device certificates, in days.
    public var validityDays: Int

    public static let defaultValidityDays = 3650

    public init(certificatePath: String, keyPath: String, validityDays: Int = FactoryCA.defaultValidityDays) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.validityDays = validityDays
    }

    enum CodingKeys: String, CodingKey { case certificatePath = "caCertificate", keyPath = "caKey", validityDays }
}
