import XCTest
@testable import DER

/// UTCTime / GeneralizedTime (X.690 11.7, 11.8; RFC 5280 4.1.2.5) and DERTime calendar math.
final class DERTimeTests: XCTestCase {

    func t(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> DERTime {
        DERTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    // MARK: writing

    func testUTCTimeEncoding() {
        XCTAssertEqual(encode { $0.utcTime(t(2049, 12, 31, 23, 59, 59)) }, hex("17 0D") + ascii("491231235959Z"))
        XCTAssertEqual(encode { $0.utcTime(t(1950, 1, 1)) }, hex("17 0D") + ascii("500101000000Z"))
        XCTAssertEqual(encode { $0.utcTime(t(2000, 2, 29, 1, 2, 3)) }, hex("17 0D") + ascii("000229010203Z"))
        XCTAssertEqual(encode { $0.utcTime(t(2009, 7, 5, 9, 8, 7)) },
                       hex("17 0D 30 39 30 37 30 35 30 39 30 38 30 37 5A"))
    }

    func testGeneralizedTimeEncoding() {
        XCTAssertEqual(encode { $0.generalizedTime(t(2050, 1, 1)) }, hex("18 0F") + ascii("20500101000000Z"))
        XCTAssertEqual(encode { $0.generalizedTime(t(9999, 12, 31, 23, 59, 59)) },
                       hex("18 0F") + ascii("99991231235959Z"))
        XCTAssertEqual(encode { $0.generalizedTime(t(476, 9, 4, 0, 0, 0)) }, hex("18 0F") + ascii("04760904000000Z"))
    }

    func testX509TimeChoosesByYear() {
        // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050 (and before 1950).
        XCTAssertEqual(encode { $0.x509Time(t(2049, 12, 31, 23, 59, 59)) }, hex("17 0D") + ascii("491231235959Z"))
        XCTAssertEqual(encode { $0.x509Time(t(2050, 1, 1, 0, 0, 0)) }, hex("18 0F") + ascii("20500101000000Z"))
        XCTAssertEqual(encode { $0.x509Time(t(1950, 1, 1, 0, 0, 0)) }, hex("17 0D") + ascii("500101000000Z"))
        XCTAssertEqual(encode { $0.x509Time(t(1949, 12, 31, 23, 59, 59)) }, hex("18 0F") + ascii("19491231235959Z"))
        XCTAssertEqual(encode { $0.x509Time(t(2024, 6, 15, 12, 30, 45)) }, hex("17 0D") + ascii("240615123045Z"))
        XCTAssertEqual(encode { $0.x509Time(t(9999, 12, 31, 23, 59, 59)) }, hex("18 0F") + ascii("99991231235959Z"))
    }

    // MARK: reading

    func readTime(_ bytes: [UInt8]) throws -> DERTime {
        try DERReader.single(bytes).time()
    }

    func testUTCTimeDecodingCenturyWindow() throws {
        XCTAssertEqual(try readTime(hex("17 0D") + ascii("491231235959Z")), t(2049, 12, 31, 23, 59, 59))
        XCTAssertEqual(try readTime(hex("17 0D") + ascii("500101000000Z")), t(1950, 1, 1))
        XCTAssertEqual(try readTime(hex("17 0D") + ascii("991231235959Z")), t(1999, 12, 31, 23, 59, 59))
        XCTAssertEqual(try readTime(hex("17 0D") + ascii("000101000000Z")), t(2000, 1, 1))
        XCTAssertEqual(try readTime(hex("17 0D") + ascii("000229120000Z")), t(2000, 2, 29, 12))
    }

    func testGeneralizedTimeDecoding() throws {
        XCTAssertEqual(try readTime(hex("18 0F") + ascii("20500101000000Z")), t(2050, 1, 1))
        XCTAssertEqual(try readTime(hex("18 0F") + ascii("19491231235959Z")), t(1949, 12, 31, 23, 59, 59))
        XCTAssertEqual(try readTime(hex("18 0F") + ascii("99991231235959Z")), t(9999, 12, 31, 23, 59, 59))
        XCTAssertEqual(try readTime(hex("18 0F") + ascii("21000228000000Z")), t(2100, 2, 28))
    }

    func testInvalidDatesRejected() throws {
        let invalid: [[UInt8]] = [
            hex("17 0D") + ascii("000230000000Z"),    // Feb 30
            hex("17 0D") + ascii("010229000000Z"),    // 2001 is not a leap year
            hex("17 0D") + ascii("001301000000Z"),    // month 13
            hex("17 0D") + ascii("000001000000Z"),    // month 0
            hex("17 0D") + ascii("000100000000Z"),    // day 0
            hex("17 0D") + ascii("000431000000Z"),    // April 31
            hex("17 0D") + ascii("000101240000Z"),    // hour 24
            hex("17 0D") + ascii("000101006000Z"),    // minute 60
            hex("17 0D") + ascii("000101000060Z"),    // second 60
            hex("18 0F") + ascii("21000229000000Z"),  // 2100 is not a leap year
            hex("18 0F") + ascii("19000229000000Z"),  // nor is 1900
            hex("18 0F") + ascii("20231301000000Z"),  // month 13
            hex("18 0F") + ascii("20230230000000Z"),  // Feb 30
        ]
        for bytes in invalid {
            let element = try DERReader.single(bytes)
            assertInvalidValue(offset: 0, type: element.tag) { () throws(DERError) in try element.time() }
        }
    }

    func testMalformedTimeFormsRejected() throws {
        let invalid: [[UInt8]] = [
            hex("17 0C") + ascii("491231235959"),         // no Z
            hex("17 0D") + ascii("4912312359590"),        // 13 digits, no Z
            hex("17 0B") + ascii("4912312359Z"),          // no seconds
            hex("17 11") + ascii("491231235959+0000"),    // offset instead of Z
            hex("17 0D") + ascii("49123123595AZ"),        // non-digit
            hex("17 0D") + ascii("4912 1235959Z"),        // space
            hex("17 0D") + ascii("491231235959z"),        // lower-case z
            hex("18 0D") + ascii("491231235959Z"),        // GeneralizedTime with 2-digit year
            hex("18 11") + ascii("20231231235959.5Z"),    // fractional seconds
            hex("18 0F") + ascii("2023123123595/Z"),      // '/' just below '0'
            hex("18 0F") + ascii("2023123123595:Z"),      // ':' just above '9'
            hex("17 00"),
        ]
        for bytes in invalid {
            let element = try DERReader.single(bytes)
            assertInvalidValue(offset: 0, type: element.tag) { () throws(DERError) in try element.time() }
        }
    }

    func testTimeWrongTag() throws {
        let element = try DERReader.single(hex("04 0D") + ascii("491231235959Z"))
        assertThrowsDER(.unexpectedTag(offset: 0, expected: .utcTime, found: .octetString)) {
            () throws(DERError) in try element.time()
        }
    }

    // MARK: calendar math

    /// (Unix seconds, fields), known instants.
    static let instants: [(Int64, Int, Int, Int, Int, Int, Int, String)] = [
        (0, 1970, 1, 1, 0, 0, 0, "1970-01-01T00:00:00Z"),
        (86399, 1970, 1, 1, 23, 59, 59, "1970-01-01T23:59:59Z"),
        (86400, 1970, 1, 2, 0, 0, 0, "1970-01-02T00:00:00Z"),
        (951_782_400, 2000, 2, 29, 0, 0, 0, "2000-02-29T00:00:00Z"),
        (951_868_800, 2000, 3, 1, 0, 0, 0, "2000-03-01T00:00:00Z"),
        (946_684_799, 1999, 12, 31, 23, 59, 59, "1999-12-31T23:59:59Z"),
        (1_000_000_000, 2001, 9, 9, 1, 46, 40, "2001-09-09T01:46:40Z"),
        (2_147_483_647, 2038, 1, 19, 3, 14, 7, "2038-01-19T03:14:07Z"),
        (2_524_607_999, 2049, 12, 31, 23, 59, 59, "2049-12-31T23:59:59Z"),
        (2_524_608_000, 2050, 1, 1, 0, 0, 0, "2050-01-01T00:00:00Z"),
        (4_102_444_800, 2100, 1, 1, 0, 0, 0, "2100-01-01T00:00:00Z"),
        (4_107_456_000, 2100, 2, 28, 0, 0, 0, "2100-02-28T00:00:00Z"),
        (4_107_542_400, 2100, 3, 1, 0, 0, 0, "2100-03-01T00:00:00Z"),
        (253_402_300_799, 9999, 12, 31, 23, 59, 59, "9999-12-31T23:59:59Z"),
        (-1, 1969, 12, 31, 23, 59, 59, "1969-12-31T23:59:59Z"),
        (-86400, 1969, 12, 31, 0, 0, 0, "1969-12-31T00:00:00Z"),
        (-86401, 1969, 12, 30, 23, 59, 59, "1969-12-30T23:59:59Z"),
        (-631_152_000, 1950, 1, 1, 0, 0, 0, "1950-01-01T00:00:00Z"),
        (-2_208_988_800, 1900, 1, 1, 0, 0, 0, "1900-01-01T00:00:00Z"),
        (-62_135_596_800, 1, 1, 1, 0, 0, 0, "0001-01-01T00:00:00Z"),
    ]

    func testKnownInstantsBothWays() {
        for (secs, y, mo, d, h, mi, s, text) in Self.instants {
            let fromSeconds = DERTime(unixSeconds: secs)
            XCTAssertEqual(fromSeconds, t(y, mo, d, h, mi, s), "from \(secs)")
            XCTAssertEqual(fromSeconds.description, text, "description of \(secs)")
            XCTAssertEqual(t(y, mo, d, h, mi, s).unixSeconds, secs, "to seconds \(text)")
            XCTAssertTrue(fromSeconds.isValid, text)
        }
    }

    func testEveryDayFrom1600To2400AgainstIndependentCalendar() {
        // Walks the calendar day by day with its own month lengths and compares with the
        // Unix-seconds conversion in both directions.
        func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
        // 1600-01-01 is 135140 days before 1970-01-01.
        var days: Int64 = -135_140
        var failures = 0
        for year in 1600...2400 {
            let lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            for month in 1...12 {
                for day in 1...lengths[month - 1] {
                    let expected = t(year, month, day)
                    let noon = days * 86400 + 43200
                    let decoded = DERTime(unixSeconds: noon)
                    if decoded != t(year, month, day, 12) || expected.unixSeconds != days * 86400
                        || !expected.isValid {
                        failures += 1
                        if failures < 5 { XCTFail("mismatch at \(expected) (day \(days)): got \(decoded)") }
                    }
                    days += 1
                }
                if lengths[month - 1] < 31 {
                    XCTAssertFalse(t(year, month, lengths[month - 1] + 1).isValid)
                }
            }
        }
        XCTAssertEqual(failures, 0)
        // 2401-01-01 should be where we stopped.
        XCTAssertEqual(t(2401, 1, 1).unixSeconds, days * 86400)
    }

    func testSecondsWithinDayRoundTrip() {
        var rng = SplitMix64(seed: 0x7157_0001)
        for _ in 0..<2000 {
            let secs = Int64.random(in: -62_135_596_800...253_402_300_799, using: &rng)
            let time = DERTime(unixSeconds: secs)
            XCTAssertTrue(time.isValid, "\(secs)")
            XCTAssertEqual(time.unixSeconds, secs)
            XCTAssertEqual(Int64(time.hour * 3600 + time.minute * 60 + time.second),
                           ((secs % 86400) + 86400) % 86400)
        }
    }

    func testWriteReadRoundTrip() throws {
        var rng = SplitMix64(seed: 0x7157_0002)
        var w = DERWriter()
        for _ in 0..<1000 {
            let secs = Int64.random(in: -62_135_596_800...253_402_300_799, using: &rng)
            let time = DERTime(unixSeconds: secs)
            w.removeAll()
            w.x509Time(time)
            let element = try DERReader.single(w.bytes)
            XCTAssertEqual(element.tag, (1950..<2050).contains(time.year) ? .utcTime : .generalizedTime)
            XCTAssertEqual(try element.time(), time)
            w.removeAll()
            w.generalizedTime(time)
            XCTAssertEqual(try DERReader.single(w.bytes).time(), time)
        }
    }

    func testIsValid() {
        XCTAssertTrue(t(2000, 2, 29).isValid)
        XCTAssertTrue(t(2004, 2, 29).isValid)
        XCTAssertFalse(t(1900, 2, 29).isValid)
        XCTAssertFalse(t(2023, 2, 29).isValid)
        XCTAssertFalse(t(2024, 2, 30).isValid)
        XCTAssertFalse(t(2024, 13, 1).isValid)
        XCTAssertFalse(t(2024, 0, 1).isValid)
        XCTAssertFalse(t(2024, 1, 0).isValid)
        XCTAssertFalse(t(2024, 1, 32).isValid)
        XCTAssertFalse(t(2024, 4, 31).isValid)
        XCTAssertTrue(t(2024, 1, 31, 23, 59, 59).isValid)
        XCTAssertFalse(t(2024, 1, 1, 24, 0, 0).isValid)
        XCTAssertFalse(t(2024, 1, 1, 0, 60, 0).isValid)
        XCTAssertFalse(t(2024, 1, 1, 0, 0, 60).isValid)
        XCTAssertFalse(t(2024, 1, 1, -1, 0, 0).isValid)
        XCTAssertFalse(t(10000, 1, 1).isValid)
        XCTAssertFalse(t(-1, 1, 1).isValid)
    }

    func testComparable() {
        XCTAssertLessThan(t(2049, 12, 31, 23, 59, 59), t(2050, 1, 1))
        XCTAssertLessThan(t(1969, 12, 31, 23, 59, 59), t(1970, 1, 1))
        XCTAssertFalse(t(2000, 1, 1) < t(2000, 1, 1))
        XCTAssertEqual([t(2001, 1, 1), t(1999, 5, 5), t(2000, 3, 3, 1)].sorted(),
                       [t(1999, 5, 5), t(2000, 3, 3, 1), t(2001, 1, 1)])
    }
}
