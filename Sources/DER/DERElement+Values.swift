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
        try withContent { c throws(DERError) in try DERValue.checkInteger(c, offset: offset, tag: tag) }
        return content
    }

    public func integer(tag expected: DERTag = .integer) throws(DERError) -> Int {
        try expect(expected)
        return try withContent { c throws(DERError) in try DERValue.integer(c, offset: offset, tag: tag) }
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
        try withContent { c throws(DERError) in try DERValue.checkBitString(c, offset: offset, tag: tag) }
        return (content.first!, content.dropFirst())
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
        try withContent { c throws(DERError) in try DERValue.time(c, offset: offset, tag: tag) }
    }

    /// The content octets as raw bytes, for the shared `DERValue` decoders.
    @inlinable func withContent<R>(_ body: (UnsafeRawBufferPointer) throws(DERError) -> R) throws(DERError) -> R {
        try content.withUnsafeBufferPointer { b throws(DERError) in try body(UnsafeRawBufferPointer(b)) }
    }
}
