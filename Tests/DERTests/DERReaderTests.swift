import XCTest
@testable import DER

/// DERReader: strict DER headers (each malformed form with its own error) and zero-copy views.
final class DERReaderTests: XCTestCase {

    func readOne(_ bytes: [UInt8]) throws(DERError) -> DERElement {
        var reader = DERReader(bytes)
        return try reader.read()
    }

    // MARK: well-formed headers

    func testLengthFormsParse() throws {
        let vectors: [(Int, [UInt8])] = [
            (0, [0x00]), (127, [0x7F]), (128, [0x81, 0x80]), (255, [0x81, 0xFF]),
            (256, [0x82, 0x01, 0x00]), (65535, [0x82, 0xFF, 0xFF]), (65536, [0x83, 0x01, 0x00, 0x00]),
        ]
        for (length, octets) in vectors {
            let content = [UInt8](repeating: 0x3C, count: length)
            let input = [0x04] + octets + content
            let element = try DERReader.single(input)
            XCTAssertEqual(element.tag, .octetString)
            XCTAssertEqual(element.content.count, length, "length \(length)")
            XCTAssertEqual(element.encoded.count, input.count)
            XCTAssertEqual(element.content.startIndex, 1 + octets.count)
            XCTAssertEqual(element.content.endIndex, input.count)
            XCTAssertEqual(Array(element.content), content)
        }
    }

    // MARK: malformed headers, one error case each

    func testIndefiniteLength() {
        assertThrowsDER(.indefiniteLength(offset: 0)) { () throws(DERError) in try readOne(hex("30 80 02 01 01 00 00")) }
        assertThrowsDER(.indefiniteLength(offset: 0)) { () throws(DERError) in try DERReader.single(hex("30 80")) }
        assertThrowsDER(.indefiniteLength(offset: 0)) { () throws(DERError) in try readOne(hex("24 80 04 01 AA 00 00")) }
    }

    func testNonMinimalLength() {
        // Long form for a length below 128.
        assertThrowsDER(.nonMinimalLength(offset: 0)) { () throws(DERError) in
            try readOne(hex("04 81 05 01 02 03 04 05"))
        }
        assertThrowsDER(.nonMinimalLength(offset: 0)) { () throws(DERError) in
            try readOne(hex("04 81 7F") + [UInt8](repeating: 0, count: 127))
        }
        assertThrowsDER(.nonMinimalLength(offset: 0)) { () throws(DERError) in try readOne(hex("04 81 00")) }
        // Leading zero length octet.
        assertThrowsDER(.nonMinimalLength(offset: 0)) { () throws(DERError) in
            try readOne(hex("04 82 00 80") + [UInt8](repeating: 0, count: 128))
        }
        assertThrowsDER(.nonMinimalLength(offset: 0)) { () throws(DERError) in
            try readOne(hex("04 83 00 01 00") + [UInt8](repeating: 0, count: 256))
        }
        assertThrowsDER(.nonMinimalLength(offset: 0)) { () throws(DERError) in
            try readOne(hex("04 82 00 05 01 02 03 04 05"))
        }
        // The minimal forms right at the boundaries are accepted.
        XCTAssertNotNil(must { () throws(DERError) in try readOne(hex("04 81 80") + [UInt8](repeating: 0, count: 128)) })
        XCTAssertNotNil(must { () throws(DERError) in try readOne(hex("04 82 01 00") + [UInt8](repeating: 0, count: 256)) })
    }

    func testTruncatedHeader() {
        assertThrowsDER(.truncated(offset: 0)) { () throws(DERError) in try readOne(hex("30")) }
        assertThrowsDER(.truncated(offset: 0)) { () throws(DERError) in try readOne(hex("30 81")) }
        assertThrowsDER(.truncated(offset: 0)) { () throws(DERError) in try readOne(hex("30 82 01")) }
        assertThrowsDER(.truncated(offset: 0)) { () throws(DERError) in try readOne(hex("04 84 01 00 00")) }
        // At a non-zero offset.
        var reader = DERReader(hex("05 00 30 82 01"))
        XCTAssertNotNil(must { () throws(DERError) in try reader.read() })
        assertThrowsDER(.truncated(offset: 2)) { () throws(DERError) in try reader.read() }
    }

