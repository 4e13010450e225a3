@testable import PKI
import DER
import Foundation
import XCTest

final class Base64Tests: XCTestCase {
    func testRFC4648Vectors() throws {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64.encodeString(Array(plain.utf8), lineLength: 0), encoded)
            XCTAssertEqual(try Base64.decode(Array(encoded.utf8)), Array(plain.utf8))
        }
    }

    /// Sent wrapped at 64 columns with a final newline; received with any wrapping and line ending.
    func testWrappingAndLenientDecoding() throws {
        var rng = SplitMix64(seed: 3)
        for length in [0, 1, 47, 48, 49, 100, 1000] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let text = String(decoding: Base64.encode(bytes), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue(lines.dropLast().allSatisfy { $0.count <= 64 })
            if length > 0 { XCTAssertTrue(text.hasSuffix("\n")) }
            XCTAssertEqual(try Base64.decode(Array(text.utf8)), bytes)
            let plain = Base64.encodeString(bytes, lineLength: 0)
            let at76 = stride(from: 0, to: plain.count, by: 76).map { i -> String in
                let s = plain.index(plain.startIndex, offsetBy: i)
                return String(plain[s..<plain.index(s, offsetBy: min(76, plain.count - i))])
            }.joined(separator: "\r\n")
            XCTAssertEqual(try Base64.decode(Array(at76.utf8)), bytes)
            XCTAssertEqual(try Base64.decode(Array(plain.replacingOccurrences(of: "=", with: "").utf8)), bytes)
        }
    }

    func testErrors() {
        XCTAssertThrowsError(try Base64.decode(Array("Zm9v!".utf8))) { XCTAssertEqual($0 as? Base64.DecodeError, .invalidCharacter(offset: 4, byte: 0x21)) }
        XCTAssertThrowsError(try Base64.decode(Array("Zm9vY".utf8))) { XCTAssertEqual($0 as? Base64.DecodeError, .badLength(symbols: 5)) }
        XCTAssertThrowsError(try Base64.decode(Array("Zg==Zg==".utf8))) { XCTAssertEqual($0 as? Base64.DecodeError, .dataAfterPadding(offset: 4)) }
    }

    func testPEMRoundTrip() throws {
        let der: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x05]
        let pem = PEM.encode(der, label: "TEST") + PEM.encode([0x05, 0x00], label: "TEST")
        XCTAssertEqual(try PEM.decodeAll(pem, label: "TEST"), [der, [0x05, 0x00]])
    }
}

extension Base64Tests {
    /// The four-at-a-time path and the byte path agree: odd line lengths (quanta split across
    /// lines), slices, and an error anywhere in a quantum reports its exact offset.
    func testQuantumPathMatchesOddWrappingAndReportsExactOffsets() throws {
        var rng = SplitMix64(seed: 11)
        for length in [2, 3, 4, 5, 64, 191, 1024] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for lineLength in [0, 1, 3, 5, 7, 64, 76] {
                let text = Base64.encode(bytes, lineLength: lineLength)
                XCTAssertEqual(try Base64.decode(text), bytes, "length \(length), lines of \(lineLength)")
                XCTAssertEqual(try Base64.decode(text[...]), bytes)
                // A slice that does not start at index 0 (a generic caller) decodes the same.
                let padded: [UInt8] = [0x41] + text
                XCTAssertEqual(try Base64.decode(padded[1...]), bytes)
            }
            let plain = Base64.encode(bytes, lineLength: 0)
            for position in [0, 1, 2, 3, plain.count / 2, plain.count - 1] where plain[position] != 0x3D {
                var bad = plain
                bad[position] = 0x2A
                XCTAssertThrowsError(try Base64.decode(bad)) {
                    XCTAssertEqual($0 as? Base64.DecodeError, .invalidCharacter(offset: position, byte: 0x2A), "offset \(position)")
                }
            }
        }
        // The generic entry point (not contiguous) encodes and decodes like the array one.
        let bytes: [UInt8] = Array(0...200)
        XCTAssertEqual(Base64.encode(bytes.lazy.map { $0 }, lineLength: 64), Base64.encode(bytes, lineLength: 64))
    }
}

extension Base64Tests {
    /// The encoder against Foundation's: unwrapped, and wrapped at lines of whole quanta (the
    /// two-symbols-per-lookup path) and of odd lengths (a symbol at a time), around line ends.
    func testEncodingMatchesFoundationAtEveryWrapping() {
        var rng = SplitMix64(seed: 29)
        for length in [0, 1, 2, 3, 45, 46, 47, 48, 49, 50, 95, 96, 97, 1_000, 1_333] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let reference = Data(bytes).base64EncodedString()
            XCTAssertEqual(Base64.encodeString(bytes, lineLength: 0), reference, "length \(length)")
            for lineLength in [1, 3, 4, 5, 8, 64, 76] {
                var wrapped = ""
                var rest = Substring(reference)
                while !rest.isEmpty {
                    wrapped += rest.prefix(lineLength) + "\n"
                    rest = rest.dropFirst(lineLength)
                }
                XCTAssertEqual(Base64.encodeString(bytes, lineLength: lineLength), wrapped, "length \(length), lines of \(lineLength)")
            }
        }
    }
}
