/// Why a secret named by the plan (environment variable or file) could not be resolved when asked.
/// Names the source, never carries the secret.
public enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case environmentVariableUnset(name: String)
    case fileUnreadable(path: String, reason: String)
    case empty(source: String)

    public var description: String {
        switch self {
        case .environmentVariableUnset(let name): return "password environment variable \(name) is not set"
        case .fileUnreadable(let path, let reason): return "cannot read password file \(path): \(reason)"
        case .empty(let source): return "password from \(source) is empty"
        }
    }
}
