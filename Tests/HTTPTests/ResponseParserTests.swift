import XCTest
@testable import HTTP

/// HTTPResponseParser on well-formed responses, including what real EST servers send. Every
/// fixture is parsed whole, byte by byte and in random pieces, with identical results required.
final class ResponseParserTests: XCTestCase {

    let certsOnly = String(repeating: "MIIBszCCAVmgAwIBAgIUQ2VydHNPbmx5", count: 47)  // 1,504 base64 bytes

    func testESTCACertsWithContentLength() throws {
        let input = message([
            "HTTP/1.1 200 OK",
            "Date: Tue, 03 Jun 2025 10:00:00 GMT",
            "Server: est-ca/2.1",
            "Content-Type: application/pkcs7-mime",
            "Content-Transfer-Encoding: base64",
            "Content-Length: \(certsOnly.utf8.count)",
        ], body: certsOnly)
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.version, .http11)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.reason, "OK")
        XCTAssertEqual(r.body, bytes(certsOnly))
        XCTAssertEqual(r.framing, .contentLength(1504))
        XCTAssertEqual(r.contentLength, 1504)
        XCTAssertTrue(r.keepAlive)
        XCTAssertEqual(r.headers.count, 5)
        XCTAssertEqual(r.headers[2], FieldText("Content-Type", "application/pkcs7-mime"))
        XCTAssertEqual(r.interimResponses, 0)
        XCTAssertEqual(r.trailers, [])
    }

    func testChunkedWithExtensionsAndTrailers() throws {
        let input = bytes(
            "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nMIIBs\r\n"
            + "000A ; a=1;b=\"quoted; text\"\r\nzCCAVmgAwI\r\n"
            + "1;ext\r\nB\r\n"
            + "0\r\n"
            + "X-Checksum: abc123\r\n"
            + "X-Other:  two  \r\n\r\n")
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.body, bytes("MIIBszCCAVmgAwIB"))
        XCTAssertEqual(r.framing, .chunked)
        XCTAssertNil(r.contentLength)
        XCTAssertTrue(r.keepAlive)
        XCTAssertEqual(r.trailers, [FieldText("X-Checksum", "abc123"), FieldText("X-Other", "two")])
        XCTAssertEqual(r.headers.count, 2)
    }

    func testChunkedWithoutTrailersUppercaseHexAndLeadingZeros() throws {
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var input = bytes("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: Chunked\r\n\r\n")
        input += bytes("00FF\r\n") + data[0..<255] + bytes("\r\n")
        input += bytes("2d\r\n") + data[255..<300] + bytes("\r\n")
        input += bytes("00000000000000000000\r\n\r\n")
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.status, 500)
        XCTAssertEqual(r.reason, "Internal Server Error")
        XCTAssertEqual(r.body, data)
    }

    func testAcceptedWithRetryAfterSeconds() throws {
        let input = message(["HTTP/1.1 202 Accepted", "Retry-After: 60", "Content-Length: 0"])
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.status, 202)
        XCTAssertEqual(r.body, [])
        XCTAssertEqual(r.framing, .contentLength(0))

        var parser = HTTPResponseParser()
        XCTAssertEqual(parser.feed(input), .complete(consumed: input.count))
        XCTAssertEqual(parser.retryAfter, .seconds(60))
        XCTAssertNil(parser.wwwAuthenticate)
    }

    func testRetryAfterHTTPDateKeptAsText() {
        var parser = HTTPResponseParser()
        let input = message(["HTTP/1.1 202 Accepted", "Retry-After: Fri, 31 Dec 1999 23:59:59 GMT", "Content-Length: 0"])
        XCTAssertEqual(parser.feed(input), .complete(consumed: input.count))
        XCTAssertEqual(parser.retryAfter, .httpDate("Fri, 31 Dec 1999 23:59:59 GMT"))
    }

    func testUnauthorizedWithTwoChallengesAndClose() throws {
        let input = message([
            "HTTP/1.1 401 Unauthorized",
            "WWW-Authenticate: Basic realm=\"estrealm\"",
            "www-authenticate: Digest realm=\"estrealm\", nonce=\"abc\", qop=\"auth\"",
            "Content-Type: text/plain",
            "Connection: close",
            "Content-Length: 12",
        ], body: "unauthorized")
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.status, 401)
        XCTAssertFalse(r.keepAlive)
        XCTAssertEqual(r.body, bytes("unauthorized"))

        var parser = HTTPResponseParser()
        XCTAssertEqual(parser.feed(input), .complete(consumed: input.count))
        XCTAssertEqual(
            parser.wwwAuthenticate, "Basic realm=\"estrealm\", Digest realm=\"estrealm\", nonce=\"abc\", qop=\"auth\"")
        XCTAssertEqual(parser.contentType, "text/plain")
        XCTAssertTrue(parser.headers.contentTypeMatches("TEXT/PLAIN"))
    }

    func testNoContentHasNoBodyEvenWithLengthFields() throws {
        // A 204 followed by a pipelined 200 on the same connection: the 204's stray
        // Content-Length must not swallow the next response.
        let first = message(["HTTP/1.1 204 No Content", "Content-Length: 25"])
        let second = message(["HTTP/1.1 200 OK", "Content-Length: 2"], body: "ok")
        let outcome = assertSameForEveryChunking(ResponseDriver(methods: [.get, .get]), first + second)
        XCTAssertEqual(outcome.lengths, [first.count, second.count])
        XCTAssertEqual(outcome.messages.map(\.status), [204, 200])
        XCTAssertEqual(outcome.messages[0].body, [])
        XCTAssertEqual(outcome.messages[0].framing, .none)
        XCTAssertEqual(outcome.messages[0].contentLength, 25)
        XCTAssertEqual(outcome.messages[1].body, bytes("ok"))
        XCTAssertEqual(outcome.ending, .needsInput(pending: 0))
    }

    func testNotModifiedHasNoBody() throws {
        let input = message(["HTTP/1.1 304 Not Modified", "Content-Length: 1500", "ETag: \"x\""])
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.status, 304)
        XCTAssertEqual(r.framing, .none)
        XCTAssertEqual(r.body, [])
        XCTAssertTrue(r.keepAlive)
    }

    func testHeadResponseHasNoBody() throws {
        let head = message(["HTTP/1.1 200 OK", "Content-Type: application/pkcs7-mime", "Content-Length: 1504"])
        let r = try XCTUnwrap(parseResponse(head, method: .head))
        XCTAssertEqual(r.framing, .none)
        XCTAssertEqual(r.contentLength, 1504)
        XCTAssertEqual(r.body, [])
        // The same head to a GET waits for the body.
        let outcome = assertSameForEveryChunking(ResponseDriver(methods: [.get]), head)
        XCTAssertEqual(outcome.messages.count, 0)
        XCTAssertEqual(outcome.ending, .needsInput(pending: head.count))
        // HEAD then GET pipelined: the method is set per message.
        let get = message(["HTTP/1.1 200 OK", "Content-Length: 3"], body: "abc")
        let both = assertSameForEveryChunking(ResponseDriver(methods: [.head, .get]), head + get)
        XCTAssertEqual(both.lengths, [head.count, get.count])
        XCTAssertEqual(both.messages[1].body, bytes("abc"))
    }

    func testInterimResponsesAreSkipped() throws {
        let input = bytes(
            "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nX-Final: yes\r\n\r\ndone")
        let r = try XCTUnwrap(parseResponse(input, method: .post))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.interimResponses, 2)
        XCTAssertEqual(r.headers, [FieldText("Content-Length", "4"), FieldText("X-Final", "yes")])
        XCTAssertEqual(r.body, bytes("done"))
    }

    func testSwitchingProtocolsIsFinalWithoutBodyAndCloses() throws {
        let r = try XCTUnwrap(parseResponse(message(["HTTP/1.1 101 Switching Protocols", "Upgrade: h2c", "Connection: Upgrade"])))
        XCTAssertEqual(r.status, 101)
        XCTAssertEqual(r.framing, .none)
        XCTAssertFalse(r.keepAlive)
    }

    func testCloseDelimitedBodyCompletesAtFinish() throws {
        let input = message(["HTTP/1.0 200 OK", "Content-Type: application/csrattrs"], body: "MAsGCSqGSIb3DQEJBw==\n")
        let outcome = assertSameForEveryChunking(ResponseDriver(), input, finish: true)
        XCTAssertEqual(outcome.ending, .completedAtEOF)
        XCTAssertEqual(outcome.lengths, [input.count])
        let r = try XCTUnwrap(outcome.messages.first)
        XCTAssertEqual(r.version, .http10)
        XCTAssertEqual(r.framing, .untilClose)
        XCTAssertFalse(r.keepAlive)
        XCTAssertEqual(r.body, bytes("MAsGCSqGSIb3DQEJBw==\n"))
        // Without EOF the body never ends.
        let open = assertSameForEveryChunking(ResponseDriver(), input)
        XCTAssertEqual(open.ending, .needsInput(pending: input.count))
    }

    func testCloseDelimitedHTTP11BodyAndEmptyBodyAtFinish() throws {
        let outcome = assertSameForEveryChunking(ResponseDriver(), message(["HTTP/1.1 200 OK", "Connection: keep-alive"]), finish: true)
        XCTAssertEqual(outcome.ending, .completedAtEOF)
        XCTAssertEqual(outcome.messages.first?.body, [])
        XCTAssertEqual(outcome.messages.first?.keepAlive, false, "a close-delimited body always closes")
    }

    func testKeepAliveDecision() throws {
        let cases: [(String, [String], Bool)] = [
            ("HTTP/1.1 200 OK", [], true),
            ("HTTP/1.1 200 OK", ["Connection: close"], false),
            ("HTTP/1.1 200 OK", ["Connection: Keep-Alive, CLOSE"], false),
            ("HTTP/1.1 200 OK", ["Connection: upgrade", "Connection: close"], false),
            ("HTTP/1.1 200 OK", ["Connection: keep-alive"], true),
            ("HTTP/1.0 200 OK", [], false),
            ("HTTP/1.0 200 OK", ["Connection: keep-alive"], true),
            ("HTTP/1.0 200 OK", ["Connection: Keep-Alive"], true),
            ("HTTP/1.0 200 OK", ["Connection: keep-alive, close"], false),
        ]
        for (statusLine, fields, expected) in cases {
            let r = try XCTUnwrap(parseResponse(message([statusLine] + fields + ["Content-Length: 1"], body: "x")))
            XCTAssertEqual(r.keepAlive, expected, "\(statusLine) \(fields)")
        }
    }

    func testEmptyAndMissingReasonPhrase() throws {
        let withSpace = try XCTUnwrap(parseResponse(message(["HTTP/1.1 200 ", "Content-Length: 0"])))
        XCTAssertEqual(withSpace.reason, "")
        XCTAssertEqual(withSpace.status, 200)
        let without = try XCTUnwrap(parseResponse(message(["HTTP/1.1 404", "Content-Length: 0"])))
        XCTAssertEqual(without.reason, "")
        XCTAssertEqual(without.status, 404)
        let spaced = try XCTUnwrap(parseResponse(message(["HTTP/1.1 503 Service  Unavailable\t(maintenance)", "Content-Length: 0"])))
        XCTAssertEqual(spaced.reason, "Service  Unavailable\t(maintenance)")
    }

    func testESTQuirksStatusFieldAndTrailingNUL() throws {
        let body: [UInt8] = bytes("MIIB\n") + [0]
        let input = message(["HTTP/1.1 200 OK", "Status: 200 OK", "Content-Type: application/pkcs7-mime", "Content-Length: 6"], bodyBytes: body)
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.headers[0], FieldText("Status", "200 OK"))
        XCTAssertEqual(r.body, body, "the parser delivers the NUL; stripping it is the EST layer's call")
    }

    func testChunkedWinsOverContentLengthAndForcesClose() throws {
        let input = message(["HTTP/1.1 200 OK", "Content-Length: 100", "Transfer-Encoding: chunked"], body: "3\r\nabc\r\n0\r\n\r\n")
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.framing, .chunked)
        XCTAssertEqual(r.body, bytes("abc"))
        XCTAssertFalse(r.keepAlive)
        // Chunked in an HTTP/1.0 response: read it, but do not reuse the connection.
        let old = try XCTUnwrap(parseResponse(message(["HTTP/1.0 200 OK", "Transfer-Encoding: chunked", "Connection: keep-alive"], body: "0\r\n\r\n")))
        XCTAssertFalse(old.keepAlive)
    }

    func testBareLFLineEndingsAccepted() throws {
        let input = bytes("HTTP/1.1 200 OK\nContent-Length: 2\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n")
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.body, bytes("hi"))
        XCTAssertEqual(r.headers.count, 2)
    }

    func testFieldWhitespaceCaseAndRepeatedContentLength() throws {
        let input = message([
            "HTTP/1.1 200 OK",
            "cOnTeNt-LeNgTh:   5  ",
            "Content-Length: 5, 5",
            "X-Empty:",
            "X-Tabs:\tvalue with\ttab\t",
            "X-Obs-Text: caf\u{E9}",
        ], body: "hello")
        let r = try XCTUnwrap(parseResponse(input))
        XCTAssertEqual(r.contentLength, 5)
        XCTAssertEqual(r.body, bytes("hello"))
        XCTAssertEqual(r.headers, [
            FieldText("cOnTeNt-LeNgTh", "5"), FieldText("Content-Length", "5, 5"), FieldText("X-Empty", ""),
            FieldText("X-Tabs", "value with\ttab"), FieldText("X-Obs-Text", "caf\u{E9}"),
        ])
    }

    func testExtraBytesAfterResponseAreLeftToTheCaller() {
        let response = message(["HTTP/1.1 200 OK", "Content-Length: 3"], body: "abc")
        var parser = HTTPResponseParser()
        XCTAssertEqual(parser.feed(response + bytes("garbage")), .complete(consumed: response.count))
        XCTAssertEqual(parser.body, bytes("abc"))
        XCTAssertTrue(parser.isComplete)
    }

    func testHeaderLookupIsCaseInsensitive() {
        var parser = HTTPResponseParser()
        let input = message([
            "HTTP/1.1 200 OK", "Content-Type: application/pkcs7-mime; smime-type=certs-only",
            "X-Request-Id: 1", "x-request-id: 2", "Content-Length: 0",
        ])
        XCTAssertEqual(parser.feed(input), .complete(consumed: input.count))
        let h = parser.headers
        XCTAssertEqual(h.value(named: "CONTENT-TYPE"), "application/pkcs7-mime; smime-type=certs-only")
        XCTAssertEqual(h.firstValueBytes(named: "content-type").map(Array.init), bytes("application/pkcs7-mime; smime-type=certs-only"))
        XCTAssertEqual(h.values(named: "X-REQUEST-ID"), ["1", "2"])
        XCTAssertEqual(h.firstIndex(named: "x-request-id"), 1)
        XCTAssertTrue(h.contains(named: "content-length"))
        XCTAssertFalse(h.contains(named: "content-lengt"))
        XCTAssertFalse(h.contains(named: "content-length2"))
        XCTAssertNil(h.value(named: "Retry-After"))
        XCTAssertTrue(h.contentTypeMatches("application/PKCS7-mime"))
        XCTAssertFalse(h.contentTypeMatches("application/pkcs7"))
        XCTAssertFalse(h.contentTypeMatches("application/pkcs10"))
        XCTAssertTrue(h.value(named: "x-request-id", equalsIgnoringCase: "1"))
        XCTAssertFalse(h.value(named: "x-request-id", equalsIgnoringCase: "2"))
        XCTAssertNil(parser.retryAfter)
        // Searches inside a value: any case on either side, at the very end, nothing past it.
        let contentType = h.firstIndex(named: "content-type")!
        XCTAssertTrue(h.mediaType(at: contentType, matches: "Application/PKCS7-Mime"))
        XCTAssertFalse(h.mediaType(at: contentType, matches: "application/pkcs10"))
        for needle in ["smime-type=certs-only", "SMIME-TYPE=CERTS-ONLY", "only", "=certs", "; s", "application", "", "y"] {
            XCTAssertTrue(h.value(at: contentType, containsIgnoringCase: needle), needle)
            XCTAssertTrue(h.value(named: "Content-Type", containsIgnoringCase: needle), needle)
        }
        for needle in ["smime-type=certs-onlyx", "certs-only-", "smime-type=certs-only; x", "pkcs10", "zz"] {
            XCTAssertFalse(h.value(at: contentType, containsIgnoringCase: needle), needle)
        }
        XCTAssertFalse(h.value(named: "retry-after", containsIgnoringCase: ""), "no such field")
    }
}