    func testLengthBeyondBuffer() {
        assertThrowsDER(.lengthBeyondBuffer(offset: 0, length: 5, available: 3)) { () throws(DERError) in
            try readOne(hex("04 05 01 02 03"))
        }
        assertThrowsDER(.lengthBeyondBuffer(offset: 0, length: 1, available: 0)) { () throws(DERError) in
            try readOne(hex("05 01"))
        }
        assertThrowsDER(.lengthBeyondBuffer(offset: 0, length: 256, available: 10)) { () throws(DERError) in
            try readOne(hex("04 82 01 00") + [UInt8](repeating: 0, count: 10))
        }
        assertThrowsDER(.lengthBeyondBuffer(offset: 0, length: 65536, available: 65535)) { () throws(DERError) in
            try readOne(hex("04 83 01 00 00") + [UInt8](repeating: 0, count: 65535))
        }
        // Largest representable length.
        assertThrowsDER(.lengthBeyondBuffer(offset: 0, length: Int.max, available: 1)) { () throws(DERError) in
            try readOne(hex("04 88 7F FF FF FF FF FF FF FF 00"))
        }
        // Second element, after a first one.
        var reader = DERReader(hex("05 00 04 03 01"))
        XCTAssertNotNil(must { () throws(DERError) in try reader.read() })
        assertThrowsDER(.lengthBeyondBuffer(offset: 2, length: 3, available: 1)) { () throws(DERError) in
            try reader.read()
        }
    }

    func testLengthTooLarge() {
        // Nine length octets.
        assertThrowsDER(.lengthTooLarge(offset: 0)) { () throws(DERError) in
            try readOne(hex("04 89 01 00 00 00 00 00 00 00 00"))
        }
        // Eight octets but above Int.max.
        assertThrowsDER(.lengthTooLarge(offset: 0)) { () throws(DERError) in
            try readOne(hex("04 88 80 00 00 00 00 00 00 00"))
        }
        // 0xFF (reserved, 127 length octets).
        assertThrowsDER(.lengthTooLarge(offset: 0)) { () throws(DERError) in try readOne(hex("04 FF 01")) }
    }

    func testHighTagNumber() {
        assertThrowsDER(.highTagNumber(offset: 0)) { () throws(DERError) in try readOne(hex("1F 81 00 00")) }
        assertThrowsDER(.highTagNumber(offset: 0)) { () throws(DERError) in try readOne(hex("BF 20 00")) }
        assertThrowsDER(.highTagNumber(offset: 0)) { () throws(DERError) in try readOne(hex("3F 1F 00")) }
        assertThrowsDER(.highTagNumber(offset: 0)) { () throws(DERError) in try readOne(hex("5F")) }
        // Tag number 30 is still a single octet.
        XCTAssertEqual(must { () throws(DERError) in try readOne(hex("9E 00")).tag.rawValue }, 0x9E)
    }

    func testTrailingBytes() {
        assertThrowsDER(.trailingBytes(offset: 2, count: 2)) { () throws(DERError) in
            try DERReader.single(hex("05 00 AA BB"))
        }
        assertThrowsDER(.trailingBytes(offset: 3, count: 3)) { () throws(DERError) in
            try DERReader.single(hex("02 01 05 05 00 00"))
        }
        // Through the slice overload with a non-zero start: offsets are those of the array.
        let input = hex("FF FF 05 00 01")
        assertThrowsDER(.trailingBytes(offset: 4, count: 1)) { () throws(DERError) in
            try DERReader.single(input[2...])
        }
        var reader = DERReader(hex("05 00 05 00"))
        XCTAssertNotNil(must { () throws(DERError) in try reader.read() })
        assertThrowsDER(.trailingBytes(offset: 2, count: 2)) { () throws(DERError) in try reader.finish() }
    }

