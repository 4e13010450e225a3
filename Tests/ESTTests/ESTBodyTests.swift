import EST
import PKI
import XCTest

/// EST's base64 body codec: sent at 64 columns with a final newline, received leniently.
final class ESTBodyTests: XCTestCase {
    func testEncodesAt64ColumnsWithAFinalNewline() throws {
        let der = [UInt8](repeating: 0xA5, count: 100)
        let body = ESTBody.encode(der)
        let lines = body.split(separator: 0x0A, omittingEmptySubsequences: false)
        XCTAssertEqual(lines.map(\.count), [64, 64, 8, 0], "64 columns, then the rest, then the final newline")
        XCTAssertEqual(try ESTBody.decode(body), der)
    }

    /// Trailing NULs are dropped; a NUL anywhere else is still an error; CRLF and any wrapping decode.
    func testDecodesLenientlyButNotBlindly() throws {
        XCTAssertEqual(try ESTBody.decode(Array("Zm9v\n".utf8) + [0, 0]), Array("foo".utf8))
        XCTAssertEqual(try ESTBody.decode(Array("Zm9v".utf8)[...]), Array("foo".utf8))
        XCTAssertEqual(try ESTBody.decode(Array("Zm\r\n9v\r\n".utf8)), Array("foo".utf8))
        XCTAssertThrowsError(try ESTBody.decode(Array("Zm".utf8) + [0] + Array("9v".utf8)))
        XCTAssertThrowsError(try Base64.decode(Array("Zm9v".utf8) + [0]), "plain decode stays strict")
        // Not contiguous: the generic path agrees.
        XCTAssertEqual(try ESTBody.decode(Array("Zm9v\n".utf8).lazy.map { $0 }), Array("foo".utf8))
    }

    func testCertsOnlyBodyErrorsAreNamed() {
        XCTAssertThrowsError(try CertsOnly.decoding(estBody: Array("MII*".utf8))) {
            guard case .base64(.invalidCharacter(offset: 3, byte: 0x2A))? = $0 as? CertsOnly.ParseError else { return XCTFail("\($0)") }
        }
    }
}
