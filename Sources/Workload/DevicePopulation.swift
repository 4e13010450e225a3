import PKI

/// The simulated devices: how many identities exist, their key type and CSR template, and
/// whether keys and CSRs come from a pool file or are generated before the clock starts.
public struct DevicePopulation: Sendable, Equatable, Encodable {
    /// Where the device keys and CSRs come from.
    public enum Source: Sendable, Equatable, Encodable {
        case generate
        case poolFile(path: String)
        /// Devices enrolled by an earlier run (`run --save-fleet`), with their issued certificates.
        case fleet(path: String)

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .generate: try container.encode("generate")
            case .poolFile(let path): try container.encode("pool:\(path)")
            case .fleet(let path): try container.encode("fleet:\(path)")
            }
        }
    }

    public var count: Int
    public var keyType: KeyType = .p256
    public var csr: CSRTemplate = CSRTemplate()
    public var source: Source = .generate

    public init(count: Int) { self.count = count }
}
