import XCTest
@testable import HTTP

/// Malformed responses: each form of garbage ends in its own named error, the same one however
/// the input is split; failures stick until reset; EOF in each place says what was cut.
final class ResponseParserErrorTests: XCTestCase {

    func head(_ statusLine: String, _ fields: [String] = ["Content-Length: 0"]) -> [UInt8] {
        message([statusLine] + fields)
    }

    func testInvalidStatusLine() {
        XCTAssertEqual(responseError(head("HTTX/1.1 200 OK")), .invalidStatusLine(excerpt: "HTTX/1.1 200 OK"))
        XCTAssertEqual(responseError(head("HTTP/1.1")), .invalidStatusLine(excerpt: "HTTP/1.1"))
        XCTAssertEqual(responseError(bytes("\r\nHTTP/1.1 200 OK\r\n\r\n")), .invalidStatusLine(excerpt: ""))
        XCTAssertEqual(responseError(bytes("<html>\n")), .invalidStatusLine(excerpt: "<html>"))
        XCTAssertEqual(responseError(head("HTTP/1.1 200 O\u{1}K")), .invalidStatusLine(excerpt: "HTTP/1.1 200 O\\x01K"))
        XCTAssertEqual(responseError(head("HTTP/1.1 200 O\rK")), .invalidStatusLine(excerpt: "HTTP/1.1 200 O\\rK"))
    }

    func testInvalidVersion() {
        for version in ["HTTP/2.0", "HTTP/1.2", "HTTP/11", "HTTP/1.1x", "HTTP/", "http/1.1x"] {
            let expected: HTTPError = version.hasPrefix("HTTP/")
                ? .invalidVersion(excerpt: version + " 200 OK")
                : .invalidStatusLine(excerpt: version + " 200 OK")
            XCTAssertEqual(responseError(head(version + " 200 OK")), expected, version)
        }
        // Versions are case-sensitive (RFC 9112 §2.3).
        XCTAssertEqual(responseError(head("http/1.1 200 OK")), .invalidStatusLine(excerpt: "http/1.1 200 OK"))
    }

    func testInvalidStatusCode() {
        for line in ["HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 099 Low", "HTTP/1.1 600 High", "HTTP/1.1 abc OK", "HTTP/1.1  200 OK", "HTTP/1.1 20"] {
            XCTAssertEqual(responseError(head(line)), .invalidStatusCode(excerpt: line), line)
        }
    }

    func testInvalidHeaderLine() {
        let cases: [(String, String)] = [
            ("NoColonHere", "NoColonHere"),
            ("Bad Name: x", "Bad Name: x"),
            ("Name : x", "Name : x"),
            (": no name", ": no name"),
            ("X-Nul: a\u{0}b", "X-Nul: a\\x00b"),
            ("X-CR: a\rb", "X-CR: a\\rb"),
            ("X-Del: a\u{7F}", "X-Del: a\\x7F"),
            ("Na\u{E9}me: x", "Na\\xC3\\xA9me: x"),
        ]
        for (line, excerpt) in cases {
            XCTAssertEqual(
                responseError(message(["HTTP/1.1 200 OK", "Server: x", line, "Content-Length: 0"])),
                .invalidHeaderLine(line: 3, excerpt: excerpt), line)
        }
    }

    func testObsoleteLineFoldingRefused() {
        XCTAssertEqual(
            responseError(message(["HTTP/1.1 200 OK", "X-Long: part one", " part two", "Content-Length: 0"])),
            .obsoleteLineFolding(line: 3))
        XCTAssertEqual(
            responseError(message(["HTTP/1.1 200 OK", "\tContent-Length: 0"])),
            .obsoleteLineFolding(line: 2))
    }

    func testInvalidContentLength() {
        for value in ["abc", "-1", "+5", "1 2", "0x10", "5;", "1234567890123456789", "", ",", "5,x"] {
            XCTAssertEqual(
                responseError(head("HTTP/1.1 200 OK", ["Content-Length: \(value)"])),
                .invalidContentLength(excerpt: value), value)
        }
    }

