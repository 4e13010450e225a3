/// Why a response that arrived was rejected by validation (RFC 7030 checks), without the details.
/// Mirrors the checks the EST module runs; the raw value is the stable JSON key.
public enum ValidationFailureKind: String, CaseIterable, Sendable, Codable {
    case mediaType = "media_type"
    case base64
    case pkcs7
    case keyMismatch = "key_mismatch"
    case subjectMismatch = "subject_mismatch"
    case other
}
