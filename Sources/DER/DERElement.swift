/// One parsed TLV: views into the reader's input (no copy). Indices are those of the input array.
public struct DERElement: Sendable {
    public let tag: DERTag
    /// The whole encoding: tag, length and content.
    public let encoded: ArraySlice<UInt8>
    /// Where the content octets start (an index of the input). One slice, not two: an element is
    /// copied and destroyed on every step of a walk, and each slice is a reference count.
    @usableFromInline let contentStart: Int

    /// The content octets.
    @inlinable public var content: ArraySlice<UInt8> { encoded[contentStart...] }

    @inlinable public init(tag: DERTag, encoded: ArraySlice<UInt8>, contentStart: Int) {
        self.tag = tag
        self.encoded = encoded
        self.contentStart = contentStart
    }

    /// Where this element starts in the input.
    @inlinable public var offset: Int { encoded.startIndex }

    /// A reader over the content, for constructed elements.
    @inlinable public func children() -> DERReader { DERReader(content) }

    @inlinable public func expect(_ expected: DERTag) throws(DERError) {
        if tag != expected { throw .unexpectedTag(offset: offset, expected: expected, found: tag) }
    }

    /// Byte-for-byte equality of two encodings, eight bytes at a time (key matching is on hot paths).
    @inlinable public static func bytesEqual(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in bytesEqual(x, y) } }
    }

    /// `bytesEqual` over raw bytes.
    @inlinable public static func bytesEqual(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        guard x.count == y.count else { return false }
        var i = 0
        while i + 8 <= x.count {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < x.count {
            if x[i] != y[i] { return false }
            i += 1
        }
        return true
    }
}
