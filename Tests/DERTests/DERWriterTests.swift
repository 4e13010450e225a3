import XCTest
@testable import DER

/// DERWriter output against golden encodings from X.690 (8.1.3 lengths, 8.2 BOOLEAN, 8.3 INTEGER,
/// 8.6 BIT STRING, 8.7 OCTET STRING, 8.8 NULL, 8.14 tagging, 8.23 restricted strings).
final class DERWriterTests: XCTestCase {

    // MARK: lengths (X.690 8.1.3, 10.1)

    /// (content length, the exact length octets DER requires).
    static let lengthVectors: [(Int, [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x81, 0x80]),
        (255, [0x81, 0xFF]),
        (256, [0x82, 0x01, 0x00]),
        (65535, [0x82, 0xFF, 0xFF]),
        (65536, [0x83, 0x01, 0x00, 0x00]),
        (70000, [0x83, 0x01, 0x11, 0x70]),
    ]

    func testWriteHeaderLengthOctets() {
        for (length, octets) in Self.lengthVectors {
            let bytes = encode { $0.writeHeader(.octetString, contentLength: length) }
            XCTAssertEqual(bytes, [0x04] + octets, "header for content length \(length)")
        }
    }

    func testWriteHeaderLargeLengths() {
        // Lengths that need 4 and 8 length octets (only the header is written).
        XCTAssertEqual(encode { $0.writeHeader(.octetString, contentLength: 0x0100_0000) },
                       [0x04, 0x84, 0x01, 0x00, 0x00, 0x00])
        XCTAssertEqual(encode { $0.writeHeader(.octetString, contentLength: 0x00FF_FFFF) },
                       [0x04, 0x83, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(encode { $0.writeHeader(.sequence, contentLength: Int.max) },
                       [0x30, 0x88, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testPrimitiveLengths() {
        for (length, octets) in Self.lengthVectors {
            let content = [UInt8](repeating: 0xA5, count: length)
            let expected = [0x04] + octets + content
            XCTAssertEqual(encode { $0.primitive(.octetString, content: content) }, expected,
                           "primitive([UInt8]) length \(length)")
            XCTAssertEqual(encode { $0.primitive(.octetString, content: content[...]) }, expected,
                           "primitive(ArraySlice) length \(length)")
            let viaPointer = content.withUnsafeBytes { raw in
                encode { $0.primitive(.octetString, content: raw) }
            }
            XCTAssertEqual(viaPointer, expected, "primitive(UnsafeRawBufferPointer) length \(length)")
            XCTAssertEqual(encode { $0.octetString(content) }, expected, "octetString length \(length)")
        }
    }

    func testPrimitiveFromSliceWithNonZeroStartIndex() {
        let backing: [UInt8] = [0xEE, 0xEE, 0x01, 0x02, 0x03, 0xEE]
        XCTAssertEqual(encode { $0.primitive(.octetString, content: backing[2..<5]) },
                       [0x04, 0x03, 0x01, 0x02, 0x03])
    }

    func testConstructedLengthBackPatching() {
        // The body appends exactly `length` raw bytes, so the constructed header must be
        // the same as the primitive one: short form kept, long form shifted in place.
        for (length, octets) in Self.lengthVectors {
            var content = [UInt8](repeating: 0, count: length)
            for i in content.indices { content[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
            let expected = [0x30] + octets + content
            XCTAssertEqual(encode { w in w.sequence { $0.appendEncoded(content) } }, expected,
                           "sequence with content length \(length)")
            XCTAssertEqual(encode { w in w.constructed(.set) { $0.appendEncoded(content) } },
                           [0x31] + octets + content, "constructed(.set) with content length \(length)")
        }
    }

    func testConstructedBackPatchingAfterPrefix() {
        // Back-patching must work when the element does not start at offset 0.
        let content = [UInt8](repeating: 0x5A, count: 300)
        let bytes = encode { w in
            w.null()
            w.sequence { $0.appendEncoded(content) }
            w.boolean(true)
        }
        XCTAssertEqual(bytes, [0x05, 0x00, 0x30, 0x82, 0x01, 0x2C] + content + [0x01, 0x01, 0xFF])
    }

    func testNestedSequenceGrowsToLongFormInsideOuter() {
        // SEQUENCE { INTEGER 5, SEQUENCE { OCTET STRING (200 x 0x11) }, BOOLEAN TRUE }
        // inner OCTET STRING: 04 81 C8 + 200       = 203 octets
        // inner SEQUENCE:     30 81 CB + 203       = 206 octets
        // outer content:      3 + 206 + 3          = 212 = 0xD4
        let payload = [UInt8](repeating: 0x11, count: 200)
        let bytes = encode { w in
            w.sequence { w in
                w.integer(5)
                w.sequence { $0.octetString(payload) }
                w.boolean(true)
            }
        }
        let expected = hex("30 81 D4  02 01 05  30 81 CB  04 81 C8") + payload + hex("01 01 FF")
        XCTAssertEqual(bytes, expected)
        XCTAssertEqual(bytes.count, 215)
    }

    func testNestedSequencesThreeLengthForms() {
        // SEQUENCE { NULL, SEQUENCE { OCTET STRING (65530 octets) } }
        // OCTET STRING: 04 82 FF FA + 65530   = 65534
        // inner SEQ:    30 82 FF FE + 65534   = 65538
        // outer:        content 2 + 65538 = 65540 = 0x010004 -> 30 83 01 00 04
        var payload = [UInt8](repeating: 0, count: 65530)
        for i in payload.indices { payload[i] = UInt8(truncatingIfNeeded: i) }
        let bytes = encode { w in
            w.sequence { w in
                w.null()
                w.sequence { $0.octetString(payload) }
            }
        }
        let expected = hex("30 83 01 00 04  05 00  30 82 FF FE  04 82 FF FA") + payload
        XCTAssertEqual(bytes.count, expected.count)
        XCTAssertEqual(bytes, expected)
    }

    func testSiblingsThatBothNeedShifting() {
        // SEQUENCE { SEQUENCE { 130 raw }, SEQUENCE { 300 raw } }
        // first:  30 81 82 + 130 = 133; second: 30 82 01 2C + 300 = 304; outer 437 = 0x01B5
        let a = [UInt8](repeating: 0xAA, count: 130)
        let b = [UInt8](repeating: 0xBB, count: 300)
        let bytes = encode { w in
            w.sequence { w in
                w.sequence { $0.appendEncoded(a) }
                w.sequence { $0.appendEncoded(b) }
            }
        }
        XCTAssertEqual(bytes, hex("30 82 01 B5  30 81 82") + a + hex("30 82 01 2C") + b)
    }

    func testEmptyConstructed() {
        XCTAssertEqual(encode { $0.sequence { _ in } }, hex("30 00"))
        XCTAssertEqual(encode { $0.set { _ in } }, hex("31 00"))
        XCTAssertEqual(encode { w in w.sequence { $0.sequence { _ in } } }, hex("30 02 30 00"))
    }

    func testConstructedBodyErrorPropagates() {
        struct Stop: Error {}
        var w = DERWriter()
        XCTAssertThrowsError(try w.sequence { _ in throw Stop() }) { error in
            XCTAssertTrue(error is Stop)
        }
    }

    // MARK: INTEGER (X.690 8.3)

    func testIntegerFromInt() {
        let vectors: [(Int, String)] = [
            (0, "02 01 00"),
            (1, "02 01 01"),
            (127, "02 01 7F"),
            (128, "02 02 00 80"),
            (255, "02 02 00 FF"),
            (256, "02 02 01 00"),
            (32767, "02 02 7F FF"),
            (32768, "02 03 00 80 00"),
            (65535, "02 03 00 FF FF"),
            (8_388_607, "02 03 7F FF FF"),
            (8_388_608, "02 04 00 80 00 00"),
            (-1, "02 01 FF"),
            (-127, "02 01 81"),
            (-128, "02 01 80"),
            (-129, "02 02 FF 7F"),
            (-256, "02 02 FF 00"),
            (-32768, "02 02 80 00"),
            (-32769, "02 03 FF 7F FF"),
            (0x0123_4567_89AB_CDEF, "02 08 01 23 45 67 89 AB CD EF"),
            (Int.max, "02 08 7F FF FF FF FF FF FF FF"),
            (Int.min, "02 08 80 00 00 00 00 00 00 00"),
            (Int.min + 1, "02 08 80 00 00 00 00 00 00 01"),
        ]
        for (value, golden) in vectors {
            XCTAssertEqual(encode { $0.integer(value) }, hex(golden), "INTEGER \(value)")
        }
    }

    func testIntegerWithImplicitTag() {
        XCTAssertEqual(encode { $0.integer(5, tag: .context(0, constructed: false)) }, hex("80 01 05"))
        XCTAssertEqual(encode { $0.integer(-129, tag: .context(1, constructed: false)) }, hex("81 02 FF 7F"))
    }

    func testIntegerUnsignedBigEndian() {
        let vectors: [([UInt8], String)] = [
            ([0x01], "02 01 01"),
            ([0x7F], "02 01 7F"),
            ([0x80], "02 02 00 80"),
            ([0xFF], "02 02 00 FF"),
            ([0x00, 0x00, 0x01, 0x02], "02 02 01 02"),
            ([0x00, 0x80, 0x00], "02 03 00 80 00"),
            ([0x00, 0x7F, 0x00], "02 02 7F 00"),
            ([0x01, 0x00, 0x00], "02 03 01 00 00"),
            ([0x00], "02 01 00"),
            ([0x00, 0x00, 0x00, 0x00], "02 01 00"),
            ([], "02 01 00"),
        ]
        for (magnitude, golden) in vectors {
            XCTAssertEqual(encode { $0.integer(unsignedBigEndian: magnitude) }, hex(golden),
                           "unsigned \(magnitude)")
        }
    }

    func testIntegerUnsignedBigEndianLongAndSlice() {
        // 128 octets of 0xFF (a 1024-bit modulus shape): 00 pad makes 129 content octets.
        let modulus = [UInt8](repeating: 0xFF, count: 128)
        XCTAssertEqual(encode { $0.integer(unsignedBigEndian: modulus) },
                       hex("02 81 81 00") + modulus)
        // 127 octets of 0x7F after two zero octets: 127 content octets, short form.
        let small = [0, 0] + [UInt8](repeating: 0x7F, count: 127)
        XCTAssertEqual(encode { $0.integer(unsignedBigEndian: small) },
                       hex("02 7F") + [UInt8](repeating: 0x7F, count: 127))
        // A slice with a non-zero start index.
        let backing: [UInt8] = [0xEE, 0x00, 0x00, 0x9A, 0x01]
        XCTAssertEqual(encode { $0.integer(unsignedBigEndian: backing[1...]) }, hex("02 03 00 9A 01"))
    }

    // MARK: BOOLEAN, NULL, BIT STRING, OCTET STRING

    func testBooleanAndNull() {
        XCTAssertEqual(encode { $0.boolean(true) }, hex("01 01 FF"))
        XCTAssertEqual(encode { $0.boolean(false) }, hex("01 01 00"))
        XCTAssertEqual(encode { $0.null() }, hex("05 00"))
    }

    func testBitString() {
        // X.690 8.6.4.2 example: '0A3B5F291CD'H -> 03 07 04 0A 3B 5F 29 1C D0
        XCTAssertEqual(encode { $0.bitString([0x0A, 0x3B, 0x5F, 0x29, 0x1C, 0xD0], unusedBits: 4) },
                       hex("03 07 04 0A 3B 5F 29 1C D0"))
        // keyUsage digitalSignature|keyCertSign|cRLSign = bits 0,5,6 -> 0x86, 1 unused bit.
        XCTAssertEqual(encode { $0.bitString([0x86], unusedBits: 1) }, hex("03 02 01 86"))
        XCTAssertEqual(encode { $0.bitString([0x01, 0x02]) }, hex("03 03 00 01 02"))
        XCTAssertEqual(encode { $0.bitString([UInt8]()) }, hex("03 01 00"))
        let big = [UInt8](repeating: 0x33, count: 200)
        XCTAssertEqual(encode { $0.bitString(big) }, hex("03 81 C9 00") + big)
    }

    func testBitStringWrapping() {
        XCTAssertEqual(encode { w in w.bitStringWrapping { $0.null() } }, hex("03 03 00 05 00"))
        // SEQUENCE { INTEGER 1, INTEGER 2 } inside a BIT STRING (an ECDSA signature's shape).
        XCTAssertEqual(encode { w in w.bitStringWrapping { w in w.sequence { $0.integer(1); $0.integer(2) } } },
                       hex("03 09 00 30 06 02 01 01 02 01 02"))
        // Growing to long form: 1 + (3 + 200) = 204 = 0xCC content octets.
        let big = [UInt8](repeating: 0x44, count: 200)
        XCTAssertEqual(encode { w in w.bitStringWrapping { $0.octetString(big) } },
                       hex("03 81 CC 00 04 81 C8") + big)
    }

    func testOctetString() {
        XCTAssertEqual(encode { $0.octetString([0x01, 0x02]) }, hex("04 02 01 02"))
        XCTAssertEqual(encode { $0.octetString([UInt8]()) }, hex("04 00"))
        XCTAssertEqual(encode { w in w.octetStringWrapping { $0.boolean(true) } }, hex("04 03 01 01 FF"))
        // basicConstraints extension value: OCTET STRING { SEQUENCE { BOOLEAN TRUE } }
        XCTAssertEqual(encode { w in w.octetStringWrapping { $0.sequence { $0.boolean(true) } } },
                       hex("04 05 30 03 01 01 FF"))
    }

    // MARK: strings (X.690 8.23)

    func testStrings() {
        XCTAssertEqual(encode { $0.utf8String("h\u{E9}llo") }, hex("0C 06 68 C3 A9 6C 6C 6F"))
        XCTAssertEqual(encode { $0.utf8String("\u{1F600}") }, hex("0C 04 F0 9F 98 80"))
        XCTAssertEqual(encode { $0.utf8String("") }, hex("0C 00"))
        XCTAssertEqual(encode { $0.printableString("Test CA") }, hex("13 07 54 65 73 74 20 43 41"))
        XCTAssertEqual(encode { $0.ia5String("a@b.c") }, hex("16 05 61 40 62 2E 63"))
        // A Substring goes through the same path.
        let text = "xhix"
        XCTAssertEqual(encode { $0.utf8String(text.dropFirst().dropLast()) }, hex("0C 02 68 69"))
        // Long form for a 200-character string.
        let long = String(repeating: "A", count: 200)
        XCTAssertEqual(encode { $0.printableString(long) },
                       hex("13 81 C8") + [UInt8](repeating: 0x41, count: 200))
    }

    // MARK: tagging (X.690 8.14)

    func testExplicitTags() {
        // Certificate version v3: [0] EXPLICIT INTEGER 2
        XCTAssertEqual(encode { w in w.explicit(0) { $0.integer(2) } }, hex("A0 03 02 01 02"))
        XCTAssertEqual(encode { w in w.explicit(3) { $0.sequence { _ in } } }, hex("A3 02 30 00"))
        let big = [UInt8](repeating: 0x01, count: 130)
        XCTAssertEqual(encode { w in w.explicit(1) { $0.octetString(big) } },
                       hex("A1 81 85 04 81 82") + big)
    }

    func testImplicitTags() {
        // GeneralName dNSName: [2] IMPLICIT IA5String
        XCTAssertEqual(encode { $0.implicitPrimitive(2, text: "example.com") },
                       hex("82 0B 65 78 61 6D 70 6C 65 2E 63 6F 6D"))
        // GeneralName iPAddress: [7] IMPLICIT OCTET STRING
        XCTAssertEqual(encode { $0.implicitPrimitive(7, content: [127, 0, 0, 1]) }, hex("87 04 7F 00 00 01"))
        // [0] IMPLICIT SEQUENCE: constructed context tag around the content only.
        XCTAssertEqual(encode { w in w.implicitConstructed(0) { $0.utf8String("a") } }, hex("A0 03 0C 01 61"))
        XCTAssertEqual(encode { w in w.implicitConstructed(4) { _ in } }, hex("A4 00"))
    }

    func testContextTagBits() {
        XCTAssertEqual(DERTag.context(0, constructed: false).rawValue, 0x80)
        XCTAssertEqual(DERTag.context(0, constructed: true).rawValue, 0xA0)
        XCTAssertEqual(DERTag.context(2, constructed: false).rawValue, 0x82)
        XCTAssertEqual(DERTag.context(30, constructed: true).rawValue, 0xBE)
        let tag = DERTag.context(3, constructed: true)
        XCTAssertTrue(tag.isConstructed)
        XCTAssertEqual(tag.tagClass, 2)
        XCTAssertEqual(tag.number, 3)
        XCTAssertFalse(DERTag.integer.isConstructed)
        XCTAssertTrue(DERTag.sequence.isConstructed)
        XCTAssertEqual(DERTag.sequence.tagClass, 0)
        XCTAssertEqual(DERTag.sequence.number, 16)
        XCTAssertEqual(DERTag.set.number, 17)
    }

    func testTagDescriptions() {
        XCTAssertEqual(DERTag.sequence.description, "SEQUENCE")
        XCTAssertEqual(DERTag.integer.description, "INTEGER")
        XCTAssertEqual(DERTag.context(2, constructed: false).description, "[context 2]")
        XCTAssertEqual(DERTag.context(0, constructed: true).description, "[context 0 constructed]")
        XCTAssertEqual(DERTag(rawValue: 0x41).description, "[application 1]")
    }

    // MARK: raw appends, accessors, reuse

    func testAppendContentAfterWriteHeader() {
        let bytes = encode { w in
            w.writeHeader(.octetString, contentLength: 3)
            w.appendContent(0x01)
            w.appendContent([0x02, 0x03])
        }
        XCTAssertEqual(bytes, hex("04 03 01 02 03"))
        // A UTCTime assembled by hand from its digits.
        let time = encode { w in
            w.writeHeader(.utcTime, contentLength: 13)
            w.appendDecimal(49, width: 2)
            w.appendDecimal(12, width: 2)
            w.appendDecimal(31, width: 2)
            w.appendDecimal(23, width: 2)
            w.appendDecimal(5, width: 2)
            w.appendDecimal(0, width: 2)
            w.appendContent(0x5A)
        }
        XCTAssertEqual(time, hex("17 0D") + ascii("491231230500Z"))
    }

    func testAppendDecimal() {
        let vectors: [(Int, Int, String)] = [
            (0, 0, "0"), (0, 2, "00"), (5, 0, "5"), (7, 2, "07"), (9, 1, "9"), (10, 0, "10"),
            (100, 0, "100"), (1_000_000, 0, "1000000"), (2024, 4, "2024"), (476, 4, "0476"),
            (12345, 2, "12345"), (Int.max, 0, "9223372036854775807"),
        ]
        for (value, width, text) in vectors {
            XCTAssertEqual(encode { $0.appendDecimal(value, width: width) }, ascii(text), "\(value) width \(width)")
        }
        XCTAssertEqual(encode { $0.appendDecimal(42) }, ascii("42"))
    }

    func testDecimalDigits() {
        let vectors: [(Int, Int)] = [(0, 1), (9, 1), (10, 2), (99, 2), (100, 3), (999_999, 6),
                                     (1_000_000, 7), (Int.max, 19)]
        for (value, digits) in vectors {
            XCTAssertEqual(DERWriter.decimalDigits(value), digits, "\(value)")
        }
    }

    func testAppendEncodedVariants() {
        let tlv = hex("02 01 05")
        var w = DERWriter()
        w.appendEncoded(tlv)
        w.appendEncoded(hex("FF 05 00 FF")[1..<3])
        tlv.withUnsafeBytes { w.appendEncoded($0) }
        XCTAssertEqual(w.bytes, hex("02 01 05 05 00 02 01 05"))
        XCTAssertEqual(w.count, 8)
        let viaPointer = w.withUnsafeBytes { Array($0) }
        XCTAssertEqual(viaPointer, w.bytes)
    }

    /// A small certificate-like structure with every writer feature; used for reuse checks.
    static func writeSample(_ w: inout DERWriter) {
        w.sequence { w in
            w.explicit(0) { $0.integer(2) }
            w.integer(unsignedBigEndian: [0x00, 0x9C, 0x01])
            w.sequence { w in
                w.oid(OID("1.2.840.113549.1.1.11"))
                w.null()
            }
            w.setOf { w in
                w.utf8String("b")
                w.utf8String("a")
            }
            w.utcTime(DERTime(year: 2024, month: 2, day: 29, hour: 12, minute: 0, second: 1))
            w.bitString([0x86], unusedBits: 1)
            w.octetString([UInt8](repeating: 0x42, count: 140))
        }
    }

    func testSampleGolden() {
        var w = DERWriter()
        Self.writeSample(&w)
        // [0] 5 + INTEGER 5 + AlgId 15 + SET 8 + UTCTime 15 + BIT STRING 4 + OCTET STRING 143 = 195 = 0xC3
        let expected = hex("30 81 C3")
            + hex("A0 03 02 01 02")
            + hex("02 03 00 9C 01")
            + hex("30 0D 06 09 2A 86 48 86 F7 0D 01 01 0B 05 00")
            + hex("31 06 0C 01 61 0C 01 62")
            + hex("17 0D") + ascii("240229120001Z")
            + hex("03 02 01 86")
            + hex("04 81 8C") + [UInt8](repeating: 0x42, count: 140)
        XCTAssertEqual(w.bytes, expected)
    }

    func testWriterReuseAfterRemoveAll() {
        var w = DERWriter(capacity: 16)
        Self.writeSample(&w)
        let first = w.bytes
        XCTAssertEqual(w.count, first.count)

        w.removeAll()
        XCTAssertEqual(w.count, 0)
        XCTAssertEqual(w.bytes, [])

        // Something different in between (bigger, long-form lengths).
        w.sequence { $0.octetString([UInt8](repeating: 7, count: 70000)) }
        XCTAssertEqual(Array(w.bytes.prefix(10)), hex("30 83 01 11 75 04 83 01 11 70"))
        XCTAssertEqual(w.count, 70010)
        w.removeAll()

        Self.writeSample(&w)
        XCTAssertEqual(w.bytes, first)

        w.removeAll()
        w.null()
        XCTAssertEqual(w.bytes, hex("05 00"))
    }

    func testBytesIsASnapshot() {
        var w = DERWriter()
        w.null()
        let snapshot = w.bytes
        w.boolean(true)
        XCTAssertEqual(snapshot, hex("05 00"))
        XCTAssertEqual(w.bytes, hex("05 00 01 01 FF"))
    }
}
