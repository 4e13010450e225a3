/// Appends DER into one reusable byte buffer: a constructed element writes its tag, reserves one
/// length byte, writes its content, then back-patches the length (shifting only for long form).
/// Reuse one writer with `removeAll()` so the hot path never allocates.
public struct DERWriter: Sendable {
    @usableFromInline internal var storage: [UInt8]

    @inlinable public init(capacity: Int = 512) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// The bytes written so far.
    @inlinable public var bytes: [UInt8] { storage }
    @inlinable public var count: Int { storage.count }

    /// Forgets the content, keeps the capacity.
    @inlinable public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    /// Read access to the bytes without copying them.
    @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }

    // MARK: raw appends

    /// Appends bytes that are already a complete DER encoding (a cached SPKI, an OID's TLV, a certificate).
    @inlinable public mutating func appendEncoded(_ encoded: [UInt8]) { storage.append(contentsOf: encoded) }
    @inlinable public mutating func appendEncoded(_ encoded: ArraySlice<UInt8>) { storage.append(contentsOf: encoded) }
    @inlinable public mutating func appendEncoded(_ encoded: UnsafeRawBufferPointer) { storage.append(contentsOf: encoded) }

    @inlinable internal mutating func appendLength(_ length: Int) {
        if length < 0x80 {
            storage.append(UInt8(truncatingIfNeeded: length))
            return
        }
        let n = DERWriter.longLengthOctets(length)
        storage.append(0x80 | UInt8(n))
        var shift = (n - 1) * 8
        while shift >= 0 {
            storage.append(UInt8(truncatingIfNeeded: length >> shift))
            shift -= 8
        }
    }

    @inlinable internal static func longLengthOctets(_ length: Int) -> Int {
        let bits = Int.bitWidth - length.leadingZeroBitCount
        return (bits + 7) / 8
    }

    /// Octets a length field takes (1 for short form).
    @inlinable public static func lengthOfLength(_ length: Int) -> Int {
        length < 0x80 ? 1 : 1 + longLengthOctets(length)
    }

    /// Writes tag and length for `contentLength` bytes the caller appends next.
    @inlinable public mutating func writeHeader(_ tag: DERTag, contentLength: Int) {
        storage.append(tag.rawValue)
        appendLength(contentLength)
    }

    /// A primitive element whose content is given.
    @inlinable public mutating func primitive(_ tag: DERTag, content: [UInt8]) {
        writeHeader(tag, contentLength: content.count)
        storage.append(contentsOf: content)
    }

    @inlinable public mutating func primitive(_ tag: DERTag, content: ArraySlice<UInt8>) {
        writeHeader(tag, contentLength: content.count)
        storage.append(contentsOf: content)
    }

    @inlinable public mutating func primitive(_ tag: DERTag, content: UnsafeRawBufferPointer) {
        writeHeader(tag, contentLength: content.count)
        storage.append(contentsOf: content)
    }

    // MARK: constructed, with back-patched length

    /// A constructed element: `body` appends the content; the length is patched afterwards.
    @inlinable public mutating func constructed(
        _ tag: DERTag, _ body: (inout DERWriter) throws -> Void
    ) rethrows {
        storage.append(tag.rawValue)
        let lengthIndex = storage.count
        storage.append(0)
        try body(&self)
        patchLength(at: lengthIndex)
    }

    /// Sets the length byte reserved at `lengthIndex` to cover everything after it, moving the
    /// content right when the long form needs more than the one reserved byte.
    @inlinable internal mutating func patchLength(at lengthIndex: Int) {
        let contentStart = lengthIndex + 1
        let length = storage.count - contentStart
        if length < 0x80 {
            storage[lengthIndex] = UInt8(truncatingIfNeeded: length)
            return
        }
        let n = DERWriter.longLengthOctets(length)
        for _ in 0..<n { storage.append(0) }
        storage.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            (base + contentStart + n).update(from: base + contentStart, count: length)
            base[lengthIndex] = 0x80 | UInt8(n)
            var shift = (n - 1) * 8
            var i = contentStart
            while shift >= 0 {
                base[i] = UInt8(truncatingIfNeeded: length >> shift)
                shift -= 8
                i += 1
            }
        }
    }

    @inlinable public mutating func sequence(_ body: (inout DERWriter) throws -> Void) rethrows {
        try constructed(.sequence, body)
    }

    /// A SET whose members the caller already writes in DER order (e.g. one attribute per RDN).
    @inlinable public mutating func set(_ body: (inout DERWriter) throws -> Void) rethrows {
        try constructed(.set, body)
    }

    /// A SET OF: members are written in any order and then sorted as DER requires (X.690 11.6).
    @inlinable public mutating func setOf(_ body: (inout DERWriter) throws -> Void) rethrows {
        try setOf(tag: .set, body)
    }

    /// A SET OF under another tag, e.g. `[0] IMPLICIT SET OF Attribute` in a CSR.
    @inlinable public mutating func setOf(tag: DERTag, _ body: (inout DERWriter) throws -> Void) rethrows {
        storage.append(tag.rawValue)
        let lengthIndex = storage.count
        storage.append(0)
        try body(&self)
        sortSetMembers(from: lengthIndex + 1)
        patchLength(at: lengthIndex)
    }

    /// `[n] EXPLICIT`: a constructed context tag around one complete element.
    @inlinable public mutating func explicit(_ number: UInt8, _ body: (inout DERWriter) throws -> Void) rethrows {
        try constructed(.context(number, constructed: true), body)
    }

    /// `[n] IMPLICIT` over a constructed type (SEQUENCE, SET): the body writes the content only.
    @inlinable public mutating func implicitConstructed(
        _ number: UInt8, _ body: (inout DERWriter) throws -> Void
    ) rethrows {
        try constructed(.context(number, constructed: true), body)
    }

    /// `[n] IMPLICIT` over a primitive type: the content bytes under a context tag.
    @inlinable public mutating func implicitPrimitive(_ number: UInt8, content: [UInt8]) {
        primitive(.context(number, constructed: false), content: content)
    }

    @inlinable public mutating func implicitPrimitive<S: StringProtocol>(_ number: UInt8, text: S) {
        writeText(.context(number, constructed: false), text)
    }

    @inlinable internal mutating func writeText<S: StringProtocol>(_ tag: DERTag, _ text: S) {
        let utf8 = text.utf8
        writeHeader(tag, contentLength: utf8.count)
        storage.append(contentsOf: utf8)
    }
}

