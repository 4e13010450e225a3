import EST
import HTTP
import XCTest

/// One request and its response: the same answer however the bytes are split, and the peer's
/// close judged (close-delimited body, nothing at all, a body cut short).
final class ESTExchangeTests: XCTestCase {
    let template = try! HTTPRequestTemplate(method: .get, target: "/.well-known/est/cacerts", host: "est.example")

    func feed(_ exchange: inout ESTExchange, _ bytes: [UInt8], chunk: Int) -> [ESTExchange.Step] {
        var steps: [ESTExchange.Step] = []
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            steps.append(bytes[i..<end].withUnsafeBytes { exchange.receive($0) })
            i = end
        }
        return steps
    }

    func testByteAtATimeGivesTheSameResponse() {
        let response = Array("HTTP/1.1 200 OK\r\nContent-Type: application/pkcs7-mime\r\nContent-Length: 5\r\n\r\nabcde".utf8)
        for chunk in [1, 2, 7, response.count] {
            var exchange = ESTExchange()
            exchange.begin(template, body: nil, closeConnection: false)
            XCTAssertTrue(String(decoding: exchange.request, as: UTF8.self).hasPrefix("GET /.well-known/est/cacerts HTTP/1.1\r\n"))
            let steps = feed(&exchange, response, chunk: chunk)
            XCTAssertEqual(steps.last, .complete(extraBytes: 0), "chunks of \(chunk)")
            XCTAssertTrue(steps.dropLast().allSatisfy { $0 == .needsInput })
            XCTAssertEqual(exchange.response.status, 200)
            XCTAssertEqual(exchange.response.body, Array("abcde".utf8))
            XCTAssertTrue(exchange.response.keepAlive)
        }
    }

    /// Bytes after the response in the same read are reported, not silently taken as the next answer.
    func testExtraBytesAfterTheResponseAreCounted() {
        var exchange = ESTExchange()
        exchange.begin(template, body: nil, closeConnection: false)
        let bytes = Array("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 503".utf8)
        XCTAssertEqual(feed(&exchange, bytes, chunk: bytes.count), [.complete(extraBytes: 12)])
    }

    func testThePeersCloseIsJudged() {
        // A close-delimited body ends at the close.
        var a = ESTExchange()
        a.begin(template, body: nil, closeConnection: true)
        _ = feed(&a, Array("HTTP/1.1 200 OK\r\n\r\nbody".utf8), chunk: 3)
        XCTAssertEqual(a.peerClosed(), .complete(extraBytes: 0))
        XCTAssertEqual(a.response.body, Array("body".utf8))
        // Nothing at all: closed before the response (an idle kept-alive connection the server closed).
        var b = ESTExchange()
        b.begin(template, body: nil, closeConnection: false)
        XCTAssertEqual(b.peerClosed(), .closedBeforeResponse)
        // A body cut short says by how much.
        var c = ESTExchange()
        c.begin(template, body: nil, closeConnection: false)
        _ = feed(&c, Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8), chunk: 1)
        XCTAssertEqual(c.peerClosed(), .failed(.truncatedBody(expected: 10, received: 3)))
    }

    /// A POST carries its body with its length; the exchange is reused from request to request.
    func testPostBodyAndReuse() {
        let post = try! HTTPRequestTemplate(method: .post, target: "/.well-known/est/simpleenroll", host: "h",
                                            contentType: "application/pkcs10")
        var exchange = ESTExchange()
        exchange.begin(post, body: Array("MII=\n".utf8), closeConnection: false)
        let text = String(decoding: exchange.request, as: UTF8.self)
        XCTAssertTrue(text.contains("Content-Length: 5\r\n"), text)
        XCTAssertTrue(text.hasSuffix("\r\n\r\nMII=\n"), text)
        exchange.begin(template, body: nil, closeConnection: true)
        let second = String(decoding: exchange.request, as: UTF8.self)
        XCTAssertTrue(second.hasPrefix("GET ") && second.contains("Connection: close\r\n"), second)
    }

    /// Released between exchanges, the buffers hold nothing and the next exchange works as before;
    /// mid-response a release is refused (the response being read stays intact).
    func testReleasingBuffersBetweenExchanges() {
        let response = Array("HTTP/1.1 200 OK\r\nContent-Type: application/pkcs7-mime\r\nContent-Length: 5\r\n\r\nabcde".utf8)
        var exchange = ESTExchange()
        XCTAssertTrue(exchange.holdsNoBuffers, "nothing before the first exchange")
        for round in 0..<2 {
            exchange.begin(template, body: nil, closeConnection: false)
            XCTAssertEqual(feed(&exchange, Array(response[0..<20]), chunk: 20), [.needsInput])
            exchange.releaseBuffers()
            XCTAssertFalse(exchange.holdsNoBuffers, "round \(round): mid-response nothing is released")
            XCTAssertEqual(feed(&exchange, Array(response[20...]), chunk: 100), [.complete(extraBytes: 0)])
            XCTAssertEqual(exchange.response.status, 200)
            XCTAssertEqual(exchange.response.body, Array("abcde".utf8))
            exchange.releaseBuffers()
            XCTAssertTrue(exchange.holdsNoBuffers, "round \(round)")
            XCTAssertEqual(exchange.peerClosed(), .closedBeforeResponse, "an idle connection's close, as before the release")
        }
    }
}
