/// Walks a sequence of DER elements in a byte slice without copying; strict DER only
/// (definite, minimal lengths; single-byte tags). Every malformed form has its own `DERError`.
/// Advancing moves an index, not a slice, so skipping elements costs no reference counting.
public struct DERReader: Sendable {
    @usableFromInline internal let base: ArraySlice<UInt8>
    @usableFromInline internal var position: Int

    @inlinable public init(_ bytes: ArraySlice<UInt8>) {
        base = bytes
        position = bytes.startIndex
    }

    @inlinable public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    /// What is not read yet.
    @inlinable public var remaining: ArraySlice<UInt8> { base[position...] }

    @inlinable public var isAtEnd: Bool { position >= base.endIndex }

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
        if isAtEnd { return nil }
        return try read()
    }

    /// Parses the header at `position`: the tag, where the content starts and where it ends.
    @inlinable internal func header() throws(DERError) -> (tag: UInt8, contentStart: Int, contentEnd: Int) {
        let origin = base.startIndex
        let h = try base.withUnsafeBufferPointer { b throws(DERError) in
            try DERHeader.parse(UnsafeRawBufferPointer(b), start: position - origin, end: b.count, origin: origin)
        }
        return (h.tag, h.contentStart + origin, h.contentEnd + origin)
    }

    /// The next element; `.unexpectedEnd` when there is none.
    @inlinable public mutating func read() throws(DERError) -> DERElement {
        let h = try header()
        let element = DERElement(
            tag: DERTag(rawValue: h.tag),
            encoded: base[position..<h.contentEnd],
            contentStart: h.contentStart)
        position = h.contentEnd
        return element
    }

    /// The next element, which must carry `tag`.
    @inlinable public mutating func read(_ tag: DERTag) throws(DERError) -> DERElement {
        let e = try read()
        try e.expect(tag)
        return e
    }

    /// Checks and passes over the next element, which must carry `tag`, without making slices of it.
    @inlinable public mutating func skip(_ tag: DERTag) throws(DERError) {
        let h = try header()
        if h.tag != tag.rawValue {
            throw .unexpectedTag(offset: position, expected: tag, found: DERTag(rawValue: h.tag))
        }
        position = h.contentEnd
    }

    /// The next element if it carries `tag` (OPTIONAL and DEFAULT fields); nothing is consumed otherwise.
    public mutating func readIfPresent(_ tag: DERTag) throws(DERError) -> DERElement? {
        guard peekTag == tag else { return nil }
        return try read()
    }

    /// `skip` for an OPTIONAL field: passes over it when present.
    @inlinable public mutating func skipIfPresent(_ tag: DERTag) throws(DERError) {
        if peekTag == tag { try skip(tag) }
    }

    /// The tag of the next element without consuming it.
    @inlinable public var peekTag: DERTag? { isAtEnd ? nil : DERTag(rawValue: base[position]) }

    /// Requires that nothing is left.
    public func finish() throws(DERError) {
        if !isAtEnd {
            throw .trailingBytes(offset: position, count: base.endIndex - position)
        }
    }
}