extension DERWriter {
    /// Appends content bytes after a `writeHeader` (callers that compute a content length themselves).
    @inlinable public mutating func appendContent(_ byte: UInt8) { storage.append(byte) }
    @inlinable public mutating func appendContent(_ bytes: some Sequence<UInt8>) { storage.append(contentsOf: bytes) }

    /// Appends the decimal digits of `value` (>= 0), left-padded with "0" to `width`.
    @inlinable public mutating func appendDecimal(_ value: Int, width: Int = 0) {
        let digits = DERWriter.decimalDigits(value)
        var pad = width - digits
        while pad > 0 { storage.append(0x30); pad -= 1 }
        var divisor = 1
        for _ in 1..<digits { divisor &*= 10 }
        var v = value
        while divisor > 0 {
            storage.append(0x30 &+ UInt8(truncatingIfNeeded: v / divisor))
            v %= divisor
            divisor /= 10
        }
    }

    /// Number of decimal digits of `value` (>= 0).
    @inlinable public static func decimalDigits(_ value: Int) -> Int {
        var n = 1
        var v = value
        while v >= 10 { v /= 10; n += 1 }
        return n
    }
}

extension DERWriter {
    /// Mutable access to the bytes written so far, for patching fields of a pre-encoded template in place.
    @inlinable public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBytes(body)
    }
}