    func testUnexpectedTag() {
        assertThrowsDER(.unexpectedTag(offset: 0, expected: .sequence, found: .integer)) { () throws(DERError) in
            var reader = DERReader(hex("02 01 05"))
            return try reader.read(.sequence)
        }
        assertThrowsDER(.unexpectedTag(offset: 2, expected: .set, found: .sequence)) { () throws(DERError) in
            var reader = DERReader(hex("05 00 30 00"))
            _ = try reader.read(.null)
            return try reader.read(.set)
        }
    }

    func testUnexpectedEnd() {
        assertThrowsDER(.unexpectedEnd(offset: 0)) { () throws(DERError) in
            var reader = DERReader([UInt8]())
            return try reader.read()
        }
        assertThrowsDER(.unexpectedEnd(offset: 2)) { () throws(DERError) in
            var reader = DERReader(hex("05 00"))
            _ = try reader.read()
            return try reader.read()
        }
        assertThrowsDER(.unexpectedEnd(offset: 0)) { () throws(DERError) in try DERReader.single([UInt8]()) }
        // Inside a constructed element: offset is within the whole input.
        assertThrowsDER(.unexpectedEnd(offset: 5)) { () throws(DERError) in
            let outer = try DERReader.single(hex("30 03 02 01 01"))
            var children = outer.children()
            _ = try children.read(.integer)
            return try children.read()
        }
    }

    func testErrorOffsetsInsideChildren() {
        // SEQUENCE { INTEGER 1, <indefinite SEQUENCE> }: the error points at offset 5.
        assertThrowsDER(.indefiniteLength(offset: 5)) { () throws(DERError) in
            let outer = try DERReader.single(hex("30 05 02 01 01 30 80"))
            var children = outer.children()
            _ = try children.read()
            return try children.read()
        }
        // A child whose length runs past the parent's end (but not the input's).
        assertThrowsDER(.lengthBeyondBuffer(offset: 2, length: 4, available: 2)) { () throws(DERError) in
            var reader = DERReader(hex("30 04 04 04 AA BB 05 00"))
            let outer = try reader.read()
            var children = outer.children()
            return try children.read()
        }
    }

    func testErrorDescriptions() {
        XCTAssertEqual(DERError.truncated(offset: 3).description, "DER truncated in a header at offset 3")
        XCTAssertEqual(DERError.lengthBeyondBuffer(offset: 0, length: 5, available: 3).description,
                       "DER length 5 at offset 0 exceeds the 3 bytes available")
        XCTAssertEqual(DERError.unexpectedTag(offset: 1, expected: .sequence, found: .integer).description,
                       "expected SEQUENCE at offset 1, found INTEGER")
    }

    // MARK: value decoders

    func testBooleanDecoding() throws {
        XCTAssertEqual(try DERReader.single(hex("01 01 FF")).boolean(), true)
        XCTAssertEqual(try DERReader.single(hex("01 01 00")).boolean(), false)
        for bad in ["01 01 01", "01 01 7F", "01 01 FE", "01 00", "01 02 FF FF"] {
            let element = try DERReader.single(hex(bad))
            assertInvalidValue(offset: 0, type: .boolean) { () throws(DERError) in try element.boolean() }
        }
        let integer = try DERReader.single(hex("02 01 FF"))
        assertThrowsDER(.unexpectedTag(offset: 0, expected: .boolean, found: .integer)) {
            () throws(DERError) in try integer.boolean()
        }
    }

    func testNullDecoding() throws {
        XCTAssertNoThrow(try DERReader.single(hex("05 00")).null())
        let withContent = try DERReader.single(hex("05 01 00"))
        assertInvalidValue(offset: 0, type: .null) { () throws(DERError) in try withContent.null() }
    }

