/// Reads one HTTP/1.x request after another from a connection of the built-in EST server, fed
/// in whatever pieces TLS hands over; pipelined requests come out one `.complete` at a time.
///
/// `feed` until `.complete`, answer, then feed the rest of the input (feeding after `.complete`
/// starts the next request). `finish()` at EOF. Accessors describe the last complete request.
public struct HTTPRequestParser: Sendable {
    var core: HTTPMessageParser

    public init(limits: HTTPLimits = HTTPLimits()) {
        core = HTTPMessageParser(role: .request, limits: limits)
    }

    public var limits: HTTPLimits { core.limits }

    /// Forgets the current request (and any failure); buffers keep their capacity.
    public mutating func reset() { core.startNextMessage() }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> HTTPParseStep { core.feed(bytes) }

    public mutating func feed(_ bytes: [UInt8]) -> HTTPParseStep {
        bytes.withUnsafeBytes { core.feed($0) }
    }

    public mutating func feed(_ bytes: ArraySlice<UInt8>) -> HTTPParseStep {
        bytes.withUnsafeBytes { core.feed($0) }
    }

    /// The client closed: fails with `.closedBeforeMessage` when idle (a normal close; check
    /// `isIdle` first), or with the truncation error for a request cut short.
    public mutating func finish() -> HTTPParseStep { core.finish() }

    public var isComplete: Bool { core.phase == .complete }
    /// The head is complete and the body is being read (the moment to answer `100 Continue`).
    public var isReadingBody: Bool {
        switch core.phase {
        case .head, .complete, .failed: return false
        case .fixedBody, .chunkLine, .chunkData, .chunkDataEnd, .trailers, .untilClose: return true
        }
    }
    public var isIdle: Bool { (core.phase == .head && core.head.isEmpty) || isComplete }

    /// The method, or nil for one estbench does not know (see `methodText`; answer 501).
    public var method: HTTPMethod? { core.facts.method }
    public var methodText: String { String(decoding: core.head[core.facts.methodRange], as: UTF8.self) }
    public var targetBytes: ArraySlice<UInt8> { core.head[core.facts.target] }
    public var target: String { String(decoding: targetBytes, as: UTF8.self) }
    public var version: HTTPVersion { core.facts.version }
    public var headers: HTTPHeaders { HTTPHeaders(storage: core.head, spans: core.fields) }
    public var trailers: HTTPHeaders { HTTPHeaders(storage: core.head, spans: core.trailerFields) }
    public var body: [UInt8] { core.body }
    public func withBody<R>(_ read: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try core.body.withUnsafeBytes(read)
    }
    public var framing: HTTPBodyFraming { core.facts.framing }
    public var contentLength: Int? { core.facts.contentLength }
    public var keepAlive: Bool { core.facts.keepAlive }
    /// `Expect: 100-continue` was sent; the server may answer 100 first or just respond.
    public var expectsContinue: Bool { core.facts.expectsContinue }
    public var contentType: String? { headers.value(named: "content-type") }
}
