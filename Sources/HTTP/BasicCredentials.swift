/// HTTP Basic credentials (RFC 7617), sent pre-emptively or after a 401 challenge. The
/// `Authorization` value is encoded once, so each request copies bytes instead of re-encoding.
public struct BasicCredentials: Sendable, Equatable {
    public let user: String
    /// `Basic <base64(user ":" password)>`, UTF-8 before encoding (RFC 7617 `charset="UTF-8"`).
    public let fieldValue: String

    public init(user: String, password: String) throws(HTTPTemplateError) {
        try HTTPSyntax.validateText(user, field: "Basic user-id", allowTab: false)
        try HTTPSyntax.validateText(password, field: "Basic password", allowTab: false)
        guard !user.utf8.contains(HTTPSyntax.colon) else { throw .colonInUserID }
        self.user = user
        let encoded = Self.base64(Array(user.utf8) + [HTTPSyntax.colon] + Array(password.utf8))
        fieldValue = "Basic " + String(decoding: encoded, as: UTF8.self)
    }

    /// The whole field line, `Authorization: Basic …` CRLF: what a request template copies for a
    /// device with its own credentials.
    public var fieldLine: [UInt8] { Array("Authorization: \(fieldValue)\r\n".utf8) }
}
