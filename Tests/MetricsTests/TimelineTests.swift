import Metrics
import XCTest

final class TimelineTests: XCTestCase {
    func testOperationsAreBucketedBySecondOfCompletion() throws {
        var worker = WorkerMetrics(runStartNs: StampsFixture.runStartNs, operations: ["simpleenroll", "cacerts"])
        let enroll = OperationID(index: 0)
        // Second 0: 100 completions of 1_000 us each, plus 2 errors.
        for index in 0 ..< 100 {
            worker.record(enroll, stamps: StampsFixture.reused(atUs: UInt64(index) * 1_000, latencyUs: 1_000), outcome: .success2xx)
        }
        worker.record(enroll, stamps: StampsFixture.reused(atUs: 500_000, latencyUs: 100), outcome: .serverError5xx)
        worker.record(enroll, stamps: StampsFixture.reused(atUs: 600_000, latencyUs: 100), outcome: .timeout)
        // Second 2 (second 1 empty): 10 completions, 9 at 2_000 us and one at 50_000 us.
        for index in 0 ..< 9 {
            worker.record(enroll, stamps: StampsFixture.reused(atUs: 2_000_000 + UInt64(index) * 10_000, latencyUs: 2_000), outcome: .success2xx)
        }
        worker.record(enroll, stamps: StampsFixture.reused(atUs: 2_500_000, latencyUs: 50_000), outcome: .success2xx)
        // An operation ending just after the boundary belongs to the next second.
        worker.record(OperationID(index: 1), stamps: StampsFixture.reused(atUs: 999_900, latencyUs: 200), outcome: .success2xx)
        worker.close()

        let rows = try worker.timeline.rows()
        XCTAssertEqual(rows.count, 6)
        XCTAssertEqual(rows.map(\.second), [0, 0, 1, 1, 2, 2])
        let enrollRows = rows.filter { $0.operation == "simpleenroll" }
        XCTAssertEqual(enrollRows.map(\.completions), [100, 0, 10])
        XCTAssertEqual(enrollRows.map(\.errors), [2, 0, 0])
        XCTAssertEqual(enrollRows[0].p50Us, 1_000)
        XCTAssertEqual(enrollRows[1].p99Us, 0)
        XCTAssertEqual(enrollRows[2].p50Us, 2_000)
        XCTAssertEqual(Double(enrollRows[2].p99Us), 50_000, accuracy: 50)
        let cacertsRows = rows.filter { $0.operation == "cacerts" }
        XCTAssertEqual(cacertsRows.map(\.completions), [0, 1, 0])
    }

    func testIntervalHistogramIsResetEachSecond() throws {
        var timeline = Timeline(runStartNs: 0, operations: ["cacerts"])
        timeline.record(operation: 0, endNs: 100, latencyUs: 9_000, isError: false)
        timeline.record(operation: 0, endNs: 1_000_000_100, latencyUs: 10, isError: false)
        timeline.close()
        let rows = try timeline.rows()
        XCTAssertEqual(rows.map(\.p99Us), [9_000, 10])
        XCTAssertEqual(timeline.seconds[0].map { $0.latency.totalCount }, [1, 1])
    }

    func testCsvHasHeaderAndOneLinePerRow() throws {
        var timeline = Timeline(runStartNs: 0, operations: ["cacerts"])
        timeline.record(operation: 0, endNs: 1_500_000_000, latencyUs: 250, isError: false)
        timeline.close()
        XCTAssertEqual(try timeline.csv(), """
        second,operation,completions,errors,p50_us,p99_us
        0,cacerts,0,0,0,0
        1,cacerts,1,0,250,250

        """)
    }

    func testEmptyTimelineHasNoRows() throws {
        var timeline = Timeline(runStartNs: 0, operations: ["cacerts"])
        timeline.close()
        XCTAssertEqual(try timeline.rows(), [])
    }

    func testOutOfOrderEndTimesLandInTheirOwnSecond() throws {
        var inOrder = Timeline(runStartNs: 0, operations: ["cacerts"])
        var shuffled = Timeline(runStartNs: 0, operations: ["cacerts"])
        let events: [(UInt64, UInt64, Bool)] = [
            (100, 10, false), (1_200_000_000, 20, false), (3_100_000_000, 30, true), (500_000_000, 40, false),
            (2_000_000_000, 50, false), (1_900_000_000, 60, true),
        ]
        for (endNs, latencyUs, isError) in events.sorted(by: { $0.0 < $1.0 }) {
            inOrder.record(operation: 0, endNs: endNs, latencyUs: latencyUs, isError: isError)
        }
        for (endNs, latencyUs, isError) in events {
            shuffled.record(operation: 0, endNs: endNs, latencyUs: latencyUs, isError: isError)
        }
        inOrder.close()
        shuffled.close()
        XCTAssertEqual(try shuffled.rows(), try inOrder.rows())
        XCTAssertEqual(try inOrder.rows().map(\.completions), [2, 1, 1, 0])
        XCTAssertEqual(try inOrder.rows().map(\.errors), [0, 1, 0, 1])
    }
}
