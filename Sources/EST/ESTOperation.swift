/// The EST operations of RFC 7030 and what each sends and expects on the wire.
/// Codable by its raw name (`simpleenroll`), as profiles and the plan in result.json spell it.
public enum ESTOperation: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case cacerts, simpleenroll, simplereenroll, fullcmc, serverkeygen, csrattrs

    public var description: String { rawValue }

    /// The case's position: equality and hashing use it, not the raw String (this type keys
    /// per-operation tables on the hot path).
    public var ordinal: Int {
        switch self {
        case .cacerts: return 0
        case .simpleenroll: return 1
        case .simplereenroll: return 2
        case .fullcmc: return 3
        case .serverkeygen: return 4
        case .csrattrs: return 5
        }
    }

    public static func == (a: ESTOperation, b: ESTOperation) -> Bool { a.ordinal == b.ordinal }

    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

    public static let allowedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// Operations that leave the device holding a certificate it can later renew.
    public var issuesCertificate: Bool {
        switch self {
        case .simpleenroll, .simplereenroll, .fullcmc, .serverkeygen: return true
        case .cacerts, .csrattrs: return false
        }
    }

    /// GET for cacerts and csrattrs, POST for the rest (RFC 7030 4.1-4.5).
    public var usesPOST: Bool { self != .cacerts && self != .csrattrs }

    /// The request body's media type (nil: no body).
    public var requestContentType: String? {
        switch self {
        case .cacerts, .csrattrs: return nil
        case .simpleenroll, .simplereenroll, .serverkeygen: return ESTMediaType.pkcs10
        case .fullcmc: return ESTMediaType.cmcRequest
        }
    }

    /// The media type of a successful response.
    public var responseContentType: String {
        switch self {
        case .cacerts: return ESTMediaType.pkcs7
        case .simpleenroll, .simplereenroll: return ESTMediaType.certsOnly
        case .fullcmc: return ESTMediaType.cmcResponse
        case .serverkeygen: return ESTMediaType.multipartMixed
        case .csrattrs: return ESTMediaType.csrattrs
        }
    }
}

/// Media types of RFC 7030 (with RFC 8951's clarifications).
public enum ESTMediaType {
    public static let pkcs10 = "application/pkcs10"
    public static let pkcs7 = "application/pkcs7-mime"
    public static let certsOnly = "application/pkcs7-mime; smime-type=certs-only"
    public static let cmcRequest = "application/pkcs7-mime; smime-type=CMC-request"
    public static let cmcResponse = "application/pkcs7-mime; smime-type=CMC-response"
    public static let multipartMixed = "multipart/mixed"
    public static let pkcs8 = "application/pkcs8"
    public static let csrattrs = "application/csrattrs"
}
