/// The status line (responses) and request line (requests), RFC 9112 §3 and §4.
extension HTTPMessageParser {
    mutating func parseStartLine(_ start: Int, _ end: Int) -> HTTPError? {
        let result: Result<Facts, HTTPError> = head.withUnsafeBufferPointer { bytes in
            var facts = Facts()
            let e = role == .response
                ? Self.statusLine(bytes, start, end, into: &facts)
                : Self.requestLine(bytes, start, end, into: &facts)
            return e.map { .failure($0) } ?? .success(facts)
        }
        switch result {
        case .success(let parsed):
            facts = parsed
            return nil
        case .failure(let e):
            return e
        }
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason-phrase]`; the reason may be empty, and the space before an
    /// empty reason may be missing (seen in the wild).
    static func statusLine(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into facts: inout Facts) -> HTTPError? {
        var sp = start
        while sp < end && b[sp] != HTTPSyntax.sp { sp += 1 }
        guard sp < end else { return .invalidStatusLine(excerpt: HTTPSyntax.excerpt(b, start, end)) }
        switch version(b, start, sp) {
        case .some(let v): facts.version = v
        case .none:
            return startsWithHTTPSlash(b, start, sp)
                ? .invalidVersion(excerpt: HTTPSyntax.excerpt(b, start, end))
                : .invalidStatusLine(excerpt: HTTPSyntax.excerpt(b, start, end))
        }
        let codeStart = sp + 1
        var code = 0
        var k = codeStart
        while k < end && k < codeStart + 3, let d = HTTPSyntax.decimalValue(b[k]) {
            code = code * 10 + d
            k += 1
        }
        guard k == codeStart + 3, k == end || b[k] == HTTPSyntax.sp, (100...599).contains(code) else {
            return .invalidStatusCode(excerpt: HTTPSyntax.excerpt(b, start, end))
        }
        facts.status = code
        let reasonStart = min(k + 1, end)
        for r in reasonStart..<end where !HTTPSyntax.isFieldValueByte(b[r]) {
            return .invalidStatusLine(excerpt: HTTPSyntax.excerpt(b, start, end))
        }
        facts.reason = reasonStart..<end
        return nil
    }

    /// `method SP request-target SP HTTP-version`, single spaces.
    static func requestLine(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into facts: inout Facts) -> HTTPError? {
        var sp1 = start
        while sp1 < end && HTTPSyntax.isToken(b[sp1]) { sp1 += 1 }
        guard sp1 > start, sp1 < end, b[sp1] == HTTPSyntax.sp else {
            return .invalidRequestLine(excerpt: HTTPSyntax.excerpt(b, start, end))
        }
        var sp2 = sp1 + 1
        while sp2 < end && b[sp2] > HTTPSyntax.sp && b[sp2] != 0x7F { sp2 += 1 }
        guard sp2 > sp1 + 1, sp2 < end, b[sp2] == HTTPSyntax.sp else {
            return .invalidRequestLine(excerpt: HTTPSyntax.excerpt(b, start, end))
        }
        switch version(b, sp2 + 1, end) {
        case .some(let v): facts.version = v
        case .none:
            return startsWithHTTPSlash(b, sp2 + 1, end)
                ? .invalidVersion(excerpt: HTTPSyntax.excerpt(b, start, end))
                : .invalidRequestLine(excerpt: HTTPSyntax.excerpt(b, start, end))
        }
        facts.methodRange = start..<sp1
        facts.method = HTTPMethod.matching(b, start, sp1)
        facts.target = sp1 + 1..<sp2
        return nil
    }

    static func version(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> HTTPVersion? {
        if HTTPSyntax.equals(b, start, end, "HTTP/1.1") { return .http11 }
        if HTTPSyntax.equals(b, start, end, "HTTP/1.0") { return .http10 }
        return nil
    }

    static func startsWithHTTPSlash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        end - start >= 5 && HTTPSyntax.equals(b, start, start + 5, "HTTP/")
    }
}
