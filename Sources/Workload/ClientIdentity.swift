/// A TLS client certificate and its private key, by file path: the bootstrap (manufacturer)
/// identity a device presents for its first enrollment.
public struct ClientIdentity: Sendable, Equatable, Encodable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    enum CodingKeys: String, CodingKey { case certificatePath = "certificate", keyPath = "key" }
}
