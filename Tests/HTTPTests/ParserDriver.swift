import XCTest
@testable import HTTP

/// Everything a parsed response exposes, copied out for comparison.
struct ResponseSnapshot: Equatable {
    var version: HTTPVersion
    var status: Int
    var reason: String
    var headers: [FieldText]
    var trailers: [FieldText]
    var body: [UInt8]
    var framing: HTTPBodyFraming
    var contentLength: Int?
    var keepAlive: Bool
    var interimResponses: Int
}

/// Everything a parsed request exposes, copied out for comparison.
struct RequestSnapshot: Equatable {
    var method: HTTPMethod?
    var methodText: String
    var target: String
    var version: HTTPVersion
    var headers: [FieldText]
    var trailers: [FieldText]
    var body: [UInt8]
    var framing: HTTPBodyFraming
    var keepAlive: Bool
    var expectsContinue: Bool
}

/// A parser under test, seen the same way for requests and responses.
protocol DrivenParser {
    associatedtype Snapshot: Equatable
    mutating func feed(_ bytes: [UInt8]) -> HTTPParseStep
    mutating func finish() -> HTTPParseStep
    func snapshot() -> Snapshot
    /// Called after message `index - 1` completed, before the bytes of message `index`.
    mutating func prepare(forMessage index: Int)
}

/// A response parser plus the methods of the requests the responses answer, in order.
struct ResponseDriver: DrivenParser {
    var parser: HTTPResponseParser
    let methods: [HTTPMethod]

    init(limits: HTTPLimits = HTTPLimits(), methods: [HTTPMethod] = [.get]) {
        parser = HTTPResponseParser(limits: limits, requestMethod: methods.first ?? .get)
        self.methods = methods
    }

    mutating func feed(_ bytes: [UInt8]) -> HTTPParseStep { parser.feed(bytes) }
    mutating func finish() -> HTTPParseStep { parser.finish() }
    mutating func prepare(forMessage index: Int) {
        if index > 0 && index < methods.count { parser.reset(requestMethod: methods[index]) }
    }

    func snapshot() -> ResponseSnapshot {
        ResponseSnapshot(
            version: parser.version, status: parser.status, reason: parser.reason,
            headers: fieldTexts(parser.headers), trailers: fieldTexts(parser.trailers), body: parser.body,
            framing: parser.framing, contentLength: parser.contentLength, keepAlive: parser.keepAlive,
            interimResponses: parser.interimResponses)
    }
}

/// A request parser behind the same driver interface (requests need no per-message setup).
struct RequestDriver: DrivenParser {
    var parser: HTTPRequestParser

    init(limits: HTTPLimits = HTTPLimits()) { parser = HTTPRequestParser(limits: limits) }

    mutating func feed(_ bytes: [UInt8]) -> HTTPParseStep { parser.feed(bytes) }
    mutating func finish() -> HTTPParseStep { parser.finish() }
    mutating func prepare(forMessage index: Int) {}

    func snapshot() -> RequestSnapshot {
        RequestSnapshot(
            method: parser.method, methodText: parser.methodText, target: parser.target, version: parser.version,
            headers: fieldTexts(parser.headers), trailers: fieldTexts(parser.trailers), body: parser.body,
            framing: parser.framing, keepAlive: parser.keepAlive, expectsContinue: parser.expectsContinue)
    }
}