    func testIntegerDecoding() throws {
        let vectors: [(String, Int)] = [
            ("02 01 00", 0), ("02 01 01", 1), ("02 01 7F", 127), ("02 02 00 80", 128),
            ("02 02 00 FF", 255), ("02 02 01 00", 256), ("02 01 FF", -1), ("02 01 80", -128),
            ("02 02 FF 7F", -129), ("02 02 80 00", -32768),
            ("02 08 7F FF FF FF FF FF FF FF", Int.max), ("02 08 80 00 00 00 00 00 00 00", Int.min),
            ("02 08 01 23 45 67 89 AB CD EF", 0x0123_4567_89AB_CDEF),
        ]
        for (golden, value) in vectors {
            XCTAssertEqual(try DERReader.single(hex(golden)).integer(), value, golden)
        }
        XCTAssertEqual(try DERReader.single(hex("80 01 05")).integer(tag: .context(0, constructed: false)), 5)
    }

    func testIntegerDecodingRejectsNonMinimalAndOversized() throws {
        for bad in ["02 02 00 01", "02 02 00 7F", "02 02 FF 80", "02 02 FF FF", "02 03 00 00 80", "02 00"] {
            let element = try DERReader.single(hex(bad))
            assertInvalidValue(offset: 0, type: .integer) { () throws(DERError) in try element.integer() }
            assertInvalidValue(offset: 0, type: .integer) { () throws(DERError) in try element.integerBytes() }
        }
        // Minimal but wider than 64 bits: integerBytes accepts, integer() refuses.
        let wide = try DERReader.single(hex("02 09 00 80 00 00 00 00 00 00 00"))
        XCTAssertEqual(Array(try wide.integerBytes()), hex("00 80 00 00 00 00 00 00 00"))
        assertInvalidValue(offset: 0, type: .integer) { () throws(DERError) in try wide.integer() }
        let wideNegative = try DERReader.single(hex("02 09 FF 7F FF FF FF FF FF FF FF"))
        assertInvalidValue(offset: 0, type: .integer) { () throws(DERError) in try wideNegative.integer() }
        // Wrong tag.
        let octets = try DERReader.single(hex("04 01 05"))
        assertThrowsDER(.unexpectedTag(offset: 0, expected: .integer, found: .octetString)) {
            () throws(DERError) in try octets.integer()
        }
    }

    func testUnsignedIntegerMagnitude() throws {
        XCTAssertEqual(Array(try DERReader.single(hex("02 02 00 80")).unsignedIntegerMagnitude()), [0x80])
        XCTAssertEqual(Array(try DERReader.single(hex("02 02 01 00")).unsignedIntegerMagnitude()), [0x01, 0x00])
        XCTAssertEqual(Array(try DERReader.single(hex("02 01 00")).unsignedIntegerMagnitude()), [0x00])
        XCTAssertEqual(Array(try DERReader.single(hex("02 01 7F")).unsignedIntegerMagnitude()), [0x7F])
        let negative = try DERReader.single(hex("02 01 80"))
        assertInvalidValue(offset: 0, type: .integer) { () throws(DERError) in try negative.unsignedIntegerMagnitude() }
    }

    func testBitStringDecoding() throws {
        let x690 = try DERReader.single(hex("03 07 04 0A 3B 5F 29 1C D0")).bitString()
        XCTAssertEqual(x690.unusedBits, 4)
        XCTAssertEqual(Array(x690.bytes), hex("0A 3B 5F 29 1C D0"))
        let empty = try DERReader.single(hex("03 01 00")).bitString()
        XCTAssertEqual(empty.unusedBits, 0)
        XCTAssertTrue(empty.bytes.isEmpty)
        let seven = try DERReader.single(hex("03 02 07 80")).bitString()
        XCTAssertEqual(seven.unusedBits, 7)
        XCTAssertEqual(Array(seven.bytes), [0x80])

        for bad in [
            "03 02 08 00",  // unused bits > 7
            "03 02 FF 00",
            "03 01 01",     // unused bits with no data
            "03 02 07 81",  // unused bits not zero (DER 11.2.1)
            "03 02 01 01",
            "03 00",        // no unused-bits octet
        ] {
            let element = try DERReader.single(hex(bad))
            assertInvalidValue(offset: 0, type: .bitString) { () throws(DERError) in try element.bitString() }
        }
    }

