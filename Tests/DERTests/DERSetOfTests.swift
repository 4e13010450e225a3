import XCTest
@testable import DER

/// SET OF ordering (X.690 11.6): members sorted as octet strings, the shorter padded with
/// trailing zero octets.
final class DERSetOfTests: XCTestCase {

    func testOutOfOrderIntegersAreSorted() {
        let bytes = encode { w in
            w.setOf { w in
                w.integer(3)
                w.integer(1)
                w.integer(2)
            }
        }
        XCTAssertEqual(bytes, hex("31 09 02 01 01 02 01 02 02 01 03"))
    }

    func testReverseOrderTwoMembers() {
        XCTAssertEqual(encode { w in w.setOf { $0.utf8String("b"); $0.utf8String("a") } },
                       hex("31 06 0C 01 61 0C 01 62"))
    }

    func testAlreadySortedInputIsUnchanged() {
        let sorted = encode { w in
            w.setOf { w in
                w.boolean(false)
                w.integer(1)
                w.integer(2)
                w.octetString([0x00])
                w.null()
            }
        }
        XCTAssertEqual(sorted, hex("31 0E 01 01 00 02 01 01 02 01 02 04 01 00 05 00"))
    }

    func testMixedTypesSortByTagFirst() {
        let bytes = encode { w in
            w.setOf { w in
                w.octetString([0x01, 0x02])
                w.integer(5)
                w.boolean(true)
            }
        }
        XCTAssertEqual(bytes, hex("31 0A 01 01 FF 02 01 05 04 02 01 02"))
    }

    func testMembersOfDifferentLengths() {
        // 04 00 < 04 01 01 < 04 02 00 00: the length octet decides before the content does.
        let bytes = encode { w in
            w.setOf { w in
                w.octetString([0x01])
                w.octetString([0x00, 0x00])
                w.octetString([UInt8]())
            }
        }
        XCTAssertEqual(bytes, hex("31 09 04 00 04 01 01 04 02 00 00"))
    }

    func testLongFormMemberSortsAfterShortOne() {
        // 04 81 C8 ... (200 zero octets) vs 04 01 FF: second octet 0x81 > 0x01.
        let zeros = [UInt8](repeating: 0, count: 200)
        let bytes = encode { w in
            w.setOf { w in
                w.octetString(zeros)
                w.octetString([0xFF])
            }
        }
        // content: 3 + 203 = 206 = 0xCE
        XCTAssertEqual(bytes, hex("31 81 CE 04 01 FF 04 81 C8") + zeros)
    }

    func testManyMembersWithLongFormSet() {
        // INTEGERs 99, 98, ..., 0 written backwards come out ascending; 300 content octets.
        let bytes = encode { w in
            w.setOf { w in
                for v in stride(from: 99, through: 0, by: -1) { w.integer(v) }
            }
        }
        var expected = hex("31 82 01 2C")
        for v in 0..<100 { expected += [0x02, 0x01, UInt8(v)] }
        XCTAssertEqual(bytes, expected)
    }

    func testConstructedMembersSorted() {
        // RelativeDistinguishedName with two attributes written in the wrong order.
        let bytes = encode { w in
            w.setOf { w in
                w.sequence { w in
                    w.oid(OID("2.5.4.3"))
                    w.utf8String("b")
                }
                w.sequence { w in
                    w.oid(OID("2.5.4.3"))
                    w.utf8String("a")
                }
            }
        }
        XCTAssertEqual(bytes, hex("31 14 30 08 06 03 55 04 03 0C 01 61 30 08 06 03 55 04 03 0C 01 62"))
    }

    func testSetOfInsideSequenceAndAfterPrefix() {
        let bytes = encode { w in
            w.null()
            w.sequence { w in
                w.integer(7)
                w.setOf { w in
                    w.integer(2)
                    w.integer(1)
                }
                w.integer(0)
            }
        }
        XCTAssertEqual(bytes, hex("05 00 30 0E 02 01 07 31 06 02 01 01 02 01 02 02 01 00"))
    }

