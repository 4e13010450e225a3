/// Local addresses the run's connections are bound to before they connect, device i on address
/// i mod n: many devices against one server address then spread over n × the ephemeral port range
/// instead of exhausting one (`sourceAddresses: 127.0.0.2-127.0.0.64`). Kept as written for the plan;
/// `addresses` is the expansion.
public struct SourceAddresses: Sendable, Equatable, Encodable {
    /// As the profile gave them: addresses and IPv4 ranges `A-B`.
    public let specs: [String]
    public let addresses: [String]

    /// At most this many addresses (a /16).
    public static let limit = 65_536

    /// Expands `specs`; the error names the spec and what is allowed.
    public init(_ specs: [String]) throws(ProfileError) {
        var addresses: [String] = []
        for spec in specs {
            let parts = spec.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 2 {
                guard let from = Self.ipv4(parts[0]), let to = Self.ipv4(parts[1]), from <= to else {
                    throw .invalid([ProfileIssue(path: "sourceAddresses", message: "\"\(spec)\" is not an IPv4 range A-B with A ≤ B (e.g. 127.0.0.2-127.0.0.64)")])
                }
                guard Int(to - from) + 1 + addresses.count <= Self.limit else {
                    throw .invalid([ProfileIssue(path: "sourceAddresses", message: "more than \(Self.limit) addresses; allowed: up to \(Self.limit)")])
                }
                for value in from...to { addresses.append(Self.text(value)) }
            } else if parts.count == 1, Self.ipv4(parts[0]) != nil || (spec.contains(":") && !spec.contains("[")) {
                addresses.append(spec)
            } else {
                throw .invalid([ProfileIssue(path: "sourceAddresses", message: "\"\(spec)\" is neither an address (IPv4 or IPv6) nor an IPv4 range A-B")])
            }
        }
        guard addresses.count <= Self.limit else {
            throw .invalid([ProfileIssue(path: "sourceAddresses", message: "more than \(Self.limit) addresses; allowed: up to \(Self.limit)")])
        }
        guard !addresses.isEmpty else { throw .invalid([ProfileIssue(path: "sourceAddresses", message: "needs at least one address")]) }
        self.specs = specs
        self.addresses = addresses
    }

    static func ipv4(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let n = UInt32(octet), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    static func text(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(specs)
    }
}
