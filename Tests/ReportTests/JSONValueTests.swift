import Foundation
import XCTest
@testable import Report

/// JSONValue keeps every JSON type apart (scalars are tried first for speed: numbers must not read
/// booleans, nor booleans numbers), and HTMLReport's percent labels keep the digits that matter.
final class JSONValueTests: XCTestCase {
    func testEveryTypeIsReadAsItself() throws {
        let text = #"{"t": true, "f": false, "n": null, "u": 18446744073709551615, "i": -3, "d": 2.5, "s": "1", "a": [1, true, "x", [], {}], "o": {"k": [0]}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        guard case .object(let m) = value else { return XCTFail("not an object: \(value)") }
        XCTAssertEqual(m["t"], .bool(true))
        XCTAssertEqual(m["f"], .bool(false))
        XCTAssertEqual(m["n"], .null)
        XCTAssertEqual(m["u"], .unsigned(UInt64.max))
        XCTAssertEqual(m["i"], .signed(-3))
        XCTAssertEqual(m["d"], .double(2.5))
        XCTAssertEqual(m["s"], .string("1"))
        XCTAssertEqual(m["a"], .array([.unsigned(1), .bool(true), .string("x"), .array([]), .object([:])]))
        XCTAssertEqual(m["o"], .object(["k": .array([.unsigned(0)])]))
    }

    func testPercentTextKeepsTheDigitsThatMatter() {
        XCTAssertEqual(HTMLReport.percentText(0.5), "50")
        XCTAssertEqual(HTMLReport.percentText(0.999875), "99.9875")
        XCTAssertEqual(HTMLReport.percentText(0.999), "99.9")
        XCTAssertEqual(HTMLReport.percentText(0.00001), "0.001")
        XCTAssertEqual(HTMLReport.percentText(0), "0")
        XCTAssertEqual(HTMLReport.percentText(0.99999996), "100")
        XCTAssertEqual(HTMLReport.percentText(1), "100")
        XCTAssertEqual(HTMLReport.percentText(0.1234567), "12.3457")
    }
}