    func testOctetStringDecoding() throws {
        let input = hex("04 03 01 02 03")
        let element = try DERReader.single(input)
        let content = try element.octetString()
        XCTAssertEqual(Array(content), [1, 2, 3])
        XCTAssertEqual(content.startIndex, 2)
        let seq = try DERReader.single(hex("30 00"))
        assertThrowsDER(.unexpectedTag(offset: 0, expected: .octetString, found: .sequence)) {
            () throws(DERError) in try seq.octetString()
        }
    }

    func testStringDecoding() throws {
        XCTAssertEqual(try DERReader.single(hex("0C 06 68 C3 A9 6C 6C 6F")).string(), "h\u{E9}llo")
        XCTAssertEqual(try DERReader.single(hex("13 07 54 65 73 74 20 43 41")).string(), "Test CA")
        XCTAssertEqual(try DERReader.single(hex("16 05 61 40 62 2E 63")).string(), "a@b.c")
        XCTAssertEqual(try DERReader.single(hex("13 00")).string(), "")

        let badUTF8 = try DERReader.single(hex("0C 02 C3 28"))
        assertInvalidValue(offset: 0, type: .utf8String) { () throws(DERError) in try badUTF8.string() }
        let badPrintable = try DERReader.single(hex("13 03 61 40 62"))  // '@' is not printable
        assertInvalidValue(offset: 0, type: .printableString) { () throws(DERError) in try badPrintable.string() }
        let badPrintableStar = try DERReader.single(hex("13 01 2A"))  // '*'
        assertInvalidValue(offset: 0, type: .printableString) { () throws(DERError) in try badPrintableStar.string() }
        let badIA5 = try DERReader.single(hex("16 02 61 80"))
        assertInvalidValue(offset: 0, type: .ia5String) { () throws(DERError) in try badIA5.string() }
        let notAString = try DERReader.single(hex("04 01 61"))
        assertThrowsDER(.unexpectedTag(offset: 0, expected: .utf8String, found: .octetString)) {
            () throws(DERError) in try notAString.string()
        }
    }

    func testStringAlphabets() {
        XCTAssertTrue(DERString.isPrintable("AZaz09 '()+,-./:=?"))
        for c in ["@", "*", "&", "_", "!", "\"", "#", ";", "<", ">", "[", "\\", "~", "\u{E9}", "\n"] {
            XCTAssertFalse(DERString.isPrintable(c), c)
        }
        XCTAssertTrue(DERString.isIA5("any ASCII @*&\u{7F}\u{0}"))
        XCTAssertFalse(DERString.isIA5("\u{E9}"))
        XCTAssertTrue(DERString.isPrintable([UInt8]()))
    }

    // MARK: navigation

    /// SEQUENCE { INTEGER 1, SEQUENCE { BOOLEAN TRUE, NULL }, OCTET STRING AB }
    static let nested = hex("30 0D 02 01 01 30 05 01 01 FF 05 00 04 01 AB")

    func testNestedIterationWithChildren() throws {
        let outer = try DERReader.single(Self.nested)
        XCTAssertEqual(outer.tag, .sequence)
        var children = outer.children()
        var tags: [DERTag] = []
        var innerTags: [DERTag] = []
        while let child = try children.next() {
            tags.append(child.tag)
            if child.tag == .sequence {
                var inner = child.children()
                while let grandchild = try inner.next() { innerTags.append(grandchild.tag) }
                XCTAssertTrue(inner.isAtEnd)
            }
        }
        XCTAssertEqual(tags, [.integer, .sequence, .octetString])
        XCTAssertEqual(innerTags, [.boolean, .null])
        XCTAssertTrue(children.isAtEnd)
        XCTAssertNil(try children.next())
        XCTAssertNoThrow(try children.finish())
    }

