import XCTest
@testable import HTTP

/// HTTPRequestParser (built-in server side): request lines, bodies by Content-Length or chunked,
/// Expect, keep-alive, pipelining, and a named error for each malformed form — every input parsed
/// whole, byte by byte and in random pieces with identical results.
final class RequestParserTests: XCTestCase {

    let csr = String(repeating: "MIICWjCCAUICAQAwFTETMBEGA1UEAwwKZGV2aWNlLTAwMTCCASIw\n", count: 20)

    func testSimpleEnrollPost() throws {
        let input = message([
            "POST /.well-known/est/simpleenroll HTTP/1.1",
            "Host: est.example:8443",
            "User-Agent: estbench",
            "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            "Content-Type: application/pkcs10",
            "Connection: keep-alive",
            "Content-Length: \(csr.utf8.count)",
        ], body: csr)
        let r = try XCTUnwrap(parseRequest(input))
        XCTAssertEqual(r.method, .post)
        XCTAssertEqual(r.methodText, "POST")
        XCTAssertEqual(r.target, "/.well-known/est/simpleenroll")
        XCTAssertEqual(r.version, .http11)
        XCTAssertEqual(r.body, bytes(csr))
        XCTAssertEqual(r.framing, .contentLength(csr.utf8.count))
        XCTAssertTrue(r.keepAlive)
        XCTAssertFalse(r.expectsContinue)
        XCTAssertEqual(r.headers[2], FieldText("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="))
    }

    func testGetWithoutBody() throws {
        let r = try XCTUnwrap(parseRequest(message(["GET /.well-known/est/cacerts?x=1 HTTP/1.1", "Host: a"])))
        XCTAssertEqual(r.method, .get)
        XCTAssertEqual(r.target, "/.well-known/est/cacerts?x=1")
        XCTAssertEqual(r.framing, .none)
        XCTAssertEqual(r.body, [])
        XCTAssertTrue(r.keepAlive)
    }

    func testChunkedPostWithTrailers() throws {
        let input = message(["POST /.well-known/est/arbitrary/simplereenroll HTTP/1.1", "Host: a", "Transfer-Encoding: chunked"],
                            body: "4;x=y\r\nMIIC\r\n3\r\nWjC\r\n0\r\nX-Digest: sha-256=abc\r\n\r\n")
        let r = try XCTUnwrap(parseRequest(input))
        XCTAssertEqual(r.body, bytes("MIICWjC"))
        XCTAssertEqual(r.framing, .chunked)
        XCTAssertEqual(r.trailers, [FieldText("X-Digest", "sha-256=abc")])
        XCTAssertTrue(r.keepAlive)
    }

    func testHTTP10KeepAliveAndNoHostNeeded() throws {
        let plain = try XCTUnwrap(parseRequest(message(["GET / HTTP/1.0"])))
        XCTAssertEqual(plain.version, .http10)
        XCTAssertFalse(plain.keepAlive)
        let kept = try XCTUnwrap(parseRequest(message(["GET / HTTP/1.0", "Connection: keep-alive"])))
        XCTAssertTrue(kept.keepAlive)
        let closed = try XCTUnwrap(parseRequest(message(["GET / HTTP/1.1", "Host: a", "Connection: close"])))
        XCTAssertFalse(closed.keepAlive)
    }

    func testExpectContinueIsNoted() throws {
        let r = try XCTUnwrap(parseRequest(message(["POST /x HTTP/1.1", "Host: a", "Expect: 100-Continue", "Content-Length: 2"], body: "hi")))
        XCTAssertTrue(r.expectsContinue)
        XCTAssertEqual(r.body, bytes("hi"))
        let other = try XCTUnwrap(parseRequest(message(["POST /x HTTP/1.1", "Host: a", "Expect: something", "Content-Length: 0"])))
        XCTAssertFalse(other.expectsContinue)
    }

    func testEmptyLinesBeforeRequestLineAreIgnored() throws {
        let input = bytes("\r\n\r\n\n") + message(["GET / HTTP/1.1", "Host: a"])
        let r = try XCTUnwrap(parseRequest(input))
        XCTAssertEqual(r.method, .get)
    }

    func testUnknownMethodIsKeptAsText() throws {
        let r = try XCTUnwrap(parseRequest(message(["BREW /pot HTTP/1.1", "Host: a"])))
        XCTAssertNil(r.method)
        XCTAssertEqual(r.methodText, "BREW")
        for method in HTTPMethod.allCases {
            let text = String(decoding: UnsafeBufferPointer(start: method.token.utf8Start, count: method.token.utf8CodeUnitCount), as: UTF8.self)
            XCTAssertEqual(parseRequest(message(["\(text) / HTTP/1.1", "Host: a"]))?.method, method, text)
        }
        // Methods are case-sensitive: "get" is an extension method, not GET.
        XCTAssertNil(try XCTUnwrap(parseRequest(message(["get / HTTP/1.1", "Host: a"]))).method)
    }

    func testBothFramingsChunkedWinsAndCloses() throws {
        let r = try XCTUnwrap(parseRequest(message(["POST /x HTTP/1.1", "Host: a", "Content-Length: 50", "Transfer-Encoding: chunked"], body: "1\r\nz\r\n0\r\n\r\n")))
        XCTAssertEqual(r.body, bytes("z"))
        XCTAssertFalse(r.keepAlive)
    }

