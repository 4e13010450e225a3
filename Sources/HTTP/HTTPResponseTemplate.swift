/// A response of the built-in EST server, built and validated once per kind (200 certs-only,
/// 202 with Retry-After, 401 challenge, …), then written per request with only the body and the
/// Connection choice varying — into a caller-owned buffer, so the serve path does not allocate.
public struct HTTPResponseTemplate: Sendable {
    /// What the response says about the connection.
    public enum Connection: Sendable, Equatable {
        /// Nothing: HTTP/1.1 keeps the connection by default.
        case implicit
        /// `Connection: keep-alive`, which an HTTP/1.0 client needs to keep it.
        case keepAlive
        /// `Connection: close`: the server closes after this response.
        case close
    }

    /// How the body is delimited on the wire (the built-in server's faults use the other two).
    public enum Framing: Sendable, Equatable {
        case contentLength
        /// `Transfer-Encoding: chunked`, the body as one chunk.
        case chunked
        /// No length at all: the body ends when the server closes the connection.
        case untilClose
    }

    public let status: Int
    /// Status line and fixed fields before Content-Length, ready to copy.
    let prefix: [UInt8]
    /// Where the fields start in `prefix` (after the status line).
    let fieldsStart: Int
    /// 1xx, 204 and 304 carry no body and no Content-Length (RFC 9110 §8.6).
    let bodyless: Bool

    private init(status: Int, prefix: [UInt8], fieldsStart: Int) {
        self.status = status
        self.prefix = prefix
        self.fieldsStart = fieldsStart
        bodyless = status < 200 || status == 204 || status == 304
    }

    /// The same response with `fields` after its own (validated as `extraFields` are; any name
    /// but the framing ones, so a test server can send a second Content-Type or a Status field).
    public func adding(_ fields: [(name: String, value: String)]) throws(HTTPTemplateError) -> HTTPResponseTemplate {
        try HTTPSyntax.validateExtraFields(fields, reserved: ["content-length", "transfer-encoding", "connection"])
        var p = prefix
        for (name, value) in fields { HTTPSyntax.appendField(name, value, to: &p) }
        return HTTPResponseTemplate(status: status, prefix: p, fieldsStart: fieldsStart)
    }

    /// The same fields under another status code (with its usual reason phrase).
    public func withStatus(_ code: Int) throws(HTTPTemplateError) -> HTTPResponseTemplate {
        let line = try HTTPResponseTemplate(status: code)
        return HTTPResponseTemplate(status: code, prefix: Array(line.prefix[..<line.fieldsStart]) + prefix[fieldsStart...],
                                    fieldsStart: line.fieldsStart)
    }

    /// - Parameters:
    ///   - reason: nil picks the usual phrase for the code (or an empty one).
    ///   - extraFields: written in order; Content-Length, Transfer-Encoding, Connection, and
    ///     Content-Type / Retry-After / WWW-Authenticate when given here, are refused.
    public init(
        status: Int,
        reason: String? = nil,
        contentType: String? = nil,
        retryAfter: HTTPRetryAfter? = nil,
        wwwAuthenticate: String? = nil,
        extraFields: [(name: String, value: String)] = []
    ) throws(HTTPTemplateError) {
        guard (100...599).contains(status) else { throw .invalidStatusCode(status) }
        let reasonText = reason ?? Self.standardReason(status)
        try HTTPSyntax.validateText(reasonText, field: "reason phrase")
        if let contentType { try HTTPSyntax.validateText(contentType, field: "Content-Type") }
        if let wwwAuthenticate { try HTTPSyntax.validateText(wwwAuthenticate, field: "WWW-Authenticate") }
        var retryAfterText: String? = nil
        switch retryAfter {
        case .seconds(let s)?:
            guard s >= 0 else { throw .invalidRetryAfter(s) }
            retryAfterText = String(s)
        case .httpDate(let d)?:
            try HTTPSyntax.validateText(d, field: "Retry-After")
            retryAfterText = d
        case nil:
            break
        }
        var reserved = ["content-length", "transfer-encoding", "connection"]
        if contentType != nil { reserved.append("content-type") }
        if retryAfter != nil { reserved.append("retry-after") }
        if wwwAuthenticate != nil { reserved.append("www-authenticate") }
        try HTTPSyntax.validateExtraFields(extraFields, reserved: reserved)

        var p: [UInt8] = []
        HTTPSyntax.append("HTTP/1.1 ", to: &p)
        p.append(contentsOf: String(status).utf8)
        p.append(HTTPSyntax.sp)
        p.append(contentsOf: reasonText.utf8)
        HTTPSyntax.append("\r\n", to: &p)
        fieldsStart = p.count
        if let contentType { HTTPSyntax.appendField("Content-Type", contentType, to: &p) }
        if let retryAfterText { HTTPSyntax.appendField("Retry-After", retryAfterText, to: &p) }
        if let wwwAuthenticate { HTTPSyntax.appendField("WWW-Authenticate", wwwAuthenticate, to: &p) }
        for (name, value) in extraFields { HTTPSyntax.appendField(name, value, to: &p) }
        self.status = status
        prefix = p
        bodyless = status < 200 || status == 204 || status == 304
    }

    /// Appends the response with `body` to `buffer` (it does not clear it). A bodyless status
    /// (1xx, 204, 304) must be given an empty body; 1xx never carries Connection.
    public func encode(body: UnsafeRawBufferPointer, connection: Connection = .implicit, framing: Framing = .contentLength,
                       into buffer: inout [UInt8]) {
        precondition(!bodyless || body.count == 0, "status \(status) cannot carry a body")
        buffer.append(contentsOf: prefix)
        if status >= 200 {
            switch connection {
            case .implicit: break
            case .keepAlive: HTTPSyntax.append("Connection: keep-alive\r\n", to: &buffer)
            case .close: HTTPSyntax.append("Connection: close\r\n", to: &buffer)
            }
        }
        if bodyless {
            HTTPSyntax.append("\r\n", to: &buffer)
            return
        }
        switch framing {
        case .contentLength:
            HTTPSyntax.append("Content-Length: ", to: &buffer)
            HTTPSyntax.appendDecimal(body.count, to: &buffer)
            HTTPSyntax.append("\r\n\r\n", to: &buffer)
            buffer.append(contentsOf: body)
        case .chunked:
            HTTPSyntax.append("Transfer-Encoding: chunked\r\n\r\n", to: &buffer)
            if body.count > 0 {
                buffer.append(contentsOf: String(body.count, radix: 16).utf8)
                HTTPSyntax.append("\r\n", to: &buffer)
                buffer.append(contentsOf: body)
                HTTPSyntax.append("\r\n", to: &buffer)
            }
            HTTPSyntax.append("0\r\n\r\n", to: &buffer)
        case .untilClose:
            HTTPSyntax.append("\r\n", to: &buffer)
            buffer.append(contentsOf: body)
        }
    }

    public func encode(body: [UInt8], connection: Connection = .implicit, framing: Framing = .contentLength, into buffer: inout [UInt8]) {
        body.withUnsafeBytes { encode(body: $0, connection: connection, framing: framing, into: &buffer) }
    }

    public func encode(connection: Connection = .implicit, into buffer: inout [UInt8]) {
        encode(body: UnsafeRawBufferPointer(start: nil, count: 0), connection: connection, into: &buffer)
    }

    /// The usual reason phrases (RFC 9110 §15) for the codes an EST server answers with.
    static func standardReason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 417: return "Expectation Failed"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return ""
        }
    }
}
