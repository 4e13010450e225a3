/// Why a fleet file could not be written or read, naming the file and what was wrong in it.
public enum FleetError: Error, Sendable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case malformed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let p, let r): return "cannot write fleet file \(p): \(r)"
        case .cannotRead(let p, let r): return "cannot read fleet file \(p): \(r)"
        case .malformed(let p, let r): return "fleet file \(p): \(r)"
        }
    }
}
