import EST
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HTTP

/// The server's responses, each validated once: status line and fixed fields ready to copy.
struct ResponseTemplates {
    let cacerts: HTTPResponseTemplate
    let csrattrs: HTTPResponseTemplate
    let certsOnly: HTTPResponseTemplate
    let serverKeyGen: HTTPResponseTemplate
    let cmcResponse: HTTPResponseTemplate
    let noContent: HTTPResponseTemplate
    let badRequest: HTTPResponseTemplate
    let unauthorized: HTTPResponseTemplate
    let unauthorizedNoChallenge: HTTPResponseTemplate
    let forbidden: HTTPResponseTemplate
    let notFound: HTTPResponseTemplate
    let tooLarge: HTTPResponseTemplate
    let headersTooLarge: HTTPResponseTemplate
    let unsupportedMediaType: HTTPResponseTemplate
    let internalError: HTTPResponseTemplate
    let unavailable: HTTPResponseTemplate
    let notImplemented: HTTPResponseTemplate
    let wrongContentType: HTTPResponseTemplate
    private let methodGET: HTTPResponseTemplate
    private let methodPOST: HTTPResponseTemplate

    static let boundary = "estbench-part"

    init() throws {
        cacerts = try HTTPResponseTemplate(status: 200, contentType: ESTMediaType.pkcs7)
        csrattrs = try HTTPResponseTemplate(status: 200, contentType: ESTMediaType.csrattrs)
        certsOnly = try HTTPResponseTemplate(status: 200, contentType: ESTMediaType.certsOnly)
        cmcResponse = try HTTPResponseTemplate(status: 200, contentType: ESTMediaType.cmcResponse)
        noContent = try HTTPResponseTemplate(status: 204)
        serverKeyGen = try HTTPResponseTemplate(status: 200, contentType: "\(ESTMediaType.multipartMixed); boundary=\(Self.boundary)")
        let text = "text/plain; charset=utf-8"
        badRequest = try HTTPResponseTemplate(status: 400, contentType: text)
        unauthorized = try HTTPResponseTemplate(status: 401, contentType: text, wwwAuthenticate: "Basic realm=\"estbench\"")
        unauthorizedNoChallenge = try HTTPResponseTemplate(status: 401, contentType: text)
        forbidden = try HTTPResponseTemplate(status: 403, contentType: text)
        notFound = try HTTPResponseTemplate(status: 404, contentType: text)
        tooLarge = try HTTPResponseTemplate(status: 413, contentType: text)
        headersTooLarge = try HTTPResponseTemplate(status: 431, contentType: text)
        unsupportedMediaType = try HTTPResponseTemplate(status: 415, contentType: text)
        internalError = try HTTPResponseTemplate(status: 500, contentType: text)
        notImplemented = try HTTPResponseTemplate(status: 501, contentType: text)
        unavailable = try HTTPResponseTemplate(status: 503, contentType: text, retryAfter: .seconds(1))
        wrongContentType = try HTTPResponseTemplate(status: 200, contentType: "text/html")
        methodGET = try HTTPResponseTemplate(status: 405, contentType: text, extraFields: [("Allow", "GET")])
        methodPOST = try HTTPResponseTemplate(status: 405, contentType: text, extraFields: [("Allow", "POST")])
    }

    func methodNotAllowed(_ operation: ESTOperation) -> HTTPResponseTemplate {
        operation.usesPOST ? methodPOST : methodGET
    }

    /// 202 with Retry-After (made per fault: the delay is the fault's).
    func accepted(retryAfterSeconds: Int) -> HTTPResponseTemplate {
        (try? HTTPResponseTemplate(status: 202, contentType: "text/plain; charset=utf-8", retryAfter: .seconds(retryAfterSeconds)))
            ?? internalError
    }

    /// 202 with Retry-After as an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7) `seconds` from now.
    func accepted(retryAfterSeconds seconds: Int, asDate: Bool) -> HTTPResponseTemplate {
        var t = time(nil) + seconds
        var parts = tm()
        var text = [CChar](repeating: 0, count: 64)
        guard asDate, gmtime_r(&t, &parts) != nil, strftime(&text, text.count, "%a, %d %b %Y %H:%M:%S GMT", &parts) > 0 else {
            return accepted(retryAfterSeconds: seconds)
        }
        let date = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (try? HTTPResponseTemplate(status: 202, contentType: "text/plain; charset=utf-8", retryAfter: .httpDate(date)))
            ?? internalError
    }
}
