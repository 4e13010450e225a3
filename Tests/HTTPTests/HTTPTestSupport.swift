@_exported import TestSupport
import XCTest
@testable import HTTP


/// The bytes of `text`, exactly (write `\r\n` where the wire has CRLF).
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A message from head lines joined with CRLF, the empty line, then `body`.
func message(_ lines: [String], body: String = "") -> [UInt8] {
    bytes(lines.map { $0 + "\r\n" }.joined() + "\r\n" + body)
}

func message(_ lines: [String], bodyBytes: [UInt8]) -> [UInt8] {
    bytes(lines.map { $0 + "\r\n" }.joined() + "\r\n") + bodyBytes
}

/// One header field as text, for comparing.
struct FieldText: Equatable, CustomStringConvertible {
    var name: String
    var value: String
    init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
    var description: String { "\(name): \(value)" }
}

func fieldTexts(_ headers: HTTPHeaders) -> [FieldText] {
    headers.map { FieldText($0.nameText, $0.valueText) }
}

/// Asserts that `body` throws exactly `expected`.
func assertThrowsTemplate<T>(
    _ expected: HTTPTemplateError, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws(HTTPTemplateError) -> T
) {
    do {
        _ = try body()
        XCTFail("expected \(expected), nothing thrown", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (what a parser strips from field values).
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
