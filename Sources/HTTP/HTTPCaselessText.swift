/// An ASCII text compared with received bytes ignoring case, eight bytes at a time: its bytes
/// lowercased, and per byte 0x20 where it is a letter. OR-ing that mask into a received byte folds
/// A–Z onto a–z and leaves every other byte as it is, so `(word | mask) == lowered` is exactly a
/// byte-wise ASCII case-insensitive compare. Made once for the names and media types checked on
/// every response (a byte-at-a-time compare of both sides cost about six instructions a byte).
public struct HTTPCaselessText: Sendable {
    let lowered: [UInt8]
    let mask: [UInt8]

    public init(_ text: String) {
        lowered = text.utf8.map(HTTPSyntax.lowercased)
        mask = lowered.map { $0 &- 0x61 < 26 ? 0x20 : 0 }
    }

    public var count: Int { lowered.count }

    /// Whether `bytes[start..<end]` is this text, ignoring ASCII case.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        end - start == lowered.count && matches(bytes, at: start)
    }

    /// Whether this text, ignoring ASCII case, starts at `bytes[start]` (room for it is the caller's check).
    func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let n = lowered.count
        guard let base = bytes.baseAddress else { return n == 0 }
        let b = UnsafeRawPointer(base + start)
        return lowered.withUnsafeBytes { l in
            mask.withUnsafeBytes { m in
                if n < 8 {
                    for k in 0..<n where b.load(fromByteOffset: k, as: UInt8.self) | m[k] != l[k] { return false }
                    return true
                }
                // Whole words, then the last eight bytes (overlapping the last word when n is not a multiple of 8).
                @inline(__always) func word(_ k: Int) -> Bool {
                    b.loadUnaligned(fromByteOffset: k, as: UInt64.self) | m.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                        == l.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                }
                var k = 0
                while k + 8 <= n {
                    if !word(k) { return false }
                    k += 8
                }
                return k == n || word(n - 8)
            }
        }
    }

    /// Whether this text occurs in `bytes[start..<end]`, ignoring ASCII case: candidates found by
    /// their first byte before the whole text is compared.
    func occurs(in bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let first = lowered.first else { return true }
        let firstMask = mask[0]
        var i = start
        let last = end - lowered.count
        while i <= last {
            if bytes[i] | firstMask == first && matches(bytes, at: i) { return true }
            i += 1
        }
        return false
    }
}

/// The per-response lookups with a prepared text: no String is walked, nothing allocates.
extension HTTPHeaders {
    /// The position of the first field called `name` (ASCII case ignored).
    public func firstIndex(named name: HTTPCaselessText) -> Int? {
        storage.withUnsafeBufferPointer { buffer in
            for (i, s) in spans.enumerated() where name.matches(buffer, s.nameStart, s.nameEnd) { return i }
            return nil
        }
    }

    public func contains(named name: HTTPCaselessText) -> Bool { firstIndex(named: name) != nil }

    /// `mediaType(at:matches:)` with a prepared media type.
    public func mediaType(at index: Int, matches mediaType: HTTPCaselessText) -> Bool {
        let s = spans[index]
        return storage.withUnsafeBufferPointer { buffer in
            mediaType.matches(buffer, s.valueStart, HTTPHeaders.mediaTypeEnd(buffer, s))
        }
    }

    /// `value(at:containsIgnoringCase:)` with a prepared needle.
    public func value(at index: Int, containsIgnoringCase needle: HTTPCaselessText) -> Bool {
        let s = spans[index]
        return storage.withUnsafeBufferPointer { needle.occurs(in: $0, s.valueStart, s.valueEnd) }
    }
}
