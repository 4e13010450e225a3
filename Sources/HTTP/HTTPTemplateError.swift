/// Why a request or response template was refused: text that would break the message framing
/// (CR/LF injection) or does not fit its place. Raised once, when the template is built.
public enum HTTPTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// CR, LF, NUL or another control byte in text bound for the message head: it could end a
    /// line early and inject fields. `field` names where (e.g. "Host", "X-Trace value").
    case controlCharacter(field: String, offset: Int, byte: UInt8)
    /// A field name that is not an RFC 9110 token (empty, spaces, separators).
    case invalidFieldName(String)
    /// An extra field the template writes itself (framing, Connection, Host, …); given twice it
    /// would make the message ambiguous.
    case reservedField(String)
    /// A request target that is not origin-form (`/path?query`, visible ASCII, no spaces).
    case invalidTarget(String)
    /// A Host that is empty or holds spaces, `/`, `@` or non-ASCII.
    case invalidHost(String)
    case invalidStatusCode(Int)
    case invalidRetryAfter(Int)
    /// RFC 7617 §2: the user-id of Basic credentials cannot contain a colon.
    case colonInUserID

    public var description: String {
        switch self {
        case .controlCharacter(let f, let o, let b):
            let h = String(b, radix: 16, uppercase: true)
            return "control byte 0x\(h.count == 1 ? "0" + h : h) at offset \(o) in \(f) (CR/LF would inject header lines)"
        case .invalidFieldName(let n): return "field name \"\(n)\" is not a token"
        case .reservedField(let n): return "field \"\(n)\" is written by the template itself"
        case .invalidTarget(let t): return "request target \"\(t)\" is not origin-form (/path?query, visible ASCII)"
        case .invalidHost(let h): return "Host \"\(h)\" is not host[:port]"
        case .invalidStatusCode(let c): return "status code \(c) outside 100...599"
        case .invalidRetryAfter(let s): return "Retry-After \(s) seconds is negative"
        case .colonInUserID: return "Basic auth user-id contains ':' (RFC 7617)"
        }
    }
}
