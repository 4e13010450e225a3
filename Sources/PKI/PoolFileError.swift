import DER

/// Everything that can be wrong with a pool file, each naming what was found and what is allowed.
public enum PoolFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case badMagic
    case unsupportedVersion(found: UInt16, supported: UInt16)
    case unknownKeyType(code: UInt8)
    case truncated(section: String, offset: Int)
    case countMismatch(header: Int, found: Int)
    case malformedTemplate(String)
    case malformedCSR(entry: Int, DERError)
    case invalidKey(entry: Int, PKIError)
    case keyMismatch(entry: Int)
    case indexOutOfRange(index: Int, count: Int)
    case generationFailed(entry: Int, PKIError)

    public var description: String {
        switch self {
        case .cannotRead(let p, let r): return "cannot read pool file \(p): \(r)"
        case .cannotWrite(let p, let r): return "cannot write pool file \(p): \(r)"
        case .badMagic: return "not an estbench pool file (the first 8 bytes are not \"ESTBPOOL\")"
        case .unsupportedVersion(let f, let s): return "pool file version \(f) is not supported; this estbench reads version \(s)"
        case .unknownKeyType(let c): return "pool file key type code \(c) is unknown; known: 1-6 (\(KeyType.allowedNames))"
        case .truncated(let s, let o): return "pool file is truncated in \(s) at byte \(o)"
        case .countMismatch(let h, let f): return "pool file header says \(h) entries but the file holds \(f)"
        case .malformedTemplate(let r): return "pool file template is malformed: \(r)"
        case .malformedCSR(let e, let d): return "pool entry \(e): CSR is not valid DER: \(d)"
        case .invalidKey(let e, let k): return "pool entry \(e): private key does not load: \(k)"
        case .keyMismatch(let e): return "pool entry \(e): private key does not match the CSR's public key"
        case .indexOutOfRange(let i, let c): return "index \(i) is outside the pool (0...\(c - 1))"
        case .generationFailed(let e, let k): return "generating entry \(e) failed: \(k)"
        }
    }
}
