import Foundation

/// How each device's CSR subject is formed; `{i}` in a pattern becomes the device's index
/// (0-based), so every device has its own name.
public struct CSRTemplate: Sendable, Equatable, Encodable {
    /// Placeholders a pattern may hold.
    public static let placeholders = ["{i}"]

    public var commonNamePattern: String = "estbench-device-{i}"
    public var sanDNSPatterns: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey { case commonNamePattern = "commonName", sanDNSPatterns = "sanDNS" }

    /// The common name for device `index`.
    public func commonName(device index: Int) -> String {
        commonNamePattern.replacingOccurrences(of: "{i}", with: String(index))
    }

    /// The SAN dNSNames for device `index`.
    public func sanDNS(device index: Int) -> [String] {
        sanDNSPatterns.map { $0.replacingOccurrences(of: "{i}", with: String(index)) }
    }
}
