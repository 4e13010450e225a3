/// Why a response that arrived was rejected by validation (RFC 7030 checks), without the details.
/// Mirrors the checks the EST module runs; the raw value is the stable JSON key.
public enum ValidationFailureKind: String, CaseIterable, Sendable, Codable {
    case mediaType = "media_type"
    case base64
    case pkcs7
    case keyMismatch = "key_mismatch"
    case subjectMismatch = "subject_mismatch"
    case other
    /// A csrattrs answer that is not a DER `SEQUENCE OF AttrOrOID`.
    case csrattrs
    /// A serverkeygen answer whose key part is missing, does not parse, or is not the certificate's key.
    case serverKey = "server_key"
    /// A fullcmc answer that is not a Full PKI Response, or reports a failure status.
    case cmc
    /// An issued certificate that does not chain to the CA certificates `cacerts` returned.
    case chain
    /// An issued certificate whose validity window is not sane (not yet valid, expired, inverted).
    case validity
}
