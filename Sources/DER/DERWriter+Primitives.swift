extension DERWriter {
    @inlinable public mutating func boolean(_ value: Bool) {
        storage.append(DERTag.boolean.rawValue)
        storage.append(1)
        storage.append(value ? 0xFF : 0x00)
    }

    @inlinable public mutating func null() {
        storage.append(DERTag.null.rawValue)
        storage.append(0)
    }

    /// INTEGER from a machine integer, minimal two's complement.
    @inlinable public mutating func integer(_ value: Int) {
        integer(value, tag: .integer)
    }

    @inlinable public mutating func integer(_ value: Int, tag: DERTag) {
        // Smallest n such that value fits in n bytes of two's complement.
        var n = 1
        while n < 8 {
            let shifted = value >> (n * 8 - 1)
            if shifted == 0 || shifted == -1 { break }
            n += 1
        }
        storage.append(tag.rawValue)
        storage.append(UInt8(n))
        var shift = (n - 1) * 8
        while shift >= 0 {
            storage.append(UInt8(truncatingIfNeeded: value >> shift))
            shift -= 8
        }
    }

    /// INTEGER from an unsigned big-endian magnitude (RSA modulus, serial number):
    /// leading zeros are dropped and one 0x00 is added when the top bit is set.
    @inlinable public mutating func integer(unsignedBigEndian magnitude: some Collection<UInt8>) {
        let rest = magnitude.drop { $0 == 0 }
        if rest.isEmpty {
            storage.append(DERTag.integer.rawValue)
            storage.append(1)
            storage.append(0)
            return
        }
        let pad = rest.first! & 0x80 != 0
        writeHeader(.integer, contentLength: rest.count + (pad ? 1 : 0))
        if pad { storage.append(0) }
        storage.append(contentsOf: rest)
    }

    /// BIT STRING with `unusedBits` (0...7) in the last octet.
    @inlinable public mutating func bitString(_ bytes: some Collection<UInt8>, unusedBits: UInt8 = 0) {
        writeHeader(.bitString, contentLength: bytes.count + 1)
        storage.append(unusedBits)
        storage.append(contentsOf: bytes)
    }

    /// BIT STRING whose content is a DER element written by `body` (SubjectPublicKeyInfo, signatures).
    @inlinable public mutating func bitStringWrapping(_ body: (inout DERWriter) throws -> Void) rethrows {
        try constructed(.bitString) { w in
            w.storage.append(0)
            try body(&w)
        }
    }

    @inlinable public mutating func octetString(_ bytes: some Collection<UInt8>) {
        writeHeader(.octetString, contentLength: bytes.count)
        storage.append(contentsOf: bytes)
    }

    /// OCTET STRING whose content is a DER element written by `body` (extension values).
    @inlinable public mutating func octetStringWrapping(_ body: (inout DERWriter) throws -> Void) rethrows {
        try constructed(.octetString, body)
    }

    @inlinable public mutating func oid(_ oid: OID) {
        storage.append(contentsOf: oid.tlv)
    }

    @inlinable public mutating func utf8String<S: StringProtocol>(_ text: S) { writeText(.utf8String, text) }

    /// The caller checks the alphabet first (`DERString.isPrintable`): writing never fails.
    @inlinable public mutating func printableString<S: StringProtocol>(_ text: S) { writeText(.printableString, text) }

    /// The caller checks the alphabet first (`DERString.isIA5`).
    @inlinable public mutating func ia5String<S: StringProtocol>(_ text: S) { writeText(.ia5String, text) }

    /// UTCTime `YYMMDDHHMMSSZ`; valid for 1950...2049 (RFC 5280 4.1.2.5.1).
    @inlinable public mutating func utcTime(_ time: DERTime) {
        storage.append(DERTag.utcTime.rawValue)
        storage.append(13)
        appendDigits(time.year % 100, 2)
        appendTimeTail(time)
    }

    /// GeneralizedTime `YYYYMMDDHHMMSSZ`, no fractional seconds (RFC 5280 4.1.2.5.2).
    @inlinable public mutating func generalizedTime(_ time: DERTime) {
        storage.append(DERTag.generalizedTime.rawValue)
        storage.append(15)
        appendDigits(time.year, 4)
        appendTimeTail(time)
    }

    /// UTCTime through 2049, GeneralizedTime from 2050, as RFC 5280 requires for validity dates.
    @inlinable public mutating func x509Time(_ time: DERTime) {
        if time.year >= 1950 && time.year < 2050 { utcTime(time) } else { generalizedTime(time) }
    }

    @inlinable internal mutating func appendTimeTail(_ time: DERTime) {
        appendDigits(time.month, 2)
        appendDigits(time.day, 2)
        appendDigits(time.hour, 2)
        appendDigits(time.minute, 2)
        appendDigits(time.second, 2)
        storage.append(0x5A)  // "Z"
    }

    @inlinable internal mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            storage.append(0x30 + UInt8(truncatingIfNeeded: (v / divisor) % 10))
            v %= divisor
            divisor /= 10
        }
    }
}