    func testNestedSetOf() {
        let bytes = encode { w in
            w.setOf { w in
                w.setOf { w in
                    w.integer(9)
                    w.integer(8)
                }
                w.setOf { w in
                    w.integer(5)
                }
            }
        }
        // inner sets: 31 06 02 01 08 02 01 09 and 31 03 02 01 05; 31 03 < 31 06.
        XCTAssertEqual(bytes, hex("31 0D 31 03 02 01 05 31 06 02 01 08 02 01 09"))
    }

    func testSetOfUnderAnotherTag() {
        // [0] IMPLICIT SET OF (CSR attributes): members sorted under the context tag.
        let bytes = encode { w in
            w.setOf(tag: .context(0, constructed: true)) { w in
                w.integer(2)
                w.integer(1)
            }
        }
        XCTAssertEqual(bytes, hex("A0 06 02 01 01 02 01 02"))
        XCTAssertEqual(encode { $0.setOf(tag: .context(0, constructed: true)) { _ in } }, hex("A0 00"))
        XCTAssertEqual(encode { w in w.setOf(tag: .set) { $0.integer(3); $0.integer(1) } },
                       hex("31 06 02 01 01 02 01 03"))
        // Long form under the context tag: 100 INTEGERs, 300 content octets.
        let long = encode { w in
            w.setOf(tag: .context(1, constructed: true)) { w in
                for v in stride(from: 99, through: 0, by: -1) { w.integer(v) }
            }
        }
        var expected = hex("A1 82 01 2C")
        for v in 0..<100 { expected += [0x02, 0x01, UInt8(v)] }
        XCTAssertEqual(long, expected)
    }

    func testEmptyAndSingleMemberSetOf() {
        XCTAssertEqual(encode { $0.setOf { _ in } }, hex("31 00"))
        XCTAssertEqual(encode { w in w.setOf { $0.integer(300) } }, hex("31 04 02 02 01 2C"))
    }

    func testDuplicateMembersKept() {
        XCTAssertEqual(encode { w in w.setOf { $0.integer(2); $0.integer(1); $0.integer(2) } },
                       hex("31 09 02 01 01 02 01 02 02 01 02"))
    }

    func testPlainSetKeepsWrittenOrder() {
        // set() is for members the caller already orders: no sorting.
        XCTAssertEqual(encode { w in w.set { $0.integer(2); $0.integer(1) } },
                       hex("31 06 02 01 02 02 01 01"))
    }

    // MARK: the comparison itself (prefix and zero-padding rule)

    func testSetOrderComparison() {
        func less(_ a: [UInt8], _ b: [UInt8]) -> Bool { DERWriter.setOrder(a[...], b[...]) }
        // Differing octet decides.
        XCTAssertTrue(less([0x01, 0xFF], [0x02]))
        XCTAssertFalse(less([0x02], [0x01, 0xFF]))
        XCTAssertTrue(less([0x04, 0x01, 0x00], [0x04, 0x01, 0x01]))
        // A proper prefix is smaller when the longer one has a non-zero octet in its tail.
        XCTAssertTrue(less([0x01, 0x02], [0x01, 0x02, 0x01]))
        XCTAssertFalse(less([0x01, 0x02, 0x01], [0x01, 0x02]))
        XCTAssertTrue(less([0x01, 0x02], [0x01, 0x02, 0x00, 0x00, 0x03]))
        // Padded with zero octets they are equal: neither is smaller.
        XCTAssertFalse(less([0x01, 0x02], [0x01, 0x02, 0x00]))
        XCTAssertFalse(less([0x01, 0x02, 0x00], [0x01, 0x02]))
        XCTAssertFalse(less([], [0x00, 0x00]))
        XCTAssertFalse(less([0x00, 0x00], []))
        XCTAssertTrue(less([], [0x00, 0x01]))
        // Equal strings.
        XCTAssertFalse(less([0x31, 0x00], [0x31, 0x00]))
        XCTAssertFalse(less([], []))
    }

    func testSetOrderOnSlicesWithOffsets() {
        let backing: [UInt8] = [0xFF, 0x02, 0x01, 0x05, 0xEE, 0x02, 0x01, 0x04]
        XCTAssertTrue(DERWriter.setOrder(backing[5..<8], backing[1..<4]))
        XCTAssertFalse(DERWriter.setOrder(backing[1..<4], backing[5..<8]))
        XCTAssertTrue(DERWriter.setOrder(backing[1..<3], backing[1..<4]))
    }
}
