/// Why the server could not start.
public enum ServerError: Error, CustomStringConvertible {
    case threads(String)
    case configuration(String)

    public var description: String {
        switch self {
        case .threads(let s): return "server threads: \(s)"
        case .configuration(let s): return s
        }
    }
}
