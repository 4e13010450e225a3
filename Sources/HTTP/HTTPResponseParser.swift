/// Reads one HTTP/1.x response after another from a client connection, fed in whatever pieces
/// TLS hands over. Head and body land in buffers reused for every response on the connection.
///
/// Per response: `reset(requestMethod:)` when the method differs from the last one (a HEAD
/// response has no body), `feed` until `.complete`, read the accessors, then feed the next bytes
/// (feeding after `.complete` starts the next response, keeping the method). `finish()` at EOF.
/// The accessors describe the last complete response; they are not meaningful before it.
public struct HTTPResponseParser: Sendable {
    var core: HTTPMessageParser

    public init(limits: HTTPLimits = HTTPLimits(), requestMethod: HTTPMethod = .get) {
        core = HTTPMessageParser(role: .response, limits: limits)
        core.requestMethod = requestMethod
    }

    public var limits: HTTPLimits { core.limits }

    /// Bytes of buffer capacity the parser holds (head, field spans and body).
    public var bufferCapacity: Int {
        core.head.capacity + (core.fields.capacity + core.trailerFields.capacity) * MemoryLayout<HTTPHeaders.Span>.stride
            + core.body.capacity
    }

    /// Forgets the current response (and any failure) and expects one to a `requestMethod`
    /// request; buffers keep their capacity.
    public mutating func reset(requestMethod: HTTPMethod) {
        core.startNextMessage()
        core.requestMethod = requestMethod
    }

    /// Consumes bytes from the connection; see `HTTPParseStep` for what was consumed.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> HTTPParseStep { core.feed(bytes) }

    public mutating func feed(_ bytes: [UInt8]) -> HTTPParseStep {
        bytes.withUnsafeBytes { core.feed($0) }
    }

    public mutating func feed(_ bytes: ArraySlice<UInt8>) -> HTTPParseStep {
        bytes.withUnsafeBytes { core.feed($0) }
    }

    /// The server closed the connection: completes a close-delimited body (`.complete(consumed: 0)`),
    /// or fails with `.truncatedBody` / `.truncatedChunkedBody` / `.truncatedHead` /
    /// `.closedBeforeMessage` (nothing of a response arrived: an idle keep-alive connection closed).
    public mutating func finish() -> HTTPParseStep { core.finish() }

    /// Whether a response is complete and its accessors are valid.
    public var isComplete: Bool { core.phase == .complete }
    /// Whether no byte of a response has arrived since the last one (EOF here is an idle close).
    public var isIdle: Bool { (core.phase == .head && core.head.isEmpty && core.interimResponses == 0) || isComplete }

    public var requestMethod: HTTPMethod { core.requestMethod }
    public var version: HTTPVersion { core.facts.version }
    public var status: Int { core.facts.status }
    public var reasonBytes: ArraySlice<UInt8> { core.head[core.facts.reason] }
    /// The reason phrase (allocates; for reports).
    public var reason: String { String(decoding: reasonBytes, as: UTF8.self) }
    public var headers: HTTPHeaders { HTTPHeaders(storage: core.head, spans: core.fields) }
    /// Trailer fields of a chunked body (usually none).
    public var trailers: HTTPHeaders { HTTPHeaders(storage: core.head, spans: core.trailerFields) }
    /// The decoded body (chunked framing removed); a copy-on-write view of the parser's buffer.
    public var body: [UInt8] { core.body }
    public func withBody<R>(_ read: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try core.body.withUnsafeBytes(read)
    }
    public var framing: HTTPBodyFraming { core.facts.framing }
    /// Content-Length as declared (also for HEAD and 304 responses, whose body is absent).
    public var contentLength: Int? { core.facts.contentLength }
    /// Whether the connection may carry the next request (RFC 9112 §9.3).
    public var keepAlive: Bool { core.facts.keepAlive }
    /// 1xx responses skipped before this one (e.g. an unrequested 100 Continue).
    public var interimResponses: Int { core.interimResponses }

    public var contentType: String? { headers.value(named: "content-type") }
    public var retryAfter: HTTPRetryAfter? { headers.retryAfter }
    public var wwwAuthenticate: String? { headers.wwwAuthenticate }
}
