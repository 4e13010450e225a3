/// The key algorithm every device generates (or finds in its pool) for its CSRs.
public enum KeyType: String, CaseIterable, Sendable, Encodable {
    case p256, p384, rsa2048, ed25519
}
