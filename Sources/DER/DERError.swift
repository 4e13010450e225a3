/// Why a byte string is not valid DER, or not the value asked for; offsets count from the start of the reader's input.
public enum DERError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended inside a tag or length header.
    case truncated(offset: Int)
    /// A content length larger than the bytes that remain.
    case lengthBeyondBuffer(offset: Int, length: Int, available: Int)
    /// BER indefinite length (0x80), not allowed in DER.
    case indefiniteLength(offset: Int)
    /// A long-form length that could have been shorter.
    case nonMinimalLength(offset: Int)
    /// A length that does not fit in the address space.
    case lengthTooLarge(offset: Int)
    /// Tag numbers of 31 and up (multi-byte identifiers).
    case highTagNumber(offset: Int)
    /// Bytes left after the element(s) that should have filled the input.
    case trailingBytes(offset: Int, count: Int)
    /// Another element was expected here.
    case unexpectedEnd(offset: Int)
    case unexpectedTag(offset: Int, expected: DERTag, found: DERTag)
    /// A primitive value whose content is not a valid DER encoding of its type.
    case invalidValue(offset: Int, type: DERTag, reason: String)

    public var description: String {
        switch self {
        case .truncated(let o): return "DER truncated in a header at offset \(o)"
        case .lengthBeyondBuffer(let o, let l, let a):
            return "DER length \(l) at offset \(o) exceeds the \(a) bytes available"
        case .indefiniteLength(let o): return "indefinite length at offset \(o) (BER, not DER)"
        case .nonMinimalLength(let o): return "non-minimal length encoding at offset \(o)"
        case .lengthTooLarge(let o): return "length too large at offset \(o)"
        case .highTagNumber(let o): return "multi-byte tag number at offset \(o) (not used by X.509)"
        case .trailingBytes(let o, let c): return "\(c) trailing bytes at offset \(o)"
        case .unexpectedEnd(let o): return "expected another element at offset \(o)"
        case .unexpectedTag(let o, let e, let f): return "expected \(e) at offset \(o), found \(f)"
        case .invalidValue(let o, let t, let r): return "invalid \(t) at offset \(o): \(r)"
        }
    }
}
