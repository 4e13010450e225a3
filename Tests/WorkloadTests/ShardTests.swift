import XCTest
@testable import Workload

/// Shards of one plan: disjoint slices that add up to the plan exactly, and open-model arrivals that
/// interleave into one process's schedule.
final class ShardTests: XCTestCase {
    func testRangesAreDisjointAndCoverTheTotal() {
        for total in [0, 1, 2, 7, 10, 1000, 1001] {
            for n in 1...7 {
                let ranges = (0..<n).map { Shard(index: $0, count: n).range(of: total) }
                XCTAssertEqual(ranges.map(\.count).reduce(0, +), total)
                for i in 1..<n { XCTAssertEqual(ranges[i - 1].upperBound, ranges[i].lowerBound) }
                XCTAssertEqual(ranges.first?.lowerBound, 0)
                XCTAssertLessThanOrEqual(ranges.map(\.count).max()! - ranges.map(\.count).min()!, 1)
            }
        }
    }

    func testParse() throws {
        XCTAssertEqual(try Shard.parse("2/3").get(), Shard(index: 2, count: 3))
        XCTAssertEqual(Shard.parse("3/3"), .failure(.indexOutOfRange(3, count: 3)))
        XCTAssertEqual(Shard.parse("0/0"), .failure(.countOutOfRange(0)))
        XCTAssertEqual(Shard.parse("1of3"), .failure(.notIOverN("1of3")))
        XCTAssertEqual(Shard.parse("-1/3"), .failure(.indexOutOfRange(-1, count: 3)))
    }

    /// Merged, the N shards' intended starts are exactly one process's schedule (ramp and steps included).
    func testMergedArrivalsAreOneProcessSchedule() {
        let schedule = ArrivalSchedule(.rate(ramp: .init(from: 5, to: 50, seconds: 3), steps: [.init(rate: 80, seconds: 2)], hold: 60))
        let whole = (0..<600).map { schedule.intendedStartNs(arrival: $0)! }
        for (n, threads) in [(3, 1), (3, 2), (4, 3)] {
            var merged: [UInt64] = []
            for i in 0..<n {
                let workers = schedule.split(workers: threads, shard: Shard(index: i, count: n))
                for worker in workers {
                    var local = 0
                    while let ns = worker.intendedStartNs(local: local), worker.globalArrival(local: local) < whole.count {
                        merged.append(ns)
                        local += 1
                    }
                }
            }
            XCTAssertEqual(merged.sorted(), whole, "\(n) shards × \(threads) threads")
        }
    }

    func testBurstSplitsExactly() {
        let schedule = ArrivalSchedule(.burst(devices: 100))
        let counts = (0..<3).map { i in schedule.split(workers: 2, shard: Shard(index: i, count: 3)).map { $0.count! }.reduce(0, +) }
        XCTAssertEqual(counts.reduce(0, +), 100)
        XCTAssertEqual(counts, [34, 33, 33])
    }

    func testArrivalsOfFirst() {
        let n = 3
        for due in 0..<20 {
            let parts = (0..<n).map { Shard(index: $0, count: n).arrivals(ofFirst: due) }
            XCTAssertEqual(parts.reduce(0, +), due)
            for i in 0..<n { XCTAssertEqual(parts[i], (0..<due).filter { $0 % n == i }.count) }
        }
    }

    func testPlanSplitsDevicesOperationsAndKeepsItsHash() throws {
        let yaml = """
        devices:
          count: 10
        lifecycle:
          - op: simpleenroll
        load:
          closed:
            devices: 8
        stop:
          operations: 1000
        """
        let whole = try RunPlan.load(yaml: yaml, name: "t")
        var ranges: [Range<Int>] = []
        var limits: [Int] = []
        for i in 0..<3 {
            var plan = whole
            plan.shard = Shard(index: i, count: 3)
            XCTAssertEqual(plan.planHash, whole.planHash, "the shard is not part of the plan's hash")
            XCTAssertNil(plan.shardProblem)
            ranges.append(plan.deviceRange)
            limits.append(plan.operationLimit!)
        }
        XCTAssertEqual(ranges, [0..<3, 3..<6, 6..<8])
        XCTAssertEqual(limits, [334, 333, 333])
        XCTAssertEqual(whole.planHash.count, 64)
        var tooMany = whole
        tooMany.shard = Shard(index: 8, count: 9)
        XCTAssertNotNil(tooMany.shardProblem)
    }

    func testSearchInShardsIsRefused() throws {
        let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Profiles/capacity-search.yaml")
        var plan = try RunPlan.load(file: profiles.path)
        plan.shard = Shard(index: 0, count: 2)
        XCTAssertTrue(plan.shardProblem?.contains("capacity search") == true, plan.shardProblem ?? "nil")
    }
}
