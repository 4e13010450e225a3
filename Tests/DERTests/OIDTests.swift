import XCTest
@testable import DER

/// OBJECT IDENTIFIER encoding (X.690 8.19) from dotted text, and checked decoding.
final class OIDTests: XCTestCase {

    /// (dotted text, complete TLV), written out by hand.
    static let vectors: [(String, String)] = [
        ("1.2.840.113549", "06 06 2A 86 48 86 F7 0D"),
        ("1.2.840.113549.1.1.11", "06 09 2A 86 48 86 F7 0D 01 01 0B"),
        ("1.2.840.10045.2.1", "06 07 2A 86 48 CE 3D 02 01"),
        ("1.2.840.10045.3.1.7", "06 08 2A 86 48 CE 3D 03 01 07"),
        ("1.3.6.1.4.1.311.21.20", "06 09 2B 06 01 04 01 82 37 15 14"),
        ("2.5.29.17", "06 03 55 1D 11"),
        ("2.5.4.3", "06 03 55 04 03"),
        ("2.16.840.1.101.3.4.2.1", "06 09 60 86 48 01 65 03 04 02 01"),
        // arcs around the base-128 group boundaries: 127, 128, 16383, 16384
        ("1.2.127.128.16383.16384", "06 09 2A 7F 81 00 FF 7F 81 80 00"),
        // first-arc rule: 40 * X + Y
        ("0.0", "06 01 00"),
        ("0.39", "06 01 27"),
        ("1.0", "06 01 28"),
        ("1.39", "06 01 4F"),
        ("2.0", "06 01 50"),
        ("2.47", "06 01 7F"),
        ("2.48", "06 02 81 00"),
        ("2.999.3", "06 03 88 37 03"),
        ("2.100.3", "06 03 81 34 03"),
        // UInt64.max as an arc: ten groups
        ("1.2.18446744073709551615", "06 0B 2A 81 FF FF FF FF FF FF FF FF 7F"),
    ]

    func testDottedToEncoding() throws {
        for (dotted, golden) in Self.vectors {
            let oid = try XCTUnwrap(OID(dotted: dotted), dotted)
            let tlv = hex(golden)
            XCTAssertEqual(oid.tlv, tlv, dotted)
            XCTAssertEqual(oid.content, Array(tlv.dropFirst(2)), dotted)
            XCTAssertEqual(encode { $0.oid(oid) }, tlv, "writer.oid \(dotted)")
        }
    }

    func testDescriptionRoundTrips() throws {
        for (dotted, _) in Self.vectors {
            let oid = try XCTUnwrap(OID(dotted: dotted))
            XCTAssertEqual(oid.description, dotted)
            XCTAssertEqual(OID(dotted: oid.description), oid)
        }
    }

    func testStaticStringInitializer() {
        XCTAssertEqual(OID("2.5.29.17").tlv, hex("06 03 55 1D 11"))
        XCTAssertEqual(OID("2.5.29.17"), OID(content: [0x55, 0x1D, 0x11]))
        XCTAssertNotEqual(OID("2.5.29.17"), OID("2.5.29.19"))
    }

    func testContentInitializerBuildsTLV() {
        XCTAssertEqual(OID(content: [0x2A, 0x86, 0x48]).tlv, hex("06 03 2A 86 48"))
        XCTAssertEqual(OID(content: [0x2A, 0x86, 0x48]).description, "1.2.840")
        // Long content gets a long-form length in the TLV.
        let content = [UInt8](repeating: 0x01, count: 130)
        XCTAssertEqual(OID(content: content).tlv, hex("06 81 82") + content)
        // Content that is not valid base-128 has no dotted form.
        XCTAssertEqual(OID(content: [0x2A, 0x86]).description, "<invalid OID>")
        XCTAssertEqual(OID(content: []).description, "<invalid OID>")
    }

