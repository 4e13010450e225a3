import DER
import XCTest
@testable import HTTP

/// The byte-class helpers, against plain per-byte references: the token mask against RFC 9110's
/// tchar list, and the eight-bytes-at-a-time scanners on random inputs at every offset.
final class HTTPSyntaxTests: XCTestCase {

    func testTokenMaskMatchesTheGrammar() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for b in 0...255 {
            XCTAssertEqual(HTTPSyntax.isToken(UInt8(b)), tchar.contains(UInt8(b)), "byte \(b)")
        }
    }

    func testFieldValueBytes() {
        for b in 0...255 {
            let expected = b == 9 || (b >= 0x20 && b != 0x7F)
            XCTAssertEqual(HTTPSyntax.isFieldValueByte(UInt8(b)), expected, "byte \(b)")
        }
    }

    func testFirstLFAgainstReference() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...40, using: &rng)
            // Bytes from a small alphabet around LF, so borrows between bytes are exercised.
            let alphabet: [UInt8] = [0x0A, 0x0B, 0x09, 0x0A ^ 0x80, 0x8A, 0x00, 0x01, 0x41, 0xFF, 0x0D]
            let input = (0..<count).map { _ in Int.random(in: 0..<6, using: &rng) == 0 ? 0x0A : alphabet.randomElement(using: &rng)! }
            let start = Int.random(in: 0...count, using: &rng)
            let end = Int.random(in: start...count, using: &rng)
            let expected = (start..<end).first { input[$0] == 0x0A } ?? end
            input.withUnsafeBufferPointer { XCTAssertEqual(HTTPSyntax.firstLF($0, start, end), expected, "\(input) \(start)..<\(end)") }
        }
    }

    func testAllFieldValueBytesAgainstReference() {
        var rng = SplitMix64(seed: 43)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...40, using: &rng)
            let input = (0..<count).map { _ in
                Int.random(in: 0..<12, using: &rng) == 0
                    ? [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x80, 0xFF, 0x20].randomElement(using: &rng)!
                    : UInt8.random(in: 0x20...0x7E, using: &rng)
            }
            let start = Int.random(in: 0...count, using: &rng)
            let end = Int.random(in: start...count, using: &rng)
            let expected = (start..<end).allSatisfy { HTTPSyntax.isFieldValueByte(input[$0]) }
            input.withUnsafeBufferPointer {
                XCTAssertEqual(HTTPSyntax.allFieldValueBytes($0, start, end), expected, "\(input) \(start)..<\(end)")
            }
        }
    }

    func testHexAndDecimalDigits() {
        for b in 0...255 {
            let c = Character(Unicode.Scalar(UInt8(b)))
            XCTAssertEqual(HTTPSyntax.hexValue(UInt8(b)), c.hexDigitValue, "byte \(b)")
            XCTAssertEqual(HTTPSyntax.decimalValue(UInt8(b)), c.isASCII ? c.wholeNumberValue : nil, "byte \(b)")
        }
    }
}
