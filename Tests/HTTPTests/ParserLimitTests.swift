import XCTest
@testable import HTTP

/// HTTPLimits: each limit lets a message exactly at it through and refuses one byte or field
/// more with its own error, identically however the input is split, for both parsers.
final class ParserLimitTests: XCTestCase {

    func testDefaults() {
        let limits = HTTPLimits()
        XCTAssertEqual(limits.headerBytes, 16 * 1024)
        XCTAssertEqual(limits.headerCount, 100)
        XCTAssertEqual(limits.bodyBytes, 1 << 20)
        XCTAssertEqual(limits.chunkLineBytes, 1024)
    }

    func testHeaderBytes() {
        let input = message(["HTTP/1.1 200 OK", "Server: est", "Content-Length: 0"])
        // The whole head, start line and final empty line included, is what counts.
        XCTAssertNotNil(parseResponse(input, limits: HTTPLimits(headerBytes: input.count)))
        XCTAssertEqual(
            responseError(input, limits: HTTPLimits(headerBytes: input.count - 1)),
            .headerSectionTooLarge(limit: input.count - 1))
        // A head that never ends a line is refused as soon as it passes the limit, not at EOF.
        XCTAssertEqual(
            responseError(bytes("HTTP/1.1 200 " + String(repeating: "A", count: 200)), limits: HTTPLimits(headerBytes: 100)),
            .headerSectionTooLarge(limit: 100))
        // Default limit: a 16 KiB cookie does not fit.
        let big = message(["HTTP/1.1 200 OK", "Set-Cookie: " + String(repeating: "c", count: 16 * 1024), "Content-Length: 0"])
        XCTAssertEqual(responseError(big), .headerSectionTooLarge(limit: 16 * 1024))
        // Interim responses do not eat into the final response's allowance.
        let interim = bytes("HTTP/1.1 100 Continue\r\n\r\n")
        XCTAssertNotNil(parseResponse(interim + input, limits: HTTPLimits(headerBytes: input.count)))
    }

    func testHeaderCount() {
        let fields = (1...100).map { "X-F\($0): \($0)" }
        XCTAssertEqual(parseResponse(message(["HTTP/1.1 200 OK"] + fields.dropLast() + ["Content-Length: 0"]))?.headers.count, 100)
        XCTAssertEqual(
            responseError(message(["HTTP/1.1 200 OK"] + fields + ["Content-Length: 0"])),
            .tooManyHeaders(limit: 100))
        let three = HTTPLimits(headerCount: 3)
        XCTAssertNotNil(parseRequest(message(["GET / HTTP/1.1", "Host: a", "A: 1", "B: 2"]), limits: three))
        XCTAssertEqual(
            requestError(message(["GET / HTTP/1.1", "Host: a", "A: 1", "B: 2", "C: 3"]), limits: three),
            .tooManyHeaders(limit: 3))
    }

    func testBodyBytesWithContentLength() {
        let limits = HTTPLimits(bodyBytes: 10)
        let exact = message(["HTTP/1.1 200 OK", "Content-Length: 10"], body: "0123456789")
        XCTAssertEqual(parseResponse(exact, limits: limits)?.body.count, 10)
        // Refused from the declared length, before any body byte arrives.
        XCTAssertEqual(
            responseError(message(["HTTP/1.1 200 OK", "Content-Length: 11"]), limits: limits),
            .bodyTooLarge(limit: 10, length: 11))
        XCTAssertEqual(
            requestError(message(["POST /x HTTP/1.1", "Host: a", "Content-Length: 11"]), limits: limits),
            .bodyTooLarge(limit: 10, length: 11))
    }

    func testBodyBytesChunked() {
        let limits = HTTPLimits(bodyBytes: 10)
        let head = ["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]
        XCTAssertEqual(parseResponse(message(head, body: "6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n"), limits: limits)?.body.count, 10)
        // Refused when the chunk that would pass the limit is announced.
        XCTAssertEqual(
            responseError(message(head, body: "6\r\n012345\r\n5\r\n"), limits: limits),
            .bodyTooLarge(limit: 10, length: 11))
    }

    func testBodyBytesCloseDelimited() {
        let limits = HTTPLimits(bodyBytes: 10)
        let head = ["HTTP/1.0 200 OK"]
        let exact = assertSameForEveryChunking(ResponseDriver(limits: limits), message(head, body: "0123456789"), finish: true)
        XCTAssertEqual(exact.ending, .completedAtEOF)
        XCTAssertEqual(exact.messages.first?.body.count, 10)
        XCTAssertEqual(
            responseError(message(head, body: "0123456789A"), limits: limits),
            .bodyTooLarge(limit: 10, length: nil))
    }

    func testChunkLineBytes() {
        let limits = HTTPLimits(chunkLineBytes: 16)
        let head = ["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]
        // "3;abcdefghijk\r\n" is 15 bytes, "3;abcdefghijkl\r\n" 16, one more is too long.
        XCTAssertNotNil(parseResponse(message(head, body: "3;abcdefghijkl\r\nabc\r\n0\r\n\r\n"), limits: limits))
        XCTAssertEqual(
            responseError(message(head, body: "3;abcdefghijklm\r\nabc\r\n0\r\n\r\n"), limits: limits),
            .chunkLineTooLong(limit: 16))
        // An endless run of leading zeros is cut off too.
        XCTAssertEqual(
            responseError(message(head, body: String(repeating: "0", count: 2000))),
            .chunkLineTooLong(limit: 1024))
    }

    func testTrailerLimits() {
        let head = ["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]
        let trailers = "X-A: 1\r\nX-B: 2\r\n\r\n"  // 18 bytes
        XCTAssertEqual(parseResponse(message(head, body: "0\r\n" + trailers), limits: HTTPLimits(headerBytes: 60, headerCount: 2))?.trailers.count, 2)
        XCTAssertEqual(
            responseError(message(head, body: "0\r\n" + trailers), limits: HTTPLimits(headerBytes: 60, headerCount: 1)),
            .tooManyTrailers(limit: 1))
        XCTAssertEqual(
            responseError(message(head, body: "0\r\n" + "X-Big: " + String(repeating: "b", count: 60) + "\r\n\r\n"), limits: HTTPLimits(headerBytes: 60)),
            .trailerSectionTooLarge(limit: 60))
    }

    func testRequestHeaderBytes() {
        let input = message(["POST /.well-known/est/simpleenroll HTTP/1.1", "Host: est.example", "Content-Length: 0"])
        XCTAssertNotNil(parseRequest(input, limits: HTTPLimits(headerBytes: input.count)))
        XCTAssertEqual(requestError(input, limits: HTTPLimits(headerBytes: input.count - 1)), .headerSectionTooLarge(limit: input.count - 1))
    }
}
