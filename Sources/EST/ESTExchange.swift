import HTTP

/// One request and its response on a client connection, as every estbench client drives it (the
/// engine's devices and `probe`): the request written into a reused buffer, the response parsed
/// as its bytes arrive, the peer's close judged. No I/O and no clock: the caller writes `request`
/// and feeds what it reads. One per connection owner, reused from request to request.
public struct ESTExchange: Sendable {
    /// What the last `receive` or `peerClosed` call came to.
    public enum Step: Equatable, Sendable {
        case needsInput
        /// The response is complete (read it from `response`); `extraBytes` arrived after it in
        /// the same read (a pipelined or unsolicited message the peer should not have sent).
        case complete(extraBytes: Int)
        /// The peer closed before any byte of the response.
        case closedBeforeResponse
        /// The bytes are not an acceptable response, or the peer's close cut it short: `error` says which.
        case failed(HTTPError)
    }

    /// The response being read (complete after `.complete`).
    public private(set) var response: HTTPResponseParser
    /// The request as last encoded: write these bytes.
    public private(set) var request: [UInt8] = []

    public init(limits: HTTPLimits = HTTPLimits()) {
        response = HTTPResponseParser(limits: limits)
    }

    /// Starts the next exchange: `template` with `body` (nil: none) into `request`, the parser reset.
    public mutating func begin(_ template: HTTPRequestTemplate, body: [UInt8]?, closeConnection: Bool, fieldLine: [UInt8] = []) {
        response.reset(requestMethod: template.method)
        request.removeAll(keepingCapacity: true)
        if let body {
            template.encode(body: body, closeConnection: closeConnection, fieldLine: fieldLine, into: &request)
        } else {
            template.encode(closeConnection: closeConnection, fieldLine: fieldLine, into: &request)
        }
    }

    /// Between exchanges, before a connection idles a while: lets go of the request and response
    /// buffers, which otherwise keep their capacity for the next exchange (a few KiB per
    /// connection: the largest request and response so far). The next `begin` grows them again;
    /// the last response's accessors are gone. Nothing happens while a response is being read.
    public mutating func releaseBuffers() {
        guard response.isIdle else { return }
        response = HTTPResponseParser(limits: response.limits, requestMethod: response.requestMethod)
        request = []
    }

    /// Whether the buffers hold no capacity (after `releaseBuffers`, or before the first exchange).
    public var holdsNoBuffers: Bool { request.capacity == 0 && response.bufferCapacity == 0 }

    /// Response bytes as they arrive.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> Step {
        switch response.feed(bytes) {
        case .needsInput: return .needsInput
        case .complete(let consumed): return .complete(extraBytes: bytes.count - consumed)
        case .failed(let error): return .failed(error)
        }
    }

    /// The peer will send no more: a close-delimited body ends here; anything else short of a
    /// complete response is a failure (or, before its first byte, `.closedBeforeResponse`).
    public mutating func peerClosed() -> Step {
        switch response.finish() {
        case .needsInput: return .failed(.closedBeforeMessage)
        case .complete: return .complete(extraBytes: 0)
        case .failed(.closedBeforeMessage): return .closedBeforeResponse
        case .failed(let error): return .failed(error)
        }
    }
}
