/// Lookups EST response handling needs on every response, answered without allocating.
extension HTTPHeaders {
    /// Whether Content-Type's media type (the part before any `;` parameters) is `mediaType`,
    /// ignoring case and whitespace: `application/pkcs7-mime; smime-type=certs-only` matches
    /// `application/pkcs7-mime`.
    public func contentTypeMatches(_ mediaType: String) -> Bool {
        guard let i = firstIndex(named: "content-type") else { return false }
        return self.mediaType(at: i, matches: mediaType)
    }

    /// `contentTypeMatches` for the field at `index` (a Content-Type found by `firstIndex(named:)`).
    public func mediaType(at index: Int, matches mediaType: String) -> Bool {
        let s = spans[index]
        return storage.withUnsafeBufferPointer { buffer in
            let end = HTTPHeaders.mediaTypeEnd(buffer, s)
            if let r = mediaType.utf8.withContiguousStorageIfAvailable({
                HTTPSyntax.equalsIgnoringCase(buffer, s.valueStart, end, $0)
            }) {
                return r
            }
            return Array(mediaType.utf8).withUnsafeBufferPointer {
                HTTPSyntax.equalsIgnoringCase(buffer, s.valueStart, end, $0)
            }
        }
    }

    /// Where the media type in the value at `s` ends: before any `;` parameters and the whitespace before them.
    static func mediaTypeEnd(_ buffer: UnsafeBufferPointer<UInt8>, _ s: Span) -> Int {
        var end = s.valueStart
        while end < s.valueEnd && buffer[end] != HTTPSyntax.semicolon { end += 1 }
        while end > s.valueStart && HTTPSyntax.isWhitespace(buffer[end - 1]) { end -= 1 }
        return end
    }

    /// Whether the first value of `name` contains `needle`, ignoring ASCII case, without allocating
    /// (e.g. a Content-Type parameter such as `smime-type=certs-only`).
    public func value(named name: String, containsIgnoringCase needle: String) -> Bool {
        guard let i = firstIndex(named: name) else { return false }
        return value(at: i, containsIgnoringCase: needle)
    }

    /// `value(named:containsIgnoringCase:)` for the field at `index`: candidates found by their
    /// first byte (either case) before the whole needle is compared.
    public func value(at index: Int, containsIgnoringCase needle: String) -> Bool {
        let s = spans[index]
        var needle = needle
        return storage.withUnsafeBufferPointer { buffer in
            needle.withUTF8 { needle in
                guard let first = needle.first.map(HTTPSyntax.lowercased) else { return true }
                let upper = first &- 0x61 < 26 ? first & ~0x20 : first
                var start = s.valueStart
                let last = s.valueEnd - needle.count
                while start <= last {
                    let b = buffer[start]
                    if (b == first || b == upper) && HTTPSyntax.equalsIgnoringCase(buffer, start, start + needle.count, needle) { return true }
                    start += 1
                }
                return false
            }
        }
    }

    /// Retry-After, read as delay-seconds or kept as HTTP-date text.
    public var retryAfter: HTTPRetryAfter? {
        firstValueBytes(named: "retry-after").map(HTTPRetryAfter.init)
    }

    /// Every WWW-Authenticate value joined with ", " (the field is a list, RFC 9110 §11.6.1).
    public var wwwAuthenticate: String? {
        let all = values(named: "www-authenticate")
        return all.isEmpty ? nil : all.joined(separator: ", ")
    }
}
