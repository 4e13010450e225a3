@_exported import TestSupport
import XCTest
@testable import DER

// Shared helpers for the DER tests. Nothing here encodes DER: golden vectors are spelled out
// by hand in the tests, and `hex` only turns such a literal into bytes.

/// Bytes from a hand-written hex literal such as "30 03 02 01 00" (spaces ignored).
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.unicodeScalars.filter { $0 != " " && $0 != "\n" })
    precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
        guard let byte = UInt8(String(digits[i]) + String(digits[i + 1]), radix: 16) else {
            preconditionFailure("bad hex literal \(text)")
        }
        out.append(byte)
        i += 2
    }
    return out
}

/// The ASCII bytes of `text` (for hand-written expected contents of string and time values).
func ascii(_ text: String) -> [UInt8] {
    precondition(text.unicodeScalars.allSatisfy { $0.isASCII })
    return Array(text.utf8)
}

/// Writes with a fresh writer and returns the bytes.
func encode(_ body: (inout DERWriter) -> Void) -> [UInt8] {
    var w = DERWriter()
    body(&w)
    return w.bytes
}

/// Asserts that `body` throws exactly `expected`.
func assertThrowsDER<T>(
    _ expected: DERError,
    file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws(DERError) -> T
) {
    do {
        let value = try body()
        XCTFail("expected \(expected), got \(value)", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

/// Asserts that `body` throws `.invalidValue` at `offset` for `type` (any reason text).
func assertInvalidValue<T>(
    offset: Int, type: DERTag,
    file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws(DERError) -> T
) {
    do {
        let value = try body()
        XCTFail("expected invalidValue(\(offset), \(type)), got \(value)", file: file, line: line)
    } catch {
        guard case .invalidValue(let o, let t, let reason) = error else {
            XCTFail("expected invalidValue, got \(error)", file: file, line: line)
            return
        }
        XCTAssertEqual(o, offset, "offset", file: file, line: line)
        XCTAssertEqual(t, type, "type", file: file, line: line)
        XCTAssertFalse(reason.isEmpty, "reason", file: file, line: line)
    }
}

/// Unwraps a typed-throws result, failing the test on error.
func must<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws(DERError) -> T) -> T? {
    do {
        return try body()
    } catch {
        XCTFail("unexpected DER error: \(error)", file: file, line: line)
        return nil
    }
}

