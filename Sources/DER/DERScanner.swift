/// A DER walk over raw bytes: `DERReader`'s checks and errors (the same header parser, error
/// offsets that are indices of the caller's input), but elements are offsets (`DERSpan`), not
/// slices, so a walk costs no reference counting and no bounds-checked slice access. For hot paths
/// that read many fields of one buffer (an enrollment answer: PKCS#7 → certificate fields).
public struct DERScanner {
    /// The whole input; spans and positions are offsets into it.
    public let bytes: UnsafeRawBufferPointer
    /// The caller's index of `bytes[0]` (an `ArraySlice`'s `startIndex`): added to error offsets.
    public let origin: Int
    @usableFromInline internal var position: Int
    public let end: Int

    /// Walks `range` of `bytes` (all of it by default).
    @inlinable public init(_ bytes: UnsafeRawBufferPointer, origin: Int = 0, range: Range<Int>? = nil) {
        self.bytes = bytes
        self.origin = origin
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    @inlinable public var isAtEnd: Bool { position >= end }

    /// The next element; `.unexpectedEnd` when there is none.
    @inlinable @inline(__always) public mutating func read() throws(DERError) -> DERSpan {
        let h = try DERHeader.parse(bytes, start: position, end: end, origin: origin)
        let span = DERSpan(tag: DERTag(rawValue: h.tag), start: position, contentStart: h.contentStart, end: h.contentEnd)
        position = h.contentEnd
        return span
    }

    /// The next element, or nil at the end.
    @inlinable public mutating func next() throws(DERError) -> DERSpan? {
        if isAtEnd { return nil }
        return try read()
    }

    /// The next element, which must carry `tag`.
    @inlinable @inline(__always) public mutating func read(_ tag: DERTag) throws(DERError) -> DERSpan {
        let span = try read()
        try expect(span, tag)
        return span
    }

    /// Checks and passes over the next element, which must carry `tag`.
    @inlinable public mutating func skip(_ tag: DERTag) throws(DERError) { _ = try read(tag) }

    /// The next element if it carries `tag` (OPTIONAL fields); nothing is consumed otherwise.
    @inlinable public mutating func readIfPresent(_ tag: DERTag) throws(DERError) -> DERSpan? {
        guard peekTag == tag else { return nil }
        return try read()
    }

    @inlinable public mutating func skipIfPresent(_ tag: DERTag) throws(DERError) {
        if peekTag == tag { try skip(tag) }
    }

    /// The tag of the next element without consuming it.
    @inlinable public var peekTag: DERTag? { isAtEnd ? nil : DERTag(rawValue: bytes[position]) }

    /// Requires that nothing is left.
    @inlinable public func finish() throws(DERError) {
        if !isAtEnd { throw .trailingBytes(offset: origin + position, count: end - position) }
    }

    /// A scanner over `span`'s content (for constructed elements).
    @inlinable public func children(_ span: DERSpan) -> DERScanner {
        DERScanner(bytes, origin: origin, range: span.contentStart..<span.end)
    }

    /// Exactly one element filling `span`'s content (`DERReader.single(element.content)`).
    @inlinable public func single(in span: DERSpan) throws(DERError) -> DERSpan {
        var inner = children(span)
        let e = try inner.read()
        try inner.finish()
        return e
    }

    @inlinable public func expect(_ span: DERSpan, _ expected: DERTag) throws(DERError) {
        if span.tag != expected { throw .unexpectedTag(offset: origin + span.start, expected: expected, found: span.tag) }
    }

    /// `span`'s content bytes.
    @inlinable public func content(_ span: DERSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[span.contentStart..<span.end])
    }

    /// `DERElement.integerBytes()`: a minimal INTEGER's content.
    @inlinable public func integerBytes(_ span: DERSpan) throws(DERError) -> DERSpan {
        try expect(span, .integer)
        try DERValue.checkInteger(content(span), offset: origin + span.start, tag: span.tag)
        return span
    }

    /// `DERElement.integer()`: a minimal INTEGER that fits in 64 bits.
    @inlinable public func integer(_ span: DERSpan) throws(DERError) -> Int {
        try expect(span, .integer)
        return try DERValue.integer(content(span), offset: origin + span.start, tag: span.tag)
    }

    /// `DERElement.bitString().bytes`: the bit octets' range (after the unused-bit count).
    @inlinable public func bitStringBytes(_ span: DERSpan) throws(DERError) -> Range<Int> {
        try expect(span, .bitString)
        try DERValue.checkBitString(content(span), offset: origin + span.start, tag: span.tag)
        return span.contentStart + 1..<span.end
    }

    /// `DERElement.time()`.
    @inlinable public func time(_ span: DERSpan) throws(DERError) -> DERTime {
        try DERValue.time(content(span), offset: origin + span.start, tag: span.tag)
    }
}

/// One TLV found by a `DERScanner`: offsets into its bytes.
public struct DERSpan: Sendable, Equatable {
    public let tag: DERTag
    /// Where the tag is, where the content starts and where the element ends.
    public let start: Int
    public let contentStart: Int
    public let end: Int

    @inlinable public init(tag: DERTag, start: Int, contentStart: Int, end: Int) {
        self.tag = tag
        self.start = start
        self.contentStart = contentStart
        self.end = end
    }

    /// The whole encoding's offsets.
    @inlinable public var encoded: Range<Int> { start..<end }
    @inlinable public var content: Range<Int> { contentStart..<end }
}

/// The DER header parser shared by `DERReader` and `DERScanner`.
public enum DERHeader {
    /// Parses the header at `start` (an offset into `p`, which ends at `end`): the tag, where the
    /// content starts and where it ends. Error offsets are `origin + start`.
    @inlinable @inline(__always)
    public static func parse(_ p: UnsafeRawBufferPointer, start: Int, end: Int, origin: Int) throws(DERError)
        -> (tag: UInt8, contentStart: Int, contentEnd: Int) {
        guard start < end else { throw .unexpectedEnd(offset: origin + start) }
        let tagByte = p[start]
        if tagByte & 0x1F == 0x1F { throw .highTagNumber(offset: origin + start) }
        var i = start + 1
        guard i < end else { throw .truncated(offset: origin + start) }
        let first = p[i]
        i += 1
        var length: Int
        if first < 0x80 {
            length = Int(first)
        } else if first == 0x80 {
            throw .indefiniteLength(offset: origin + start)
        } else {
            let n = Int(first & 0x7F)
            guard n <= 8 else { throw .lengthTooLarge(offset: origin + start) }
            guard end - i >= n else { throw .truncated(offset: origin + start) }
            if p[i] == 0 { throw .nonMinimalLength(offset: origin + start) }
            length = 0
            for _ in 0..<n {
                if length > (Int.max >> 8) { throw .lengthTooLarge(offset: origin + start) }
                length = (length << 8) | Int(p[i])
                i += 1
            }
            if length < 0x80 { throw .nonMinimalLength(offset: origin + start) }
        }
        guard length <= end - i else {
            throw .lengthBeyondBuffer(offset: origin + start, length: length, available: end - i)
        }
        return (tagByte, i, i + length)
    }
}
