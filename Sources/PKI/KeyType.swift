import DER

/// The key types estbench generates for devices and CAs.
public enum KeyType: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case p256, p384, rsa2048, rsa3072, rsa4096, ed25519

    public var description: String { rawValue }

    /// The list users see in errors and help.
    public static let allowedNames = KeyType.allCases.map(\.rawValue).joined(separator: ", ")

    public var isEC: Bool { self == .p256 || self == .p384 }
    public var isRSA: Bool { self == .rsa2048 || self == .rsa3072 || self == .rsa4096 }

    /// RSA modulus size in bits.
    public var rsaBits: Int32 {
        switch self {
        case .rsa2048: return 2048
        case .rsa3072: return 3072
        case .rsa4096: return 4096
        default: return 0
        }
    }

    /// OpenSSL's algorithm name for key generation and import.
    var openSSLAlgorithm: String { isEC ? "EC" : isRSA ? "RSA" : "ED25519" }

    /// OpenSSL group name for EC keys.
    var curveName: String {
        self == .p256 ? "P-256" : "P-384"
    }

    /// Size of an EC private scalar, and of an EC uncompressed point.
    var scalarBytes: Int { self == .p256 ? 32 : 48 }
    var pointBytes: Int { 1 + 2 * scalarBytes }

    /// Stable code in pool files; never reuse a number.
    public var poolCode: UInt8 {
        switch self {
        case .p256: return 1
        case .p384: return 2
        case .rsa2048: return 3
        case .rsa3072: return 4
        case .rsa4096: return 5
        case .ed25519: return 6
        }
    }

    public init?(poolCode: UInt8) {
        guard let match = KeyType.allCases.first(where: { $0.poolCode == poolCode }) else { return nil }
        self = match
    }

    /// The signature scheme a CSR uses by default for this key type.
    public var defaultSignature: SignatureScheme {
        switch self {
        case .p256: return .ecdsaSHA256
        case .p384: return .ecdsaSHA384
        case .rsa2048, .rsa3072, .rsa4096: return .rsaPKCS1SHA256
        case .ed25519: return .ed25519
        }
    }
}
