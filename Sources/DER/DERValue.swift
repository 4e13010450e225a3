/// The checked value decoders over raw content bytes, shared by `DERElement` (slices) and
/// `DERScanner` (offsets): one implementation of each DER rule and its error text. `offset` is the
/// element's offset in the caller's input, `tag` its tag (both for errors).
public enum DERValue {
    @inlinable static func invalid(_ offset: Int, _ tag: DERTag, _ reason: String) -> DERError {
        .invalidValue(offset: offset, type: tag, reason: reason)
    }

    /// A minimal two's-complement INTEGER content.
    @inlinable public static func checkInteger(_ content: UnsafeRawBufferPointer, offset: Int, tag: DERTag) throws(DERError) {
        guard let first = content.first else { throw invalid(offset, tag, "empty INTEGER") }
        if content.count > 1 {
            let second = content[1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                throw invalid(offset, tag, "non-minimal INTEGER encoding")
            }
        }
    }

    /// A minimal INTEGER content that fits in 64 bits, as its value.
    @inlinable public static func integer(_ content: UnsafeRawBufferPointer, offset: Int, tag: DERTag) throws(DERError) -> Int {
        try checkInteger(content, offset: offset, tag: tag)
        guard content.count <= 8 else { throw invalid(offset, tag, "INTEGER does not fit in 64 bits") }
        var value = Int(Int8(bitPattern: content[0]))
        for b in content.dropFirst() { value = (value << 8) | Int(b) }
        return value
    }

    /// A BIT STRING content: an unused-bit count of at most 7, those bits zero.
    @inlinable public static func checkBitString(_ content: UnsafeRawBufferPointer, offset: Int, tag: DERTag) throws(DERError) {
        guard let unused = content.first else { throw invalid(offset, tag, "empty BIT STRING") }
        guard unused <= 7 else { throw invalid(offset, tag, "unused bits \(unused) > 7") }
        if content.count == 1 && unused != 0 { throw invalid(offset, tag, "unused bits without data") }
        if unused != 0, content[content.count - 1] & ((1 << unused) - 1) != 0 { throw invalid(offset, tag, "unused bits are not zero") }
    }

    /// UTCTime or GeneralizedTime in the forms RFC 5280 allows (seconds, "Z", no fractions).
    @inlinable public static func time(_ content: UnsafeRawBufferPointer, offset: Int, tag: DERTag) throws(DERError) -> DERTime {
        let digits: Int
        switch tag {
        case .utcTime: digits = 12
        case .generalizedTime: digits = 14
        default: throw .unexpectedTag(offset: offset, expected: .utcTime, found: tag)
        }
        guard content.count == digits + 1, content[digits] == 0x5A else {
            throw invalid(offset, tag, "expected \(digits) digits and Z")
        }
        var i = 0
        func field(_ width: Int) throws(DERError) -> Int {
            var v = 0
            for _ in 0..<width {
                let c = content[i]
                guard c >= 0x30 && c <= 0x39 else { throw invalid(offset, tag, "non-digit") }
                v = v * 10 + Int(c - 0x30)
                i += 1
            }
            return v
        }
        var year = try field(digits == 14 ? 4 : 2)
        let month = try field(2), day = try field(2), hour = try field(2), minute = try field(2), second = try field(2)
        if digits == 12 { year += year >= 50 ? 1900 : 2000 }
        let t = DERTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard t.isValid else { throw invalid(offset, tag, "no such date") }
        return t
    }
}
