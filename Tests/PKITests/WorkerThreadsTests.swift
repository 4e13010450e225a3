@testable import PKI
import XCTest

/// The one thread launcher: results in thread order, joinable and detached threads.
final class WorkerThreadsTests: XCTestCase {
    func testRunCollectsResultsInThreadOrder() {
        XCTAssertEqual(WorkerThreads.run(count: 5) { $0 * $0 }, [0, 1, 4, 9, 16])
    }

    func testStartedThreadsJoinAndDetachedThreadsRun() throws {
        let ran = ProgressCounter()
        let thread = try XCTUnwrap(WorkerThreads.start { ran.add(1) })
        thread.join()
        XCTAssertEqual(ran.value, 1)
        let done = expectation(description: "detached thread ran")
        let box = ExpectationBox(done)
        WorkerThreads.detach { box.expectation.fulfill() }
        wait(for: [done], timeout: 5)
    }
}

/// Carries an expectation into a detached thread (fulfill is thread-safe).
private final class ExpectationBox: @unchecked Sendable {
    let expectation: XCTestExpectation
    init(_ expectation: XCTestExpectation) { self.expectation = expectation }
}
