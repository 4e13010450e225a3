import EST
import XCTest

/// The one URL parser of probe and run targets.
final class HTTPSURLTests: XCTestCase {
    func testParsesTargets() throws {
        let a = try HTTPSURL(parsing: "https://est.example:8443/x")
        XCTAssertEqual([a.host, String(a.port), a.path], ["est.example", "8443", "/x"])
        let b = try HTTPSURL(parsing: "https://[::1]")
        XCTAssertEqual([b.host, String(b.port), b.path, b.hostField], ["::1", "443", "/", "[::1]"])
        for bad in ["http://x", "https://", "https://u@h/", "https://h:0/", "https://[::1/", "https://[::1]x/"] {
            XCTAssertThrowsError(try HTTPSURL(parsing: bad), bad)
        }
    }
}