    func testConflictingContentLength() {
        XCTAssertEqual(
            responseError(head("HTTP/1.1 200 OK", ["Content-Length: 5", "Content-Length: 6"])),
            .conflictingContentLength(first: 5, second: 6))
        XCTAssertEqual(
            responseError(head("HTTP/1.1 200 OK", ["Content-Length: 7, 8"])),
            .conflictingContentLength(first: 7, second: 8))
    }

    func testUnsupportedTransferEncoding() {
        for value in ["gzip", "gzip, chunked", "chunked, chunked", "identity", "chunked;q=1"] {
            XCTAssertEqual(
                responseError(head("HTTP/1.1 200 OK", ["Transfer-Encoding: \(value)"])),
                .unsupportedTransferEncoding(excerpt: value), value)
        }
        XCTAssertEqual(
            responseError(head("HTTP/1.1 200 OK", ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"])),
            .unsupportedTransferEncoding(excerpt: "chunked"))
    }

    func chunked(_ body: String) -> [UInt8] {
        message(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"], body: body)
    }

    func testInvalidChunkSize() {
        XCTAssertEqual(responseError(chunked("Z\r\n")), .invalidChunkSize(chunk: 0, byte: 0x5A))
        XCTAssertEqual(responseError(chunked("\r\n")), .invalidChunkSize(chunk: 0, byte: 0x0D))
        XCTAssertEqual(responseError(chunked(";ext\r\n")), .invalidChunkSize(chunk: 0, byte: 0x3B))
        XCTAssertEqual(responseError(chunked("1G\r\n")), .invalidChunkSize(chunk: 0, byte: 0x47))
        XCTAssertEqual(responseError(chunked("3 x\r\n")), .invalidChunkSize(chunk: 0, byte: 0x78))
        XCTAssertEqual(responseError(chunked("-3\r\n")), .invalidChunkSize(chunk: 0, byte: 0x2D))
        XCTAssertEqual(responseError(chunked("3\rX")), .invalidChunkSize(chunk: 0, byte: 0x58))
        // 16 significant hex digits would overflow; the 16th digit is refused.
        XCTAssertEqual(responseError(chunked("1000000000000000\r\n")), .invalidChunkSize(chunk: 0, byte: 0x30))
        // The chunk index is reported.
        XCTAssertEqual(responseError(chunked("1\r\na\r\n2\r\nbc\r\nq\r\n")), .invalidChunkSize(chunk: 2, byte: 0x71))
    }

    func testInvalidChunkExtension() {
        XCTAssertEqual(responseError(chunked("3;a=\u{1}\r\nabc\r\n0\r\n\r\n")), .invalidChunkExtension(chunk: 0, byte: 0x01))
        XCTAssertEqual(responseError(chunked("3;a\rb")), .invalidChunkExtension(chunk: 0, byte: 0x62))
    }

    func testChunkDataNotFollowedByCRLF() {
        XCTAssertEqual(responseError(chunked("3\r\nabcd\r\n")), .chunkDataNotFollowedByCRLF(chunk: 0, byte: 0x64))
        XCTAssertEqual(responseError(chunked("1\r\na\r\n3\r\nabc\rX")), .chunkDataNotFollowedByCRLF(chunk: 1, byte: 0x58))
        XCTAssertEqual(responseError(chunked("3\r\nabc\r\r\n")), .chunkDataNotFollowedByCRLF(chunk: 0, byte: 0x0D))
    }

    func testInvalidTrailerLine() {
        XCTAssertEqual(responseError(chunked("0\r\nBad trailer\r\n\r\n")), .invalidTrailerLine(excerpt: "Bad trailer"))
        XCTAssertEqual(responseError(chunked("0\r\nX: a\r\n folded\r\n\r\n")), .invalidTrailerLine(excerpt: " folded"))
    }

    // MARK: end of input

    func testFinishWhenIdleIsClosedBeforeMessage() {
        var parser = HTTPResponseParser()
        XCTAssertTrue(parser.isIdle)
        XCTAssertEqual(parser.finish(), .failed(.closedBeforeMessage))
        // After a complete keep-alive response, EOF is an idle close as well.
        var reused = HTTPResponseParser()
        let response = message(["HTTP/1.1 200 OK", "Content-Length: 0"])
        XCTAssertEqual(reused.feed(response), .complete(consumed: response.count))
        XCTAssertTrue(reused.isIdle)
        XCTAssertEqual(reused.finish(), .failed(.closedBeforeMessage))
    }

    func testFinishInsideHeadIsTruncatedHead() {
        XCTAssertEqual(responseError(bytes("HTTP/1.1 200 OK\r\nContent-Le"), finish: true), .truncatedHead(received: 27))
        XCTAssertEqual(responseError(bytes("HTTP/1.1 100 Continue\r\n\r\n"), finish: true), .truncatedHead(received: 0))
        XCTAssertEqual(responseError(bytes("H"), finish: true), .truncatedHead(received: 1))
    }

    func testFinishInsideContentLengthBodyIsTruncatedBody() {
        let input = message(["HTTP/1.1 200 OK", "Content-Length: 10"], body: "abcd")
        XCTAssertEqual(responseError(input, finish: true), .truncatedBody(expected: 10, received: 4))
        let none = message(["HTTP/1.1 200 OK", "Content-Length: 10"])
        XCTAssertEqual(responseError(none, finish: true), .truncatedBody(expected: 10, received: 0))
    }

    func testFinishInsideChunkedBodyIsTruncatedChunkedBody() {
        for body in ["", "5", "5\r\nab", "5\r\nabcde", "5\r\nabcde\r", "5\r\nabcde\r\n0\r\n", "5\r\nabcde\r\n0\r\nX-T: 1\r\n"] {
            let expected = body.utf8.count >= 8 ? 5 : (body.utf8.count > 3 ? body.utf8.count - 3 : 0)
            XCTAssertEqual(responseError(chunked(body), finish: true), .truncatedChunkedBody(received: expected), body)
        }
    }

    func testFailureSticksUntilReset() {
        var parser = HTTPResponseParser()
        XCTAssertEqual(parser.feed(bytes("HTTP/9.9 200 OK\r\n")), .failed(.invalidVersion(excerpt: "HTTP/9.9 200 OK")))
        let good = message(["HTTP/1.1 200 OK", "Content-Length: 0"])
        XCTAssertEqual(parser.feed(good), .failed(.invalidVersion(excerpt: "HTTP/9.9 200 OK")))
        XCTAssertEqual(parser.finish(), .failed(.invalidVersion(excerpt: "HTTP/9.9 200 OK")))
        parser.reset(requestMethod: .get)
        XCTAssertEqual(parser.feed(good), .complete(consumed: good.count))
        XCTAssertEqual(parser.status, 200)
    }

    func testExcerptIsBounded() {
        let long = "HTTP/1.1 200 " + String(repeating: "x", count: 100) + "\u{1}"
        guard case .invalidStatusLine(let excerpt)? = responseError(head(long)) else {
            return XCTFail("expected invalidStatusLine")
        }
        XCTAssertEqual(excerpt, "HTTP/1.1 200 " + String(repeating: "x", count: 51) + "…")
    }

    func testErrorDescriptionsNameTheProblem() {
        XCTAssertEqual(HTTPError.headerSectionTooLarge(limit: 16384).description,
                       "header section larger than HTTPLimits.headerBytes = 16384 bytes")
        XCTAssertEqual(HTTPError.bodyTooLarge(limit: 10, length: 11).description,
                       "body of 11 bytes larger than HTTPLimits.bodyBytes = 10")
        XCTAssertEqual(HTTPError.chunkDataNotFollowedByCRLF(chunk: 2, byte: 0x0A).description,
                       "chunk 2 data followed by 0x0A instead of CRLF")
        XCTAssertEqual(HTTPError.truncatedBody(expected: 10, received: 4).description,
                       "connection closed after 4 of 10 Content-Length body bytes")
    }
}
