/// Walks a sequence of DER elements in a byte slice without copying; strict DER only
/// (definite, minimal lengths; single-byte tags). Every malformed form has its own `DERError`.
public struct DERReader: Sendable {
    @usableFromInline internal var rest: ArraySlice<UInt8>

    /// What is not read yet.
    @inlinable public var remaining: ArraySlice<UInt8> { rest }

    @inlinable public init(_ bytes: ArraySlice<UInt8>) { rest = bytes }
    @inlinable public init(_ bytes: [UInt8]) { rest = bytes[...] }

    @inlinable public var isAtEnd: Bool { remaining.isEmpty }

    /// Parses exactly one element filling all of `bytes`.
    public static func single(_ bytes: ArraySlice<UInt8>) throws(DERError) -> DERElement {
        var r = DERReader(bytes)
        let e = try r.read()
        try r.finish()
        return e
    }

    public static func single(_ bytes: [UInt8]) throws(DERError) -> DERElement { try single(bytes[...]) }

    /// The next element, or nil at the end.
    public mutating func next() throws(DERError) -> DERElement? {
        if remaining.isEmpty { return nil }
        return try read()
    }

    /// The next element; `.unexpectedEnd` when there is none.
    @inlinable public mutating func read() throws(DERError) -> DERElement {
        let start = remaining.startIndex
        let end = remaining.endIndex
        guard start < end else { throw .unexpectedEnd(offset: start) }
        let tagByte = remaining[start]
        if tagByte & 0x1F == 0x1F { throw .highTagNumber(offset: start) }
        var i = start + 1
        guard i < end else { throw .truncated(offset: start) }
        let first = remaining[i]
        i += 1
        var length: Int
        if first < 0x80 {
            length = Int(first)
        } else if first == 0x80 {
            throw .indefiniteLength(offset: start)
        } else {
            let n = Int(first & 0x7F)
            guard n <= 8 else { throw .lengthTooLarge(offset: start) }
            guard end - i >= n else { throw .truncated(offset: start) }
            if remaining[i] == 0 { throw .nonMinimalLength(offset: start) }
            length = 0
            for _ in 0..<n {
                if length > (Int.max >> 8) { throw .lengthTooLarge(offset: start) }
                length = (length << 8) | Int(remaining[i])
                i += 1
            }
            if length < 0x80 { throw .nonMinimalLength(offset: start) }
        }
        guard length <= end - i else {
            throw .lengthBeyondBuffer(offset: start, length: length, available: end - i)
        }
        let contentEnd = i + length
        let element = DERElement(
            tag: DERTag(rawValue: tagByte),
            encoded: remaining[start..<contentEnd],
            content: remaining[i..<contentEnd])
        rest = rest[contentEnd...]
        return element
    }

    /// The next element, which must carry `tag`.
    @inlinable public mutating func read(_ tag: DERTag) throws(DERError) -> DERElement {
        let e = try read()
        try e.expect(tag)
        return e
    }

    /// The next element if it carries `tag` (OPTIONAL and DEFAULT fields); nothing is consumed otherwise.
    public mutating func readIfPresent(_ tag: DERTag) throws(DERError) -> DERElement? {
        guard let first = remaining.first, first == tag.rawValue else { return nil }
        return try read()
    }

    /// The tag of the next element without consuming it.
    @inlinable public var peekTag: DERTag? { remaining.first.map { DERTag(rawValue: $0) } }

    /// Requires that nothing is left.
    public func finish() throws(DERError) {
        if !remaining.isEmpty {
            throw .trailingBytes(offset: remaining.startIndex, count: remaining.count)
        }
    }
}
