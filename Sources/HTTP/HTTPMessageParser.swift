/// The HTTP/1.x reader behind `HTTPResponseParser` and `HTTPRequestParser`: copies the head into
/// one reusable buffer, records fields as ranges into it, and decodes the body into another.
/// Every buffer keeps its capacity from one message to the next.
struct HTTPMessageParser: Sendable {
    /// Which side of the connection the parser reads for: the start line and body rules differ.
    enum Role: Sendable { case request, response }

    /// Where in the message the next input byte belongs.
    enum Phase: Sendable, Equatable {
        case head
        case fixedBody(remaining: Int)
        case chunkLine
        case chunkData(remaining: Int)
        case chunkDataEnd(sawCR: Bool)
        case trailers
        case untilClose
        case complete
        case failed
    }

    /// Where in a chunk-size line (`size [BWS ; ext] CRLF`) the next byte belongs.
    enum ChunkLinePart: Sendable { case size, whitespace, extensionText, lineEnd }

    /// What the start line and fields of the current message said; reset per message.
    struct Facts: Sendable {
        var version: HTTPVersion = .http11
        var status = 0
        var reason = 0..<0
        var method: HTTPMethod? = nil
        var methodRange = 0..<0
        var target = 0..<0
        var contentLength: Int? = nil
        var chunked = false
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false
        var hostCount = 0
        var framing: HTTPBodyFraming = .none
        var keepAlive = true
    }

    /// Progress through one chunk-size line.
    struct ChunkLine: Sendable {
        var part: ChunkLinePart = .size
        var size = 0
        var significantDigits = 0
        var hasDigit = false
        var inExtension = false
        var length = 0
    }

    let role: Role
    let limits: HTTPLimits
    var phase: Phase = .head
    var error: HTTPError? = nil

    var head: [UInt8]
    var fields: [HTTPHeaders.Span]
    var trailerFields: [HTTPHeaders.Span]
    var body: [UInt8]

    /// Start of the line being assembled in `head`, and of the current section (head or trailers).
    var lineStart = 0
    var sectionStart = 0
    /// Lines completed in the head, the start line being line 1.
    var lineNumber = 0

    var facts = Facts()
    var chunk = ChunkLine()
    /// Chunks whose data has been read completely.
    var chunkIndex = 0

    var requestMethod: HTTPMethod = .get
    var interimResponses = 0

    init(role: Role, limits: HTTPLimits) {
        self.role = role
        self.limits = limits
        // No reservations: buffers grow on the first message and keep their capacity across
        // `reset`, so 10,000 parsers that have not read a message yet cost nothing.
        head = []
        fields = []
        trailerFields = []
        body = []
    }

    /// Forgets the message (and any failure), keeping every buffer's capacity.
    mutating func startNextMessage() {
        phase = .head
        error = nil
        head.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        trailerFields.removeAll(keepingCapacity: true)
        body.removeAll(keepingCapacity: true)
        lineStart = 0
        sectionStart = 0
        lineNumber = 0
        facts = Facts()
        chunk = ChunkLine()
        chunkIndex = 0
        interimResponses = 0
    }

    mutating func fail(_ e: HTTPError) -> HTTPParseStep {
        phase = .failed
        error = e
        return .failed(e)
    }

    // MARK: input

    mutating func feed(_ input: UnsafeRawBufferPointer) -> HTTPParseStep {
        if phase == .complete { startNextMessage() }
        if phase == .failed, let error { return .failed(error) }
        guard input.count > 0 else { return .needsInput }
        let bytes = input.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        while true {
            switch phase {
            case .head, .trailers:
                guard i < n else { return .needsInput }
                let j = HTTPSyntax.firstLF(bytes, i, n)
                let end = j < n ? j + 1 : n
                head.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                i = end
                // Checked on every append, before the line is interpreted, so the outcome does not
                // depend on how the input was split.
                if head.count - sectionStart > limits.headerBytes {
                    return fail(phase == .head
                        ? .headerSectionTooLarge(limit: limits.headerBytes)
                        : .trailerSectionTooLarge(limit: limits.headerBytes))
                }
                guard j < n else { return .needsInput }
                if let e = completeLine() { return fail(e) }

            case .fixedBody(let remaining):
                let take = min(remaining, n - i)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<i + take]))
                i += take
                guard take == remaining else {
                    phase = .fixedBody(remaining: remaining - take)
                    return .needsInput
                }
                phase = .complete

            case .chunkLine:
                guard i < n else { return .needsInput }
                let b = bytes[i]
                i += 1
                if let e = chunkLineByte(b) { return fail(e) }

            case .chunkData(let remaining):
                let take = min(remaining, n - i)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<i + take]))
                i += take
                guard take == remaining else {
                    phase = .chunkData(remaining: remaining - take)
                    return .needsInput
                }
                phase = .chunkDataEnd(sawCR: false)

            case .chunkDataEnd(let sawCR):
                guard i < n else { return .needsInput }
                let b = bytes[i]
                i += 1
                if b == HTTPSyntax.lf {
                    chunkIndex += 1
                    chunk = ChunkLine()
                    phase = .chunkLine
                } else if b == HTTPSyntax.cr && !sawCR {
                    phase = .chunkDataEnd(sawCR: true)
                } else {
                    return fail(.chunkDataNotFollowedByCRLF(chunk: chunkIndex, byte: b))
                }

            case .untilClose:
                guard body.count + (n - i) <= limits.bodyBytes else {
                    return fail(.bodyTooLarge(limit: limits.bodyBytes, length: nil))
                }
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<n]))
                return .needsInput

            case .complete:
                return .complete(consumed: i)

            case .failed:
                return .failed(error!)
            }
        }
    }

    /// End of input: completes a close-delimited body, or says what was cut off.
    mutating func finish() -> HTTPParseStep {
        if phase == .complete { startNextMessage() }
        switch phase {
        case .head:
            if head.isEmpty && interimResponses == 0 { return fail(.closedBeforeMessage) }
            return fail(.truncatedHead(received: head.count))
        case .fixedBody:
            return fail(.truncatedBody(expected: facts.contentLength ?? 0, received: body.count))
        case .chunkLine, .chunkData, .chunkDataEnd, .trailers:
            return fail(.truncatedChunkedBody(received: body.count))
        case .untilClose:
            phase = .complete
            return .complete(consumed: 0)
        case .failed:
            return .failed(error!)
        case .complete:
            preconditionFailure("unreachable: a complete message was reset above")
        }
    }

    // MARK: lines of the head and trailer sections

    /// Interprets the line that ends at the last byte of `head` (an LF).
    mutating func completeLine() -> HTTPError? {
        let start = lineStart
        var end = head.count - 1
        if end > start && head[end - 1] == HTTPSyntax.cr { end -= 1 }
        lineStart = head.count
        if phase == .trailers {
            if start == end {
                phase = .complete
                return nil
            }
            return addTrailer(start, end)
        }
        lineNumber += 1
        if lineNumber == 1 {
            if start == end && role == .request {
                // RFC 9112 §2.2: ignore empty lines before a request line.
                head.removeAll(keepingCapacity: true)
                lineStart = 0
                lineNumber = 0
                return nil
            }
            return parseStartLine(start, end)
        }
        if start == end { return endOfHead() }
        return addField(start, end)
    }
}
