import XCTest
@testable import HTTP

/// BasicCredentials: RFC 7617's example, RFC 4648's base64 test vectors, UTF-8 user-ids, and the
/// user-id and control-byte rules.
final class BasicCredentialsTests: XCTestCase {

    func testRFC7617Example() throws {
        let credentials = try BasicCredentials(user: "Aladdin", password: "open sesame")
        XCTAssertEqual(credentials.fieldValue, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        XCTAssertEqual(credentials.user, "Aladdin")
    }

    func testRFC7617UTF8Example() throws {
        // RFC 7617 §2.1: user-id "test", password "123£" in UTF-8.
        XCTAssertEqual(try BasicCredentials(user: "test", password: "123\u{A3}").fieldValue, "Basic dGVzdDoxMjPCow==")
    }

    func testRFC4648Vectors() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            XCTAssertEqual(String(decoding: BasicCredentials.base64(bytes(plain)), as: UTF8.self), encoded, plain)
        }
        XCTAssertEqual(String(decoding: BasicCredentials.base64([0xFB, 0xFF, 0xBF]), as: UTF8.self), "+/+/")
        XCTAssertEqual(String(decoding: BasicCredentials.base64([0, 0, 0, 0]), as: UTF8.self), "AAAAAA==")
    }

    func testPasswordMayContainColonUserMayNot() throws {
        XCTAssertEqual(try BasicCredentials(user: "u", password: "a:b").fieldValue, "Basic dTphOmI=")
        assertThrowsTemplate(.colonInUserID) { () throws(HTTPTemplateError) in try BasicCredentials(user: "a:b", password: "p") }
    }

    func testControlBytesRefused() {
        assertThrowsTemplate(.controlCharacter(field: "Basic user-id", offset: 1, byte: 0x0D)) { () throws(HTTPTemplateError) in
            try BasicCredentials(user: "u\r", password: "p")
        }
        assertThrowsTemplate(.controlCharacter(field: "Basic password", offset: 0, byte: 0x0A)) { () throws(HTTPTemplateError) in
            try BasicCredentials(user: "u", password: "\n")
        }
    }
}
