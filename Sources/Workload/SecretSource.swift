import Foundation

/// Where a secret lives — an environment variable or a file — never the secret itself, so plans
/// can be logged and written to result.json. The value is read only by `resolve`.
public enum SecretSource: Sendable, Equatable, Encodable {
    case environment(name: String)
    case file(path: String)

    /// Reads the secret now. A file's trailing newline is dropped; an empty secret is an error.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError) -> String {
        let value: String
        switch self {
        case .environment(let name):
            guard let found = environment[name] else { throw .environmentVariableUnset(name: name) }
            value = found
        case .file(let path):
            do {
                var text = try String(contentsOfFile: path, encoding: .utf8)
                while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
                value = text
            } catch {
                throw .fileUnreadable(path: path, reason: "\(error.localizedDescription)")
            }
        }
        guard !value.isEmpty else { throw .empty(source: sourceDescription) }
        return value
    }

    /// `env:NAME` or `file:PATH`, for messages and the redacted plan.
    public var sourceDescription: String {
        switch self {
        case .environment(let name): return "env:\(name)"
        case .file(let path): return "file:\(path)"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .environment(let name): try container.encode(name, forKey: .passwordEnv)
        case .file(let path): try container.encode(path, forKey: .passwordFile)
        }
    }

    private enum Key: String, CodingKey { case passwordEnv, passwordFile }
}
