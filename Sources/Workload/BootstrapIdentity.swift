/// How devices authenticate before they hold an issued certificate: one identity shared by every
/// device, one minted per device from a factory CA (IDevID-like), or one per device read from a
/// directory. Holds paths only, so the plan that carries it can be written to result.json.
public enum BootstrapIdentity: Sendable, Equatable, Encodable {
    /// One certificate chain and key for every device.
    case shared(ClientIdentity)
    /// A factory CA: estbench mints each device a certificate for its own key before the clock starts.
    case factoryCA(FactoryCA)
    /// A directory of `device-<i>.pem` (certificate chain) and `device-<i>.key` (its key) pairs.
    case directory(path: String)

    /// The shared identity, when that is what the profile gave.
    public var shared: ClientIdentity? {
        if case .shared(let identity) = self { return identity }
        return nil
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .shared(let identity): try identity.encode(to: encoder)
        case .factoryCA(let ca): try ca.encode(to: encoder)
        case .directory(let path):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(path, forKey: .directory)
        }
    }

    private enum Key: String, CodingKey { case directory }
}
