import Foundation

/// HTTP Basic credentials as the profile gives them: a user and where the password lives.
/// Holds no password; `password()` reads it on demand.
public struct BasicCredentials: Sendable, Equatable, Encodable {
    public var user: String
    public var password: SecretSource

    public init(user: String, password: SecretSource) {
        self.user = user
        self.password = password
    }

    /// One user per device (`dev-{i}`): the password source holds one password per line (line i for
    /// device i), or a single line every device shares.
    public var isPerDevice: Bool { user.contains("{") }

    /// Resolves the password from its source (environment or file) now.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError) -> String {
        try password.resolve(environment: environment)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(user, forKey: .user)
        try container.encode(password.sourceDescription, forKey: .password)
    }

    private enum Key: String, CodingKey { case user, password }
}