    func testTypedReadsAndOptionalFields() throws {
        let outer = try DERReader.single(Self.nested)
        var r = outer.children()
        XCTAssertEqual(r.peekTag, .integer)
        XCTAssertNil(try r.readIfPresent(.context(0, constructed: true)))
        XCTAssertEqual(r.peekTag, .integer, "readIfPresent must not consume on a mismatch")
        XCTAssertEqual(try r.read(.integer).integer(), 1)
        var inner = try r.read(.sequence).children()
        XCTAssertEqual(try inner.read(.boolean).boolean(), true)
        XCTAssertNotNil(try inner.readIfPresent(.null))
        XCTAssertNil(try inner.readIfPresent(.null))
        XCTAssertNil(inner.peekTag)
        let octets = try XCTUnwrap(try r.readIfPresent(.octetString))
        XCTAssertEqual(Array(try octets.octetString()), [0xAB])
        XCTAssertTrue(r.remaining.isEmpty)
    }

    func testReadIfPresentPropagatesErrors() {
        assertThrowsDER(.truncated(offset: 0)) { () throws(DERError) in
            var r = DERReader(hex("30 82 01"))
            return try r.readIfPresent(.sequence)
        }
    }

    func testSlicesReferToInputWithoutCopying() throws {
        // Garbage before and after, reader over the middle slice.
        let input = hex("EE EE EE") + Self.nested + hex("EE")
        let slice = input[3..<(3 + Self.nested.count)]
        let outer = try DERReader.single(slice)
        XCTAssertEqual(outer.offset, 3)
        XCTAssertEqual(outer.encoded.startIndex, 3)
        XCTAssertEqual(outer.encoded.endIndex, 18)
        XCTAssertEqual(outer.content.startIndex, 5)
        XCTAssertEqual(outer.content.endIndex, 18)

        var children = outer.children()
        let integer = try children.read()
        XCTAssertEqual(integer.encoded.indices, 5..<8)
        XCTAssertEqual(integer.content.indices, 7..<8)
        let inner = try children.read()
        XCTAssertEqual(inner.encoded.indices, 8..<15)
        XCTAssertEqual(inner.content.indices, 10..<15)
        let octets = try children.read()
        XCTAssertEqual(octets.offset, 15)
        XCTAssertEqual(octets.content.indices, 17..<18)
        XCTAssertEqual(input[octets.content.startIndex], 0xAB)
        XCTAssertEqual(children.remaining.startIndex, 18)

        var grand = inner.children()
        let boolean = try grand.read()
        XCTAssertEqual(boolean.content.indices, 12..<13)
        XCTAssertEqual(input[boolean.content.startIndex], 0xFF)

        // The same memory, not a copy: the slices' base addresses sit inside the input's buffer.
        input.withUnsafeBufferPointer { whole in
            let base = whole.baseAddress!
            outer.encoded.withUnsafeBufferPointer { XCTAssertEqual($0.baseAddress, base + 3) }
            outer.content.withUnsafeBufferPointer { XCTAssertEqual($0.baseAddress, base + 5) }
            inner.content.withUnsafeBufferPointer { XCTAssertEqual($0.baseAddress, base + 10) }
            boolean.content.withUnsafeBufferPointer { XCTAssertEqual($0.baseAddress, base + 12) }
        }
    }

    func testReaderOverArrayStartsAtZero() throws {
        let input = hex("02 01 2A 05 00")
        var reader = DERReader(input)
        let first = try reader.read()
        XCTAssertEqual(first.offset, 0)
        XCTAssertEqual(first.content.indices, 2..<3)
        XCTAssertEqual(reader.remaining.startIndex, 3)
        XCTAssertFalse(reader.isAtEnd)
        let second = try reader.read()
        XCTAssertEqual(second.offset, 3)
        XCTAssertTrue(second.content.isEmpty)
        XCTAssertEqual(second.content.startIndex, 5)
        XCTAssertTrue(reader.isAtEnd)
    }

    func testExplicitAndImplicitTagsParse() throws {
        // [0] EXPLICIT INTEGER 2, then [2] IMPLICIT IA5String "a".
        var reader = DERReader(hex("A0 03 02 01 02 82 01 61"))
        let explicit = try reader.read(.context(0, constructed: true))
        XCTAssertEqual(try DERReader.single(explicit.content).integer(), 2)
        let dns = try reader.read(.context(2, constructed: false))
        XCTAssertEqual(Array(dns.content), [0x61])
        XCTAssertTrue(reader.isAtEnd)
    }
}
