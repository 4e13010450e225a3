/// How many issued certificates have their signature verified against the CA certificates from
/// `cacerts` (the issuer name is checked on every one). A verification is one OpenSSL signature
/// verify — about 40 µs for P-256 on a 2.4 GHz core, twice the rest of the client's work per
/// kept-alive enrollment — so by default a sample is verified: the first 100 per load thread, then
/// one in 100 (a CA signing with the wrong key is caught at once, an occasional bad signature soon).
public enum SignatureChecks: String, CaseIterable, Sendable, Equatable, Encodable {
    case all, sample, off

    public static let allowedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// Whether the `n`th issued certificate (0-based, per load thread) is verified.
    public func verifies(_ n: Int) -> Bool {
        switch self {
        case .all: return true
        case .off: return false
        case .sample: return n < 100 || n % 100 == 0
        }
    }
}
