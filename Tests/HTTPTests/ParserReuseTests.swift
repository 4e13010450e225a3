import DER
import XCTest
@testable import HTTP

/// One parser across many messages on one connection: state is cleared between messages, the
/// buffers are kept (same storage, no regrowth), and random pipelined traffic (seeded) comes out
/// exactly as generated however it is split.
final class ParserReuseTests: XCTestCase {

    func testOneResponseParserAcrossMessages() {
        var parser = HTTPResponseParser()
        let big = message(["HTTP/1.1 200 OK", "Content-Type: application/pkcs7-mime", "Content-Length: 3000"],
                          bodyBytes: [UInt8](repeating: 0x41, count: 3000))
        XCTAssertEqual(parser.feed(big), .complete(consumed: big.count))
        XCTAssertEqual(parser.body.count, 3000)
        let bodyStorage = parser.core.body.withUnsafeBufferPointer { $0.baseAddress }
        let headStorage = parser.core.head.withUnsafeBufferPointer { $0.baseAddress }
        let fieldStorage = parser.core.fields.withUnsafeBufferPointer { $0.baseAddress }

        let sequence: [(HTTPMethod, [UInt8], Int, [UInt8], Bool)] = [
            (.get, message(["HTTP/1.1 404 Not Found", "Content-Length: 9"], body: "not found"), 404, bytes("not found"), true),
            (.head, message(["HTTP/1.1 200 OK", "Content-Length: 1500"]), 200, [], true),
            (.post, message(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"], body: "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"), 200, bytes("abc"), true),
            (.get, message(["HTTP/1.1 204 No Content"]), 204, [], true),
            (.post, bytes("HTTP/1.1 100 Continue\r\n\r\n") + message(["HTTP/1.1 202 Accepted", "Retry-After: 5", "Content-Length: 0"]), 202, [], true),
            (.get, message(["HTTP/1.1 200 OK", "Connection: close", "Content-Length: 2"], body: "ok"), 200, bytes("ok"), false),
        ]
        for (method, input, status, body, keepAlive) in sequence {
            parser.reset(requestMethod: method)
            XCTAssertEqual(parser.feed(input), .complete(consumed: input.count))
            XCTAssertEqual(parser.status, status)
            XCTAssertTrue(parser.withBody { $0.elementsEqual(body) })
            XCTAssertEqual(parser.keepAlive, keepAlive)
            XCTAssertEqual(parser.trailers.count, method == .post && status == 200 ? 1 : 0)
            XCTAssertEqual(parser.interimResponses, status == 202 ? 1 : 0)
            XCTAssertEqual(parser.retryAfter, status == 202 ? .seconds(5) : nil)
            XCTAssertEqual(parser.core.body.withUnsafeBufferPointer { $0.baseAddress }, bodyStorage, "body buffer reused")
            XCTAssertEqual(parser.core.head.withUnsafeBufferPointer { $0.baseAddress }, headStorage, "head buffer reused")
            XCTAssertEqual(parser.core.fields.withUnsafeBufferPointer { $0.baseAddress }, fieldStorage, "field table reused")
        }
        // Automatic reset: feeding after .complete starts the next response with the same method.
        let next = message(["HTTP/1.1 200 OK", "Content-Length: 1"], body: "z")
        XCTAssertEqual(parser.feed(next), .complete(consumed: next.count))
        XCTAssertEqual(parser.body, bytes("z"))
        XCTAssertEqual(parser.headers.count, 1)
        XCTAssertEqual(parser.requestMethod, .get)
    }

    func testRequestParserAcrossMessagesKeepsBuffers() {
        var parser = HTTPRequestParser()
        let first = message(["POST /a HTTP/1.1", "Host: a", "Content-Length: 2000"], bodyBytes: [UInt8](repeating: 1, count: 2000))
        XCTAssertEqual(parser.feed(first), .complete(consumed: first.count))
        let storage = parser.core.body.withUnsafeBufferPointer { $0.baseAddress }
        for k in 0..<20 {
            let input = message(["POST /\(k) HTTP/1.1", "Host: a", "Content-Length: \(k)"], bodyBytes: [UInt8](repeating: UInt8(k), count: k))
            XCTAssertEqual(parser.feed(input), .complete(consumed: input.count))
            XCTAssertEqual(parser.target, "/\(k)")
            XCTAssertEqual(parser.body, [UInt8](repeating: UInt8(k), count: k))
            XCTAssertEqual(parser.core.body.withUnsafeBufferPointer { $0.baseAddress }, storage)
        }
    }

    // MARK: random pipelined traffic

    struct GeneratedResponse {
        var wire: [UInt8]
        var method: HTTPMethod
        var expected: ResponseSnapshot
    }

    func randomToken(_ rng: inout SplitMix64) -> String {
        let chars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&'*+^`|~")
        return String((0..<Int.random(in: 1...12, using: &rng)).map { _ in chars.randomElement(using: &rng)! })
    }

    func randomValue(_ rng: inout SplitMix64) -> String {
        let chars = Array("abc XYZ 012;=,\"/\t()<>@:?[]{}")
        let inner = String((0..<Int.random(in: 0...40, using: &rng)).map { _ in chars.randomElement(using: &rng)! })
        return inner.trimmingWhitespace()
    }

    func randomOWS(_ rng: inout SplitMix64) -> String { ["", " ", "  ", "\t", " \t "].randomElement(using: &rng)! }

    func generateResponse(_ rng: inout SplitMix64) -> GeneratedResponse {
        let method: HTTPMethod = Int.random(in: 0..<10, using: &rng) == 0 ? .head : [.get, .post].randomElement(using: &rng)!
        let status = [200, 200, 200, 202, 204, 304, 400, 401, 404, 500].randomElement(using: &rng)!
        let version: HTTPVersion = Int.random(in: 0..<5, using: &rng) == 0 ? .http10 : .http11
        let reason = ["OK", "", "Whatever It Is", "x"].randomElement(using: &rng)!
        var wire = ""
        var interim = 0
        if version == .http11 && Int.random(in: 0..<4, using: &rng) == 0 {
            wire += "HTTP/1.1 100 Continue\r\n\r\n"
            interim = 1
        }
        wire += (version == .http11 ? "HTTP/1.1 " : "HTTP/1.0 ") + "\(status) \(reason)\r\n"
        var fields: [FieldText] = []
        func add(_ name: String, _ value: String) {
            fields.append(FieldText(name, value))
            wire += name + ":" + randomOWS(&rng) + value + randomOWS(&rng) + "\r\n"
        }
        let bodyless = method == .head || status == 204 || status == 304
        let body: [UInt8] = bodyless ? [] : (0..<Int.random(in: 0...3000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let chunked = Bool.random(using: &rng)
        var keepAlive = version == .http11
        for _ in 0..<Int.random(in: 0...8, using: &rng) { add("X-" + randomToken(&rng), randomValue(&rng)) }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            add("Connection", "close")
            keepAlive = false
        case 1:
            add("Connection", "keep-alive")
            keepAlive = true
        default: break
        }
        var framing: HTTPBodyFraming = .none
        var contentLength: Int? = nil
        var trailers: [FieldText] = []
        var bodyWire: [UInt8] = []
        if chunked && version == .http11 && status != 304 {
            add("Transfer-Encoding", ["chunked", "Chunked", "CHUNKED"].randomElement(using: &rng)!)
            if !bodyless {
                framing = .chunked
                var offset = 0
                while offset < body.count {
                    let size = min(Int.random(in: 1...700, using: &rng), body.count - offset)
                    var sizeText = String(size, radix: 16, uppercase: Bool.random(using: &rng))
                    if Bool.random(using: &rng) { sizeText = "00" + sizeText }
                    if Int.random(in: 0..<3, using: &rng) == 0 { sizeText += randomOWS(&rng) + ";" + randomToken(&rng) + "=" + randomToken(&rng) }
                    bodyWire += bytes(sizeText + "\r\n") + body[offset..<offset + size] + bytes("\r\n")
                    offset += size
                }
                bodyWire += bytes("0\r\n")
                for _ in 0..<Int.random(in: 0...2, using: &rng) {
                    let t = FieldText("T-" + randomToken(&rng), randomValue(&rng))
                    trailers.append(t)
                    bodyWire += bytes(t.name + ": " + t.value + "\r\n")
                }
                bodyWire += bytes("\r\n")
            }
        } else {
            contentLength = status == 304 ? 999 : body.count
            add("Content-Length", String(contentLength!))
            if !bodyless { framing = .contentLength(body.count) }
            bodyWire = body
        }
        wire += "\r\n"
        let expected = ResponseSnapshot(
            version: version, status: status, reason: reason, headers: fields, trailers: trailers,
            body: body, framing: framing, contentLength: contentLength, keepAlive: keepAlive, interimResponses: interim)
        return GeneratedResponse(wire: bytes(wire) + bodyWire, method: method, expected: expected)
    }

    func testRandomPipelinedResponses() {
        for seed in UInt64(100)..<104 {
            var rng = SplitMix64(seed: seed)
            let generated = (0..<40).map { _ in generateResponse(&rng) }
            let wire = generated.flatMap(\.wire)
            let outcome = assertSameForEveryChunking(ResponseDriver(methods: generated.map(\.method)), wire)
            XCTAssertEqual(outcome.lengths, generated.map(\.wire.count), "seed \(seed)")
            XCTAssertEqual(outcome.ending, .needsInput(pending: 0), "seed \(seed)")
            for (k, (got, want)) in zip(outcome.messages, generated.map(\.expected)).enumerated() where got != want {
                XCTFail("seed \(seed) message \(k):\n got \(got)\nwant \(want)")
                break
            }
        }
    }

    func testRandomPipelinedRequestsFromTemplates() throws {
        var rng = SplitMix64(seed: 7)
        var wire: [UInt8] = []
        var expected: [RequestSnapshot] = []
        for k in 0..<60 {
            let method: HTTPMethod = [.get, .post].randomElement(using: &rng)!
            let target = "/.well-known/est/" + randomToken(&rng).filter { $0 != "#" }
            var extra: [(name: String, value: String)] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) { extra.append(("X-" + randomToken(&rng), randomValue(&rng))) }
            let credentials = Bool.random(using: &rng) ? try BasicCredentials(user: "device-\(k)", password: randomToken(&rng)) : nil
            let contentType = method == .post ? "application/pkcs10" : nil
            let template = try HTTPRequestTemplate(
                method: method, target: target, host: "est.example:8443", contentType: contentType,
                credentials: credentials, extraFields: extra)
            let body: [UInt8] = method == .post ? (0..<Int.random(in: 0...2000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } : []
            let close = Int.random(in: 0..<5, using: &rng) == 0
            template.encode(body: body, closeConnection: close, into: &wire)

            var headers = [FieldText("Host", "est.example:8443"), FieldText("User-Agent", "estbench")]
            if let credentials { headers.append(FieldText("Authorization", credentials.fieldValue)) }
            if let contentType { headers.append(FieldText("Content-Type", contentType)) }
            headers += extra.map { FieldText($0.name, $0.value) }
            headers.append(FieldText("Connection", close ? "close" : "keep-alive"))
            if method == .post { headers.append(FieldText("Content-Length", String(body.count))) }
            expected.append(RequestSnapshot(
                method: method, methodText: method == .get ? "GET" : "POST", target: target, version: .http11,
                headers: headers, trailers: [], body: body,
                framing: method == .post ? .contentLength(body.count) : .none, keepAlive: !close, expectsContinue: false))
        }
        let outcome = assertSameForEveryChunking(RequestDriver(), wire)
        XCTAssertEqual(outcome.messages.count, expected.count)
        XCTAssertEqual(outcome.ending, .needsInput(pending: 0))
        for (k, (got, want)) in zip(outcome.messages, expected).enumerated() where got != want {
            XCTFail("request \(k):\n got \(got)\nwant \(want)")
            break
        }
    }
}
