/// Byte classes and small scanners from the HTTP/1.1 grammar (RFC 9110 §5, RFC 9112), shared by
/// the parsers and the templates so both sides agree on what a token or a field value is.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let ht: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B

    /// tchar (RFC 9110 §5.6.2) as two 64-bit masks over ASCII; computed from the grammar's list.
    @inline(__always) static func isToken(_ b: UInt8) -> Bool {
        // Select the mask without a branch: names mix letters (upper half) and '-' (lower half).
        let mask: UInt64 = b < 64 ? 0x03FF_6CFA_0000_0000 : 0x57FF_FFFF_C7FF_FFFE
        return b < 128 && (mask >> UInt64(b & 63)) & 1 != 0
    }

    /// field-vchar, SP or HTAB (obs-text allowed): any byte but controls other than HTAB, and DEL.
    @inline(__always) static func isFieldValueByte(_ b: UInt8) -> Bool {
        b == ht || (b >= 0x20 && b != 0x7F)
    }

    /// A byte that may not appear in text written into a message head (CR/LF injection and kin).
    @inline(__always) static func isControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != ht) || b == 0x7F
    }

    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == sp || b == ht }

    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }

    @inline(__always) static func decimalValue(_ b: UInt8) -> Int? {
        let v = b &- 0x30
        return v < 10 ? Int(v) : nil
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> Int? {
        if b &- 0x30 < 10 { return Int(b &- 0x30) }
        let folded = b | 0x20
        if folded &- 0x61 < 6 { return Int(folded &- 0x61) + 10 }
        return nil
    }

    /// The index of the first LF in `bytes[start..<end]`, or `end`. Eight bytes per step (SWAR
    /// zero-byte test on the word XOR 0x0A…): the head is scanned once per byte, so this matters.
    @inline(__always)
    static func firstLF(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= end {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ 0x0A0A_0A0A_0A0A_0A0A
                let zero = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                // The lowest flag is exact (false flags only sit above a true zero byte).
                if zero != 0 { return i + zero.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < end && bytes[i] != lf { i += 1 }
        return i
    }

    /// Whether every byte of `bytes[start..<end]` may appear in a field value; eight bytes per
    /// step, falling back to a byte check only for words holding a control byte, HTAB or DEL.
    @inline(__always)
    static func allFieldValueBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= end {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let below20 = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
                let d = w ^ 0x7F7F_7F7F_7F7F_7F7F
                let del = (d &- 0x0101_0101_0101_0101) & ~d & 0x8080_8080_8080_8080
                if below20 | del != 0 {
                    for k in i..<i + 8 where !isFieldValueByte(bytes[k]) { return false }
                }
                i += 8
            }
        }
        while i < end {
            if !isFieldValueByte(bytes[i]) { return false }
            i += 1
        }
        return true
    }

    /// Whether `bytes[start..<end]` is exactly `literal` (case-sensitive).
    @inline(__always)
    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        guard end - start == literal.utf8CodeUnitCount else { return false }
        let l = literal.utf8Start
        for k in 0..<(end - start) where bytes[start + k] != l[k] { return false }
        return true
    }

    /// Whether `bytes[start..<end]` equals the lowercase `literal`, ignoring ASCII case.
    @inline(__always)
    static func equalsIgnoringCase(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ literal: StaticString
    ) -> Bool {
        guard end - start == literal.utf8CodeUnitCount else { return false }
        let l = literal.utf8Start
        for k in 0..<(end - start) where lowercased(bytes[start + k]) != l[k] { return false }
        return true
    }

    /// Whether two byte runs are equal ignoring ASCII case.
    @inline(__always)
    static func equalsIgnoringCase(
        _ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aEnd: Int, _ b: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard aEnd - aStart == b.count else { return false }
        for k in 0..<b.count where lowercased(a[aStart + k]) != lowercased(b[k]) { return false }
        return true
    }

    /// Calls `element` with each non-empty element of a comma-separated list (RFC 9110 §5.6.1),
    /// whitespace around it trimmed.
    @inline(__always)
    static func forEachListElement(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ element: (Int, Int) -> Void
    ) {
        var i = start
        while i < end {
            var j = i
            while j < end && bytes[j] != comma { j += 1 }
            var s = i
            var e = j
            while s < e && isWhitespace(bytes[s]) { s += 1 }
            while e > s && isWhitespace(bytes[e - 1]) { e -= 1 }
            if s < e { element(s, e) }
            i = j + 1
        }
    }

    /// Up to 64 bytes of `bytes[start..<end]` as printable text for an error message (cold path).
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var text = ""
        for k in start..<min(end, start + 64) {
            let b = bytes[k]
            switch b {
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case 0x09: text += "\\t"
            case 0x5C: text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        if end - start > 64 { text += "…" }
        return text
    }

    static func excerpt(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        bytes.withUnsafeBufferPointer { excerpt($0, start, end) }
    }
}
