/// Header and trailer field lines (RFC 9112 §5) and the fields that decide framing and keep-alive.
extension HTTPMessageParser {
    /// The fields the parser itself acts on.
    enum FieldRole: Sendable { case other, host, expect, connection, contentLength, transferEncoding }

    /// What one framing-relevant field value said.
    enum FieldEffect: Sendable {
        case none
        case host
        case expectContinue
        case connection(close: Bool, keepAlive: Bool)
        case contentLength(Int)
        case chunked
        case failure(HTTPError)
    }

    mutating func addField(_ start: Int, _ end: Int) -> HTTPError? {
        if HTTPSyntax.isWhitespace(head[start]) { return .obsoleteLineFolding(line: lineNumber) }
        let role = role
        let parsed: (HTTPHeaders.Span, FieldEffect)? = head.withUnsafeBufferPointer { b in
            Self.fieldSpan(b, start, end).map { ($0, Self.effect(b, $0, role: role)) }
        }
        guard let (span, effect) = parsed else {
            return .invalidHeaderLine(line: lineNumber, excerpt: HTTPSyntax.excerpt(head, start, end))
        }
        if case .failure(let e) = effect { return e }
        guard fields.count < limits.headerCount else { return .tooManyHeaders(limit: limits.headerCount) }
        fields.append(span)
        switch effect {
        case .none, .failure:
            break
        case .host:
            facts.hostCount += 1
        case .expectContinue:
            facts.expectsContinue = true
        case .connection(let close, let keepAlive):
            facts.connectionClose = facts.connectionClose || close
            facts.connectionKeepAlive = facts.connectionKeepAlive || keepAlive
        case .contentLength(let length):
            if let first = facts.contentLength, first != length {
                return .conflictingContentLength(first: first, second: length)
            }
            facts.contentLength = length
        case .chunked:
            if facts.chunked {
                return .unsupportedTransferEncoding(excerpt: HTTPSyntax.excerpt(head, span.valueStart, span.valueEnd))
            }
            facts.chunked = true
        }
        return nil
    }

    mutating func addTrailer(_ start: Int, _ end: Int) -> HTTPError? {
        let span: HTTPHeaders.Span? = head.withUnsafeBufferPointer { b in
            HTTPSyntax.isWhitespace(b[start]) ? nil : Self.fieldSpan(b, start, end)
        }
        guard let span else { return .invalidTrailerLine(excerpt: HTTPSyntax.excerpt(head, start, end)) }
        guard trailerFields.count < limits.headerCount else { return .tooManyTrailers(limit: limits.headerCount) }
        trailerFields.append(span)
        return nil
    }

    /// `token ":" OWS value OWS` with no whitespace before the colon; nil when malformed.
    static func fieldSpan(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> HTTPHeaders.Span? {
        var colon = start
        while colon < end && HTTPSyntax.isToken(b[colon]) { colon += 1 }
        guard colon > start, colon < end, b[colon] == HTTPSyntax.colon else { return nil }
        var valueStart = colon + 1
        while valueStart < end && HTTPSyntax.isWhitespace(b[valueStart]) { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart && HTTPSyntax.isWhitespace(b[valueEnd - 1]) { valueEnd -= 1 }
        guard HTTPSyntax.allFieldValueBytes(b, valueStart, valueEnd) else { return nil }
        return HTTPHeaders.Span(nameStart: start, nameEnd: colon, valueStart: valueStart, valueEnd: valueEnd)
    }

    static func fieldRole(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> FieldRole {
        switch end - start {
        case 4: return HTTPSyntax.equalsIgnoringCase(b, start, end, "host") ? .host : .other
        case 6: return HTTPSyntax.equalsIgnoringCase(b, start, end, "expect") ? .expect : .other
        case 10: return HTTPSyntax.equalsIgnoringCase(b, start, end, "connection") ? .connection : .other
        case 14: return HTTPSyntax.equalsIgnoringCase(b, start, end, "content-length") ? .contentLength : .other
        case 17: return HTTPSyntax.equalsIgnoringCase(b, start, end, "transfer-encoding") ? .transferEncoding : .other
        default: return .other
        }
    }

    static func effect(_ b: UnsafeBufferPointer<UInt8>, _ s: HTTPHeaders.Span, role: Role) -> FieldEffect {
        switch fieldRole(b, s.nameStart, s.nameEnd) {
        case .other:
            return .none
        case .host:
            return role == .request ? .host : .none
        case .expect:
            guard role == .request else { return .none }
            return HTTPSyntax.equalsIgnoringCase(b, s.valueStart, s.valueEnd, "100-continue") ? .expectContinue : .none
        case .connection:
            var close = false
            var keepAlive = false
            HTTPSyntax.forEachListElement(b, s.valueStart, s.valueEnd) { e0, e1 in
                if HTTPSyntax.equalsIgnoringCase(b, e0, e1, "close") { close = true }
                if HTTPSyntax.equalsIgnoringCase(b, e0, e1, "keep-alive") { keepAlive = true }
            }
            return .connection(close: close, keepAlive: keepAlive)
        case .contentLength:
            return contentLength(b, s.valueStart, s.valueEnd)
        case .transferEncoding:
            var chunkedCount = 0
            var other = false
            HTTPSyntax.forEachListElement(b, s.valueStart, s.valueEnd) { e0, e1 in
                if HTTPSyntax.equalsIgnoringCase(b, e0, e1, "chunked") { chunkedCount += 1 } else { other = true }
            }
            guard chunkedCount == 1, !other else {
                return .failure(.unsupportedTransferEncoding(excerpt: HTTPSyntax.excerpt(b, s.valueStart, s.valueEnd)))
            }
            return .chunked
        }
    }

    /// `1*DIGIT`, or a list of identical ones (RFC 9112 §6.3 lets a recipient accept `42, 42`).
    static func contentLength(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> FieldEffect {
        var first: Int? = nil
        var failure: HTTPError? = nil
        HTTPSyntax.forEachListElement(b, start, end) { e0, e1 in
            guard failure == nil else { return }
            guard let value = decimal(b, e0, e1) else {
                failure = .invalidContentLength(excerpt: HTTPSyntax.excerpt(b, start, end))
                return
            }
            if let first, first != value { failure = .conflictingContentLength(first: first, second: value) }
            first = first ?? value
        }
        if let failure { return .failure(failure) }
        guard let first else { return .failure(.invalidContentLength(excerpt: HTTPSyntax.excerpt(b, start, end))) }
        return .contentLength(first)
    }

    /// `1*DIGIT` of at most 18 digits (so it fits an Int), or nil.
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard end > start, end - start <= 18 else { return nil }
        var value = 0
        for k in start..<end {
            guard let d = HTTPSyntax.decimalValue(b[k]) else { return nil }
            value = value * 10 + d
        }
        return value
    }
}
