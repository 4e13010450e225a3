import Foundation
import XCTest
@testable import EventLoop

/// UVError: libuv codes sorted into the taxonomy cases, with operation and libuv text.
final class UVErrorTests: XCTestCase {
    func testCodesSortIntoTheCasesTheTaxonomyNeeds() {
        XCTAssertEqual(UVError(code: -ECONNREFUSED, operation: .connect), .refused(.connect))
        XCTAssertEqual(UVError(code: -ECONNRESET, operation: .read), .reset(.read, code: -ECONNRESET))
        XCTAssertEqual(UVError(code: -EPIPE, operation: .write), .reset(.write, code: -EPIPE))
        XCTAssertEqual(UVError(code: -ETIMEDOUT, operation: .connect), .timedOut(.connect))
        XCTAssertEqual(UVError(code: -EADDRINUSE, operation: .listen), .addressInUse(.listen))
        XCTAssertEqual(UVError(code: -EMFILE, operation: .accept), .other(.accept, code: -EMFILE))
    }

    func testErrorsNameTheOperationAndLibuvText() {
        let reset = UVError.reset(.read, code: -ECONNRESET)
        XCTAssertEqual(reset.operation, .read)
        XCTAssertEqual(reset.code, -ECONNRESET)
        XCTAssertEqual(reset.name, "ECONNRESET")
        XCTAssertEqual(reset.description, "read: connection reset by peer (ECONNRESET)")
        XCTAssertEqual(UVError.timedOut(.connect).description, "connect: connection timed out (ETIMEDOUT)")
        XCTAssertEqual(UVError.other(.shutdown, code: -ENOTCONN).name, "ENOTCONN")
    }

    func testCheckerPassesCountsAndThrowsNegativeCodes() {
        XCTAssertNoThrow(try uvCheck(0, .write))
        XCTAssertNoThrow(try uvCheck(42, .write))
        XCTAssertThrowsError(try uvCheck(-EPIPE, .write)) { error in
            XCTAssertEqual(error as? UVError, .reset(.write, code: -EPIPE))
        }
    }
}