    func testPipelinedRequests() throws {
        let a = message(["GET /.well-known/est/cacerts HTTP/1.1", "Host: a"])
        let b = message(["POST /.well-known/est/simpleenroll HTTP/1.1", "Host: a", "Content-Length: 5"], body: "MIIC\n")
        let c = message(["POST /.well-known/est/simpleenroll HTTP/1.1", "Host: a", "Transfer-Encoding: chunked"], body: "2\r\nab\r\n0\r\n\r\n")
        let d = message(["GET /.well-known/est/csrattrs HTTP/1.1", "Host: a", "Connection: close"])
        let outcome = assertSameForEveryChunking(RequestDriver(), a + b + c + d)
        XCTAssertEqual(outcome.lengths, [a.count, b.count, c.count, d.count])
        XCTAssertEqual(outcome.messages.map(\.target), [
            "/.well-known/est/cacerts", "/.well-known/est/simpleenroll", "/.well-known/est/simpleenroll", "/.well-known/est/csrattrs",
        ])
        XCTAssertEqual(outcome.messages.map(\.body), [[], bytes("MIIC\n"), bytes("ab"), []])
        XCTAssertEqual(outcome.messages.map(\.keepAlive), [true, true, true, false])
        XCTAssertEqual(outcome.ending, .needsInput(pending: 0))
    }

    func testTwoRequestsInOneBufferGiveTwoMessages() {
        let one = message(["GET /a HTTP/1.1", "Host: a"])
        let two = message(["GET /b HTTP/1.1", "Host: a"])
        var parser = HTTPRequestParser()
        let both = one + two
        XCTAssertEqual(parser.feed(both), .complete(consumed: one.count))
        XCTAssertEqual(parser.target, "/a")
        XCTAssertEqual(parser.feed(both[one.count...]), .complete(consumed: two.count))
        XCTAssertEqual(parser.target, "/b")
    }

    // MARK: errors

    func testInvalidRequestLine() {
        for line in ["GET  / HTTP/1.1", "GET / HTTP/1.1 ", "GET /", "GET", "/ HTTP/1.1", " GET / HTTP/1.1", "GET /a b HTTP/1.1",
                     "G(T / HTTP/1.1", "GET /\u{1} HTTP/1.1", "GET\t/ HTTP/1.1"] {
            let expected: HTTPError = line == "GET / HTTP/1.1 "
                ? .invalidVersion(excerpt: HTTPSyntax.excerpt(bytes(line), 0, line.utf8.count))
                : .invalidRequestLine(excerpt: HTTPSyntax.excerpt(bytes(line), 0, line.utf8.count))
            XCTAssertEqual(requestError(message([line, "Host: a"])), expected, line)
        }
    }

    func testInvalidVersion() {
        XCTAssertEqual(requestError(message(["GET / HTTP/2.0", "Host: a"])), .invalidVersion(excerpt: "GET / HTTP/2.0"))
        // The HTTP/2 connection preface.
        XCTAssertEqual(requestError(bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")), .invalidVersion(excerpt: "PRI * HTTP/2.0"))
        XCTAssertEqual(requestError(message(["GET / FTP/1.0", "Host: a"])), .invalidRequestLine(excerpt: "GET / FTP/1.0"))
    }

    func testHostRules() {
        XCTAssertEqual(requestError(message(["GET / HTTP/1.1", "Accept: */*"])), .missingHost)
        XCTAssertEqual(requestError(message(["GET / HTTP/1.1", "Host: a", "host: b"])), .duplicateHost)
    }

    func testFieldErrors() {
        XCTAssertEqual(requestError(message(["GET / HTTP/1.1", "Host: a", "Bad Field: x"])), .invalidHeaderLine(line: 3, excerpt: "Bad Field: x"))
        XCTAssertEqual(requestError(message(["GET / HTTP/1.1", "Host: a", "X: 1", "  y"])), .obsoleteLineFolding(line: 4))
        XCTAssertEqual(requestError(message(["POST / HTTP/1.1", "Host: a", "Content-Length: 1x"])), .invalidContentLength(excerpt: "1x"))
        XCTAssertEqual(requestError(message(["POST / HTTP/1.1", "Host: a", "Content-Length: 1", "Content-Length: 2"])),
                       .conflictingContentLength(first: 1, second: 2))
        XCTAssertEqual(requestError(message(["POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip"])), .unsupportedTransferEncoding(excerpt: "gzip"))
        XCTAssertEqual(requestError(message(["POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked"], body: "x\r\n")),
                       .invalidChunkSize(chunk: 0, byte: 0x78))
    }

    func testTruncation() {
        XCTAssertEqual(requestError(bytes("GET / HT"), finish: true), .truncatedHead(received: 8))
        XCTAssertEqual(requestError(message(["POST / HTTP/1.1", "Host: a", "Content-Length: 4"], body: "ab"), finish: true),
                       .truncatedBody(expected: 4, received: 2))
        XCTAssertEqual(requestError(message(["POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked"], body: "2\r\nab\r\n"), finish: true),
                       .truncatedChunkedBody(received: 2))
        var parser = HTTPRequestParser()
        XCTAssertTrue(parser.isIdle)
        XCTAssertEqual(parser.finish(), .failed(.closedBeforeMessage))
    }
}
