import XCTest
@testable import TLS

final class TLSPlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
