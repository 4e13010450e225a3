/// Checked decoding of primitive values, each rejecting non-DER forms with `.invalidValue`.
extension DERElement {
    @inlinable func invalid(_ reason: String) -> DERError {
        .invalidValue(offset: offset, type: tag, reason: reason)
    }

    public func boolean() throws(DERError) -> Bool {
        try expect(.boolean)
        guard content.count == 1 else { throw invalid("length \(content.count), expected 1") }
        switch content.first! {
        case 0x00: return false
        case 0xFF: return true
        default: throw invalid("DER requires 0x00 or 0xFF")
        }
    }

    public func null() throws(DERError) {
        try expect(.null)
        guard content.isEmpty else { throw invalid("NULL with content") }
    }

    /// Checks minimal two's-complement form; returns the content octets.
    public func integerBytes(tag expected: DERTag = .integer) throws(DERError) -> ArraySlice<UInt8> {
        try expect(expected)
        guard let first = content.first else { throw invalid("empty INTEGER") }
        if content.count > 1 {
            let second = content[content.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                throw invalid("non-minimal INTEGER encoding")
            }
        }
        return content
    }

    public func integer(tag expected: DERTag = .integer) throws(DERError) -> Int {
        let bytes = try integerBytes(tag: expected)
        guard bytes.count <= 8 else { throw invalid("INTEGER does not fit in 64 bits") }
        var value = Int(Int8(bitPattern: bytes.first!))
        for b in bytes.dropFirst() { value = (value << 8) | Int(b) }
        return value
    }

    /// A non-negative INTEGER's magnitude without the sign octet (RSA modulus, serial number).
    public func unsignedIntegerMagnitude() throws(DERError) -> ArraySlice<UInt8> {
        let bytes = try integerBytes()
        guard bytes.first! & 0x80 == 0 else { throw invalid("negative INTEGER") }
        return bytes.first! == 0 && bytes.count > 1 ? bytes.dropFirst() : bytes
    }

    /// BIT STRING: the unused-bit count and the bit octets.
    public func bitString() throws(DERError) -> (unusedBits: UInt8, bytes: ArraySlice<UInt8>) {
        try expect(.bitString)
        guard let unused = content.first else { throw invalid("empty BIT STRING") }
        guard unused <= 7 else { throw invalid("unused bits \(unused) > 7") }
        let bytes = content.dropFirst()
        if bytes.isEmpty && unused != 0 { throw invalid("unused bits without data") }
        if unused != 0, bytes.last! & ((1 << unused) - 1) != 0 { throw invalid("unused bits are not zero") }
        return (unused, bytes)
    }

    public func octetString() throws(DERError) -> ArraySlice<UInt8> {
        try expect(.octetString)
        return content
    }

    public func oid() throws(DERError) -> OID {
        try expect(.objectIdentifier)
        guard OID.dotted(content) != nil else { throw invalid("malformed base-128 arcs") }
        return OID(content: Array(content))
    }

    /// Whether this OBJECT IDENTIFIER equals `oid`, without allocating.
    @inlinable public func isOID(_ oid: OID) -> Bool {
        tag == .objectIdentifier && content.elementsEqual(oid.content)
    }

    /// UTF8String, PrintableString, IA5String (alphabets checked) as text.
    public func string() throws(DERError) -> String {
        switch tag {
        case .utf8String:
            guard let s = String(validating: content, as: UTF8.self) else { throw invalid("not UTF-8") }
            return s
        case .printableString:
            guard DERString.isPrintable(content) else { throw invalid("character outside PrintableString") }
            return String(decoding: content, as: UTF8.self)
        case .ia5String:
            guard DERString.isIA5(content) else { throw invalid("character outside IA5String") }
            return String(decoding: content, as: UTF8.self)
        default:
            throw .unexpectedTag(offset: offset, expected: .utf8String, found: tag)
        }
    }

    /// UTCTime or GeneralizedTime in the forms RFC 5280 allows (seconds, "Z", no fractions).
    public func time() throws(DERError) -> DERTime {
        let digits: Int
        switch tag {
        case .utcTime: digits = 12
        case .generalizedTime: digits = 14
        default: throw .unexpectedTag(offset: offset, expected: .utcTime, found: tag)
        }
        guard content.count == digits + 1, content.last == 0x5A else {
            throw invalid("expected \(digits) digits and Z")
        }
        var i = content.startIndex
        func field(_ width: Int) throws(DERError) -> Int {
            var v = 0
            for _ in 0..<width {
                let c = content[i]
                guard c >= 0x30 && c <= 0x39 else { throw invalid("non-digit") }
                v = v * 10 + Int(c - 0x30)
                i += 1
            }
            return v
        }
        var year = try field(digits == 14 ? 4 : 2)
        let month = try field(2), day = try field(2), hour = try field(2), minute = try field(2), second = try field(2)
        if digits == 12 { year += year >= 50 ? 1900 : 2000 }
        let t = DERTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard t.isValid else { throw invalid("no such date") }
        return t
    }
}
