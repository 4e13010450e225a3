import PKI

/// How each device's CSR subject is formed: patterns in PKI's `FieldPattern` grammar, where `{i}`
/// (or `{i:0N}`, zero-padded) becomes the device's 0-based index, so every device has its own name.
public struct CSRTemplate: Sendable, Equatable, Encodable {
    public var commonNamePattern: String = "estbench-device-{i}"
    public var sanDNSPatterns: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey { case commonNamePattern = "commonName", sanDNSPatterns = "sanDNS" }

    /// The common name for device `index` (validated patterns expand; an invalid one is returned as is).
    public func commonName(device index: Int) -> String {
        (try? FieldPattern(commonNamePattern))?.expand(index) ?? commonNamePattern
    }

    /// The SAN dNSNames for device `index`.
    public func sanDNS(device index: Int) -> [String] {
        sanDNSPatterns.map { (try? FieldPattern($0))?.expand(index) ?? $0 }
    }
}
