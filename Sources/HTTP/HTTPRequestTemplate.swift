/// A client request built and validated once per operation (method, target, Host, credentials,
/// fixed fields), then written for every send with only the body, its length and the Connection
/// choice varying — into a caller-owned buffer, so the send path does not allocate.
///
/// Never writes `Expect: 100-continue` (EST servers that never answer it stall the request).
public struct HTTPRequestTemplate: Sendable {
    public let method: HTTPMethod
    /// Request line and every fixed field, ready to copy.
    let prefix: [UInt8]

    /// - Parameters:
    ///   - target: origin-form, e.g. `/.well-known/est/simpleenroll`.
    ///   - host: `host[:port]` as the Host field carries it.
    ///   - extraFields: written in order after the template's own fields; the template's own names
    ///     (Host, User-Agent, Connection, Content-Length, Transfer-Encoding, Expect, and
    ///     Content-Type / Authorization when given here) are refused.
    public init(
        method: HTTPMethod,
        target: String,
        host: String,
        contentType: String? = nil,
        credentials: BasicCredentials? = nil,
        extraFields: [(name: String, value: String)] = []
    ) throws(HTTPTemplateError) {
        try HTTPSyntax.validateText(target, field: "request target", allowTab: false)
        guard target.utf8.first == 0x2F, target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x23 }) else {
            throw .invalidTarget(target)
        }
        try HTTPSyntax.validateText(host, field: "Host", allowTab: false)
        guard !host.utf8.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x2F && $0 != 0x40 }) else {
            throw .invalidHost(host)
        }
        if let contentType { try HTTPSyntax.validateText(contentType, field: "Content-Type") }
        var reserved = ["host", "user-agent", "connection", "content-length", "transfer-encoding", "expect"]
        if contentType != nil { reserved.append("content-type") }
        if credentials != nil { reserved.append("authorization") }
        try HTTPSyntax.validateExtraFields(extraFields, reserved: reserved)

        var p: [UInt8] = []
        HTTPSyntax.append(method.token, to: &p)
        p.append(HTTPSyntax.sp)
        p.append(contentsOf: target.utf8)
        HTTPSyntax.append(" HTTP/1.1\r\n", to: &p)
        HTTPSyntax.appendField("Host", host, to: &p)
        HTTPSyntax.append("User-Agent: estbench\r\n", to: &p)
        if let credentials { HTTPSyntax.appendField("Authorization", credentials.fieldValue, to: &p) }
        if let contentType { HTTPSyntax.appendField("Content-Type", contentType, to: &p) }
        for (name, value) in extraFields { HTTPSyntax.appendField(name, value, to: &p) }
        self.method = method
        prefix = p
    }

    /// Appends the request with `body` to `buffer` (it does not clear it: requests can be pipelined).
    /// `Content-Length` is written when there is a body, and always for POST/PUT/PATCH.
    /// `fieldLine`: one more complete field line (`Name: value` CRLF), e.g. a device's own
    /// `BasicCredentials.fieldLine` on a template built without credentials; copied, not re-encoded.
    public func encode(body: UnsafeRawBufferPointer, closeConnection: Bool = false, fieldLine: [UInt8] = [], into buffer: inout [UInt8]) {
        buffer.append(contentsOf: prefix)
        buffer.append(contentsOf: fieldLine)
        if closeConnection {
            HTTPSyntax.append("Connection: close\r\n", to: &buffer)
        } else {
            HTTPSyntax.append("Connection: keep-alive\r\n", to: &buffer)
        }
        if body.count > 0 || method.expectsBody {
            HTTPSyntax.append("Content-Length: ", to: &buffer)
            HTTPSyntax.appendDecimal(body.count, to: &buffer)
            HTTPSyntax.append("\r\n", to: &buffer)
        }
        HTTPSyntax.append("\r\n", to: &buffer)
        buffer.append(contentsOf: body)
    }

    public func encode(body: [UInt8], closeConnection: Bool = false, fieldLine: [UInt8] = [], into buffer: inout [UInt8]) {
        body.withUnsafeBytes { encode(body: $0, closeConnection: closeConnection, fieldLine: fieldLine, into: &buffer) }
    }

    /// A request without body (GET, or POST with `Content-Length: 0`).
    public func encode(closeConnection: Bool = false, fieldLine: [UInt8] = [], into buffer: inout [UInt8]) {
        encode(body: UnsafeRawBufferPointer(start: nil, count: 0), closeConnection: closeConnection, fieldLine: fieldLine, into: &buffer)
    }
}
