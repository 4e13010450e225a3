import XCTest
@testable import HTTP

/// HTTPRequestTemplate: output byte for byte against hand-written requests, appended into a
/// reused buffer, no Expect ever, and every way text could inject a line refused when built.
final class RequestTemplateTests: XCTestCase {

    func testGetCACertsBytes() throws {
        let template = try HTTPRequestTemplate(method: .get, target: "/.well-known/est/cacerts", host: "est.example:8443")
        var buffer: [UInt8] = []
        template.encode(into: &buffer)
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self),
                       "GET /.well-known/est/cacerts HTTP/1.1\r\n"
                       + "Host: est.example:8443\r\n"
                       + "User-Agent: estbench\r\n"
                       + "Connection: keep-alive\r\n"
                       + "\r\n")
    }

    func testPostSimpleEnrollWithBasicAuthAndClose() throws {
        let template = try HTTPRequestTemplate(
            method: .post, target: "/.well-known/est/simpleenroll", host: "10.0.0.5",
            contentType: "application/pkcs10",
            credentials: try BasicCredentials(user: "Aladdin", password: "open sesame"),
            extraFields: [("X-Device", "dev-001")])
        var buffer: [UInt8] = []
        template.encode(body: bytes("MIIB\n"), closeConnection: true, into: &buffer)
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self),
                       "POST /.well-known/est/simpleenroll HTTP/1.1\r\n"
                       + "Host: 10.0.0.5\r\n"
                       + "User-Agent: estbench\r\n"
                       + "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
                       + "Content-Type: application/pkcs10\r\n"
                       + "X-Device: dev-001\r\n"
                       + "Connection: close\r\n"
                       + "Content-Length: 5\r\n"
                       + "\r\n"
                       + "MIIB\n")
    }

    func testContentLengthRules() throws {
        var buffer: [UInt8] = []
        // POST without body still states its length.
        try HTTPRequestTemplate(method: .post, target: "/x", host: "h").encode(into: &buffer)
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self),
                       "POST /x HTTP/1.1\r\nHost: h\r\nUser-Agent: estbench\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
        // GET without body does not; with one it does.
        buffer.removeAll(keepingCapacity: true)
        let get = try HTTPRequestTemplate(method: .get, target: "/x", host: "h")
        get.encode(into: &buffer)
        XCTAssertFalse(String(decoding: buffer, as: UTF8.self).contains("Content-Length"))
        buffer.removeAll(keepingCapacity: true)
        let body = [UInt8](repeating: 0x61, count: 1234567)
        get.encode(body: body, into: &buffer)
        XCTAssertEqual(buffer, bytes("GET /x HTTP/1.1\r\nHost: h\r\nUser-Agent: estbench\r\nConnection: keep-alive\r\nContent-Length: 1234567\r\n\r\n") + body)
    }

    func testEncodeAppendsIntoReusedBuffer() throws {
        let template = try HTTPRequestTemplate(method: .post, target: "/.well-known/est/simpleenroll", host: "h", contentType: "application/pkcs10")
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        let storage = buffer.withUnsafeBufferPointer { $0.baseAddress }
        let head = "POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: h\r\nUser-Agent: estbench\r\n"
            + "Content-Type: application/pkcs10\r\nConnection: keep-alive\r\nContent-Length: 1000\r\n\r\n"
        for k in 0..<50 {
            buffer.removeAll(keepingCapacity: true)
            let body = [UInt8](repeating: UInt8(k), count: 1000)
            template.encode(body: body, into: &buffer)
            XCTAssertEqual(buffer, bytes(head) + body)
            XCTAssertEqual(buffer.withUnsafeBufferPointer { $0.baseAddress }, storage, "no reallocation")
        }
        // Two requests appended back to back pipeline.
        buffer.removeAll(keepingCapacity: true)
        template.encode(body: bytes("a"), into: &buffer)
        template.encode(body: bytes("b"), closeConnection: true, into: &buffer)
        let outcome = assertSameForEveryChunking(RequestDriver(), buffer)
        XCTAssertEqual(outcome.messages.map(\.body), [bytes("a"), bytes("b")])
        XCTAssertEqual(outcome.messages.map(\.keepAlive), [true, false])
    }

    func testNeverSendsExpect() throws {
        assertThrowsTemplate(.reservedField("Expect")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .post, target: "/x", host: "h", extraFields: [("Expect", "100-continue")])
        }
        var buffer: [UInt8] = []
        try HTTPRequestTemplate(method: .post, target: "/x", host: "h", contentType: "application/pkcs10")
            .encode(body: [UInt8](repeating: 1, count: 100_000), into: &buffer)
        var parser = HTTPRequestParser()
        XCTAssertEqual(parser.feed(buffer), .complete(consumed: buffer.count))
        XCTAssertFalse(parser.expectsContinue)
        XCTAssertFalse(parser.headers.contains(named: "expect"))
    }

    func testCRLFInjectionRefused() {
        assertThrowsTemplate(.controlCharacter(field: "Host", offset: 1, byte: 0x0D)) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "h\r\nX-Evil: 1")
        }
        assertThrowsTemplate(.controlCharacter(field: "request target", offset: 2, byte: 0x0A)) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/a\nb", host: "h")
        }
        assertThrowsTemplate(.controlCharacter(field: "Content-Type", offset: 18, byte: 0x0D)) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .post, target: "/", host: "h", contentType: "application/pkcs10\r\nX: y")
        }
        assertThrowsTemplate(.controlCharacter(field: "X-Trace value", offset: 3, byte: 0x0A)) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [("X-Trace", "abc\nHost: other")])
        }
        assertThrowsTemplate(.controlCharacter(field: "field name", offset: 1, byte: 0x0D)) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [("X\r\nY", "v")])
        }
        assertThrowsTemplate(.controlCharacter(field: "X value", offset: 1, byte: 0x00)) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [("X", "a\u{0}")])
        }
        // A tab inside a value is legal field content.
        XCTAssertNoThrow(try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [("X", "a\tb")]))
    }

    func testOtherInvalidText() {
        assertThrowsTemplate(.invalidTarget("no-slash")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "no-slash", host: "h")
        }
        assertThrowsTemplate(.invalidTarget("/a b")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/a b", host: "h")
        }
        assertThrowsTemplate(.invalidTarget("/caf\u{E9}")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/caf\u{E9}", host: "h")
        }
        assertThrowsTemplate(.invalidHost("")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "")
        }
        assertThrowsTemplate(.invalidHost("user@h")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "user@h")
        }
        assertThrowsTemplate(.invalidFieldName("Bad Name")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [("Bad Name", "v")])
        }
        assertThrowsTemplate(.invalidFieldName("")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [("", "v")])
        }
        for name in ["host", "Content-Length", "TRANSFER-ENCODING", "Connection", "User-Agent"] {
            assertThrowsTemplate(.reservedField(name)) { () throws(HTTPTemplateError) in
                try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [(name, "v")])
            }
        }
        // Content-Type and Authorization are reserved only when the template writes them.
        XCTAssertNoThrow(try HTTPRequestTemplate(method: .get, target: "/", host: "h", extraFields: [("Authorization", "Bearer t")]))
        assertThrowsTemplate(.reservedField("authorization")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .get, target: "/", host: "h", credentials: try BasicCredentials(user: "u", password: "p"),
                                    extraFields: [("authorization", "Bearer t")])
        }
        assertThrowsTemplate(.reservedField("Content-Type")) { () throws(HTTPTemplateError) in
            try HTTPRequestTemplate(method: .post, target: "/", host: "h", contentType: "a/b", extraFields: [("Content-Type", "c/d")])
        }
        XCTAssertNoThrow(try HTTPRequestTemplate(method: .get, target: "/", host: "[::1]:8443"))
        XCTAssertEqual(HTTPTemplateError.controlCharacter(field: "Host", offset: 1, byte: 0x0D).description,
                       "control byte 0x0D at offset 1 in Host (CR/LF would inject header lines)")
    }
}