    func testInvalidDottedTexts() {
        let invalid = [
            "", "1", "3.1", "1.40", "0.40", "1..2", "a.b", ".1.2", "1.2.", "1.2..3",
            "1.-2", "1.+2", " 1.2", "1.2 ", "1.2.x", "1,2", "1.2.18446744073709551616",
            "2.18446744073709551600", "١.٢",
        ]
        for text in invalid {
            XCTAssertNil(OID(dotted: text), "\"\(text)\" should be rejected")
        }
    }

    func testHashable() {
        let set: Set<OID> = [OID("2.5.4.3"), OID("2.5.4.3"), OID("2.5.4.6")]
        XCTAssertEqual(set.count, 2)
    }

    // MARK: checked decoding through DERElement.oid()

    func testElementOIDDecodes() throws {
        for (dotted, golden) in Self.vectors {
            let element = try DERReader.single(hex(golden))
            let oid = try element.oid()
            XCTAssertEqual(oid.description, dotted)
            XCTAssertEqual(oid, OID(dotted: dotted))
            XCTAssertTrue(element.isOID(oid))
        }
    }

    func testElementOIDLargestArcs() throws {
        // 2^63 fits in UInt64: 81 followed by eight 80 groups and 00.
        let ok = try DERReader.single(hex("06 0B 2A 81 80 80 80 80 80 80 80 80 00")).oid()
        XCTAssertEqual(ok.description, "1.2.9223372036854775808")
        // 2^64 does not.
        let tooBig = try DERReader.single(hex("06 0B 2A 82 80 80 80 80 80 80 80 80 00"))
        assertInvalidValue(offset: 0, type: .objectIdentifier) { () throws(DERError) in try tooBig.oid() }
    }

    func testElementOIDRejectsNonMinimalArc() throws {
        // 0x80 at the start of an arc is a redundant leading zero group.
        for golden in ["06 04 2A 80 86 48", "06 03 2A 80 01", "06 02 80 01", "06 03 55 80 1D"] {
            let element = try DERReader.single(hex(golden))
            assertInvalidValue(offset: 0, type: .objectIdentifier) { () throws(DERError) in try element.oid() }
        }
        // 0x80 inside an arc (not at its start) is a legitimate zero group: 16384 = 81 80 00.
        XCTAssertEqual(try DERReader.single(hex("06 04 2A 81 80 00")).oid().description, "1.2.16384")
    }

    func testElementOIDRejectsTruncatedLastArc() throws {
        for golden in ["06 02 2A 86", "06 04 2A 86 48 86", "06 01 80", "06 01 FF"] {
            let element = try DERReader.single(hex(golden))
            assertInvalidValue(offset: 0, type: .objectIdentifier) { () throws(DERError) in try element.oid() }
        }
    }

    func testElementOIDRejectsEmpty() throws {
        let element = try DERReader.single(hex("06 00"))
        assertInvalidValue(offset: 0, type: .objectIdentifier) { () throws(DERError) in try element.oid() }
    }

    func testElementOIDOffsetAndTag() throws {
        // The error offset is that of the element within the input.
        var reader = DERReader(hex("05 00 06 02 2A 86"))
        _ = try reader.read()
        let element = try reader.read()
        assertInvalidValue(offset: 2, type: .objectIdentifier) { () throws(DERError) in try element.oid() }
        // Wrong tag.
        let integer = try DERReader.single(hex("02 01 05"))
        assertThrowsDER(.unexpectedTag(offset: 0, expected: .objectIdentifier, found: .integer)) {
            () throws(DERError) in try integer.oid()
        }
    }

    func testIsOID() throws {
        let element = try DERReader.single(hex("06 03 55 1D 11"))
        XCTAssertTrue(element.isOID(OID("2.5.29.17")))
        XCTAssertFalse(element.isOID(OID("2.5.29.19")))
        XCTAssertFalse(element.isOID(OID("2.5.29.17.1")))
        // Same content octets under another tag are not an OID.
        let octets = try DERReader.single(hex("04 03 55 1D 11"))
        XCTAssertFalse(octets.isOID(OID("2.5.29.17")))
    }
}
