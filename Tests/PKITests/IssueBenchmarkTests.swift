@testable import PKI
import XCTest

final class IssueBenchmarkTests: XCTestCase {
    /// One short run: four rows in order, each ratio against the baseline it names.
    func testRowsAndRatios() throws {
        let rows = try IssueBenchmark.run(caKeyType: .p256, rounds: 1)
        XCTAssertEqual(rows.map(\.name), [IssueBenchmark.rawLimit, IssueBenchmark.issue, IssueBenchmark.opensslIssue,
                                          IssueBenchmark.speedupName])
        XCTAssertEqual(rows.map(\.baseline), [nil, IssueBenchmark.rawLimit, IssueBenchmark.rawLimit, IssueBenchmark.opensslIssue])
        XCTAssertNil(rows[0].ratio)
        XCTAssertTrue(rows.allSatisfy { $0.nsPerOp > 0 && $0.keyType == "p256" })
        XCTAssertTrue(rows.dropFirst().allSatisfy { ($0.ratio ?? 0) > 0 })
        XCTAssertEqual(rows[3].nsPerOp, rows[1].nsPerOp)
        // Issuing can't beat its own parts: verify + sign is the floor. One round of 25 ms slices on a
        // busy machine is noisy, so only a gross inversion fails here; `estbench bench issue` measures it.
        XCTAssertLessThan(try XCTUnwrap(rows[1].ratio), 3)
    }
}
