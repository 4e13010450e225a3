import XCTest
@testable import HTTP

/// HTTPCaselessText (word-at-a-time compares) against the byte-at-a-time String lookups it
/// replaces on the response path: the same answer for every field, case mix and length.
final class CaselessTextTests: XCTestCase {

    private func headers(_ fields: [String]) throws -> HTTPHeaders {
        var parser = HTTPResponseParser()
        let input = Array((["HTTP/1.1 200 OK"] + fields + ["Content-Length: 0", "", ""]).joined(separator: "\r\n").utf8)
        XCTAssertEqual(parser.feed(input), .complete(consumed: input.count))
        return parser.headers
    }

    func testMatchesAgreesWithByteCompareForEveryLengthAndCase() {
        // Lengths 0 to 25 (under, at and past one and two words), letters and non-letters, and
        // bytes one bit (0x20) away from a letter that must not match: '@' / '`', '[' / '{', '\r' / '-'.
        let alphabet: [UInt8] = Array("aZ-=;/7@`[{\r ".utf8)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33)
        }
        for length in 0...25 {
            for _ in 0..<40 {
                let text = (0..<length).map { _ in alphabet[next() % alphabet.count] }
                let literal = HTTPCaselessText(String(decoding: text, as: UTF8.self))
                XCTAssertEqual(literal.count, length)
                // The same text re-cased at random, sometimes with one byte changed.
                var other = text.map { b -> UInt8 in
                    let flipped = b ^ 0x20
                    return HTTPSyntax.lowercased(flipped) == HTTPSyntax.lowercased(b) && next() % 2 == 0 ? flipped : b
                }
                if length > 0 && next() % 3 == 0 { other[next() % length] = alphabet[next() % alphabet.count] }
                let padded = [0x41] + other + [0x42]  // not at the buffer's start or end
                padded.withUnsafeBufferPointer { b in
                    text.withUnsafeBufferPointer { t in
                        XCTAssertEqual(literal.matches(b, 1, 1 + length), HTTPSyntax.equalsIgnoringCase(b, 1, 1 + length, t),
                                       "\(text) vs \(other)")
                    }
                    XCTAssertFalse(length > 0 && literal.matches(b, 1, length), "a shorter run never matches")
                }
            }
        }
    }

    func testHeaderLookupsAgreeWithStringLookups() throws {
        let values = ["application/pkcs7-mime; smime-type=certs-only", "APPLICATION/PKCS7-MIME;SMIME-TYPE=CERTS-ONLY",
                      "application/pkcs7-mime", "application/pkcs7-mime ; smime-type=\"certs-only\"", "application/pkcs7",
                      "application/pkcs7-mimex; smime-type=certs-onl", "text/plain; x=smime-type=certs-only", ""]
        for value in values {
            for name in ["Content-Type", "content-type", "CONTENT-TYPE", "Content-Typo"] {
                let h = try headers(["Server: x", "\(name): \(value)"])
                let index = h.firstIndex(named: HTTPCaselessText("content-type"))
                XCTAssertEqual(index, h.firstIndex(named: "content-type"), "\(name): \(value)")
                XCTAssertEqual(h.contains(named: HTTPCaselessText("Content-Type")), h.contains(named: "content-type"))
                guard let index else { continue }
                for media in ["application/pkcs7-mime", "application/pkcs7", "text/plain"] {
                    XCTAssertEqual(h.mediaType(at: index, matches: HTTPCaselessText(media)), h.mediaType(at: index, matches: media),
                                   "\(value) as \(media)")
                }
                for needle in ["smime-type=certs-only", "SMIME-type", "x=", "certs-only\"", "z"] {
                    XCTAssertEqual(h.value(at: index, containsIgnoringCase: HTTPCaselessText(needle)),
                                   h.value(at: index, containsIgnoringCase: needle), "\(value) contains \(needle)")
                }
            }
        }
        // The check estbench makes on every enrollment answer, spelled out.
        let h = try headers(["Content-Type: Application/PKCS7-Mime; Smime-Type=Certs-Only"])
        let i = try XCTUnwrap(h.firstIndex(named: HTTPCaselessText("content-type")))
        XCTAssertTrue(h.mediaType(at: i, matches: HTTPCaselessText("application/pkcs7-mime")))
        XCTAssertTrue(h.value(at: i, containsIgnoringCase: HTTPCaselessText("smime-type=certs-only")))
        XCTAssertFalse(h.value(at: i, containsIgnoringCase: HTTPCaselessText("smime-type=certs-only; x")))
    }
}
