import XCTest
@testable import EventLoop

/// SocketAddress: parsing and printing IPv4 / IPv6 literals with ports, and what it rejects.
final class SocketAddressTests: XCTestCase {
    func testParsesIPv4AndIPv6Literals() throws {
        let v4 = try SocketAddress(parsing: "127.0.0.1:8443")
        XCTAssertEqual(v4.family, .ipv4)
        XCTAssertEqual(v4.ip, "127.0.0.1")
        XCTAssertEqual(v4.port, 8443)
        XCTAssertEqual(v4.description, "127.0.0.1:8443")

        let v6 = try SocketAddress(parsing: "[::1]:8443")
        XCTAssertEqual(v6.family, .ipv6)
        XCTAssertEqual(v6.ip, "::1")
        XCTAssertEqual(v6.port, 8443)
        XCTAssertEqual(v6.description, "[::1]:8443")

        let any = try SocketAddress(ip: "0.0.0.0", port: 0)
        XCTAssertEqual(any.description, "0.0.0.0:0")
        XCTAssertEqual(try SocketAddress(parsing: "[2001:db8::7]:65535").description, "[2001:db8::7]:65535")
    }

    func testRejectsWhatIsNotALiteralWithPort() {
        for text in ["127.0.0.1", "::1:443", "[::1]", "[::1]443", "localhost:443", "300.1.1.1:80",
                     "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:", ":80", "[]:80", ""] {
            XCTAssertThrowsError(try SocketAddress(parsing: text), text) { error in
                XCTAssertEqual((error as? UVError)?.operation, .parseAddress, text)
            }
        }
    }
}
