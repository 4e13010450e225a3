import XCTest
@testable import HTTP

/// HTTPResponseTemplate (built-in server): output byte for byte against hand-written responses,
/// the bodyless statuses, injection refused, and what it writes read back by HTTPResponseParser.
final class ResponseTemplateTests: XCTestCase {

    func encoded(_ template: HTTPResponseTemplate, _ body: String = "", _ connection: HTTPResponseTemplate.Connection = .implicit) -> String {
        var buffer: [UInt8] = []
        template.encode(body: bytes(body), connection: connection, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    func testCertsOnlyResponse() throws {
        let template = try HTTPResponseTemplate(status: 200, contentType: "application/pkcs7-mime; smime-type=certs-only")
        XCTAssertEqual(encoded(template, "MIIB\n"),
                       "HTTP/1.1 200 OK\r\n"
                       + "Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n"
                       + "Content-Length: 5\r\n"
                       + "\r\n"
                       + "MIIB\n")
    }

    func testAcceptedWithRetryAfterAndKeepAlive() throws {
        let template = try HTTPResponseTemplate(status: 202, retryAfter: .seconds(30), extraFields: [("Server", "estbench")])
        XCTAssertEqual(encoded(template, "", .keepAlive),
                       "HTTP/1.1 202 Accepted\r\nRetry-After: 30\r\nServer: estbench\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
        let dated = try HTTPResponseTemplate(status: 503, reason: "Busy", retryAfter: .httpDate("Fri, 31 Dec 1999 23:59:59 GMT"))
        XCTAssertEqual(encoded(dated),
                       "HTTP/1.1 503 Busy\r\nRetry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\nContent-Length: 0\r\n\r\n")
    }

    func testUnauthorizedChallengeAndClose() throws {
        let template = try HTTPResponseTemplate(status: 401, contentType: "text/plain", wwwAuthenticate: "Basic realm=\"est\"")
        XCTAssertEqual(encoded(template, "credentials required", .close),
                       "HTTP/1.1 401 Unauthorized\r\n"
                       + "Content-Type: text/plain\r\n"
                       + "WWW-Authenticate: Basic realm=\"est\"\r\n"
                       + "Connection: close\r\n"
                       + "Content-Length: 20\r\n"
                       + "\r\n"
                       + "credentials required")
    }

    /// The fault variants of the built-in server: added fields, another status, chunked and close-delimited bodies.
    func testFaultVariants() throws {
        let template = try HTTPResponseTemplate(status: 200, contentType: "application/pkcs7-mime")
        let cte = try template.adding([("Content-Transfer-Encoding", "base64")]).withStatus(201)
        XCTAssertEqual(encoded(cte, "MIIB\n"),
                       "HTTP/1.1 201 Created\r\nContent-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n"
                       + "Content-Length: 5\r\n\r\nMIIB\n")
        XCTAssertEqual(cte.status, 201)
        var chunked: [UInt8] = []
        template.encode(body: bytes("MIIBCgKCAQEA\n"), framing: .chunked, into: &chunked)
        XCTAssertEqual(String(decoding: chunked, as: UTF8.self),
                       "HTTP/1.1 200 OK\r\nContent-Type: application/pkcs7-mime\r\nTransfer-Encoding: chunked\r\n\r\n"
                       + "d\r\nMIIBCgKCAQEA\n\r\n0\r\n\r\n")
        var untilClose: [UInt8] = []
        template.encode(body: bytes("MIIB\n"), framing: .untilClose, into: &untilClose)
        XCTAssertEqual(String(decoding: untilClose, as: UTF8.self), "HTTP/1.1 200 OK\r\nContent-Type: application/pkcs7-mime\r\n\r\nMIIB\n")
        assertThrowsTemplate(.reservedField("Content-Length")) { () throws(HTTPTemplateError) in
            _ = try template.adding([("Content-Length", "1")])
        }
    }

    func testBodylessStatuses() throws {
        XCTAssertEqual(encoded(try HTTPResponseTemplate(status: 204)), "HTTP/1.1 204 No Content\r\n\r\n")
        XCTAssertEqual(encoded(try HTTPResponseTemplate(status: 204), "", .close), "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(encoded(try HTTPResponseTemplate(status: 100), "", .close), "HTTP/1.1 100 Continue\r\n\r\n")
        XCTAssertEqual(encoded(try HTTPResponseTemplate(status: 299)), "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n")
    }

    func testInvalidTemplates() {
        assertThrowsTemplate(.invalidStatusCode(99)) { () throws(HTTPTemplateError) in try HTTPResponseTemplate(status: 99) }
        assertThrowsTemplate(.invalidStatusCode(600)) { () throws(HTTPTemplateError) in try HTTPResponseTemplate(status: 600) }
        assertThrowsTemplate(.invalidRetryAfter(-1)) { () throws(HTTPTemplateError) in try HTTPResponseTemplate(status: 202, retryAfter: .seconds(-1)) }
        assertThrowsTemplate(.controlCharacter(field: "reason phrase", offset: 2, byte: 0x0A)) { () throws(HTTPTemplateError) in
            try HTTPResponseTemplate(status: 200, reason: "OK\nX: y")
        }
        assertThrowsTemplate(.controlCharacter(field: "WWW-Authenticate", offset: 5, byte: 0x0D)) { () throws(HTTPTemplateError) in
            try HTTPResponseTemplate(status: 401, wwwAuthenticate: "Basic\r\nSet-Cookie: x")
        }
        assertThrowsTemplate(.controlCharacter(field: "Retry-After", offset: 0, byte: 0x0A)) { () throws(HTTPTemplateError) in
            try HTTPResponseTemplate(status: 202, retryAfter: .httpDate("\n"))
        }
        assertThrowsTemplate(.controlCharacter(field: "Content-Type", offset: 4, byte: 0x0A)) { () throws(HTTPTemplateError) in
            try HTTPResponseTemplate(status: 200, contentType: "text\n")
        }
        assertThrowsTemplate(.reservedField("Content-Length")) { () throws(HTTPTemplateError) in
            try HTTPResponseTemplate(status: 200, extraFields: [("Content-Length", "5")])
        }
        assertThrowsTemplate(.reservedField("retry-after")) { () throws(HTTPTemplateError) in
            try HTTPResponseTemplate(status: 202, retryAfter: .seconds(1), extraFields: [("retry-after", "5")])
        }
    }

    func testResponsesReadBackByTheParser() throws {
        let templates: [(HTTPResponseTemplate, String, HTTPResponseTemplate.Connection)] = [
            (try HTTPResponseTemplate(status: 200, contentType: "application/pkcs7-mime"), String(repeating: "MIIB", count: 400), .implicit),
            (try HTTPResponseTemplate(status: 202, retryAfter: .seconds(7)), "", .keepAlive),
            (try HTTPResponseTemplate(status: 204), "", .implicit),
            (try HTTPResponseTemplate(status: 401, wwwAuthenticate: "Basic realm=\"x\""), "no", .close),
        ]
        var wire: [UInt8] = []
        for (template, body, connection) in templates { template.encode(body: bytes(body), connection: connection, into: &wire) }
        let outcome = assertSameForEveryChunking(ResponseDriver(methods: [.get, .post, .get, .post]), wire)
        XCTAssertEqual(outcome.messages.map(\.status), [200, 202, 204, 401])
        XCTAssertEqual(outcome.messages.map(\.body), [bytes(String(repeating: "MIIB", count: 400)), [], [], bytes("no")])
        XCTAssertEqual(outcome.messages.map(\.keepAlive), [true, true, true, false])
        XCTAssertEqual(outcome.ending, .needsInput(pending: 0))
    }
}
