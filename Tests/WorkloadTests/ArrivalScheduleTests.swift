import XCTest
@testable import Workload

/// Open-model arithmetic: intended start times for constant rates, ramps, steps and bursts, and the worker split.
final class ArrivalScheduleTests: XCTestCase {

    func testConstantRateIsKOverRate() {
        let schedule = ArrivalSchedule(constantRate: 200)
        for k in [0, 1, 2, 199, 200, 12_345] {
            XCTAssertEqual(schedule.intendedStartNs(arrival: k), UInt64(k) * 5_000_000)
        }
        XCTAssertNil(schedule.totalArrivals)
        XCTAssertNil(schedule.intendedStartNs(arrival: -1))
    }

    func testRampFollowsSquareRootLaw() {
        // 0 -> 100/s over 10 s: Λ(t) = 5 t², so arrival k starts at sqrt(k / 5) s.
        let schedule = ArrivalSchedule(.rate(ramp: .init(from: 0, to: 100, seconds: 10), steps: [], hold: nil))
        XCTAssertEqual(schedule.intendedStartNs(arrival: 0), 0)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 5), 1_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 20), 2_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 45), 3_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 500), 10_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 1), UInt64((0.2.squareRoot() * 1e9).rounded()))
        // After the ramp the final rate (100/s) holds.
        XCTAssertEqual(schedule.intendedStartNs(arrival: 600), 11_000_000_000)
    }

    func testRampWithNonZeroStart() {
        // 10 -> 30/s over 10 s: Λ(t) = 10 t + t²; Λ(5) = 75, Λ(10) = 200.
        let schedule = ArrivalSchedule(.rate(ramp: .init(from: 10, to: 30, seconds: 10), steps: [], hold: 50))
        XCTAssertEqual(schedule.intendedStartNs(arrival: 75), 5_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 200), 10_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 250), 11_000_000_000)
    }

    func testRampDownEndsTheSchedule() {
        // 100 -> 0/s over 10 s is 500 arrivals and no hold.
        let schedule = ArrivalSchedule(.rate(ramp: .init(from: 100, to: 0, seconds: 10), steps: [], hold: nil))
        XCTAssertEqual(schedule.totalArrivals, 500)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 0), 0)
        // Λ(t) = 100 t - 5 t²; Λ(2) = 180.
        XCTAssertEqual(schedule.intendedStartNs(arrival: 180), 2_000_000_000)
        XCTAssertNotNil(schedule.intendedStartNs(arrival: 499))
        XCTAssertNil(schedule.intendedStartNs(arrival: 500))
        XCTAssertEqual(schedule.arrivalsDue(atNs: 60_000_000_000), 500)
    }

    func testSteps() {
        let schedule = ArrivalSchedule(.rate(ramp: nil, steps: [.init(rate: 10, seconds: 2), .init(rate: 100, seconds: 1)], hold: nil))
        XCTAssertEqual(schedule.intendedStartNs(arrival: 0), 0)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 19), 1_900_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 20), 2_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 70), 2_500_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 120), 3_000_000_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 220), 4_000_000_000, "the last step's rate holds")
        XCTAssertEqual(schedule.arrivalsDue(atNs: 2_500_000_000), 71)
    }

    func testBurstIsAllAtTimeZero() {
        let schedule = ArrivalSchedule(.burst(devices: 10_000))
        XCTAssertEqual(schedule.totalArrivals, 10_000)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 0), 0)
        XCTAssertEqual(schedule.intendedStartNs(arrival: 9_999), 0)
        XCTAssertNil(schedule.intendedStartNs(arrival: 10_000))
    }

    func testScheduleIsMonotonic() {
        let schedule = ArrivalSchedule(.rate(ramp: .init(from: 3, to: 170, seconds: 7), steps: [.init(rate: 40, seconds: 2)], hold: 90))
        var previous: UInt64 = 0
        for k in 0..<3_000 {
            let t = try! XCTUnwrap(schedule.intendedStartNs(arrival: k))
            XCTAssertGreaterThanOrEqual(t, previous, "arrival \(k)")
            previous = t
        }
    }

    func testWorkerSplitCoversEveryArrivalOnce() {
        for schedule in [ArrivalSchedule(constantRate: 333), ArrivalSchedule(.burst(devices: 1_001)),
                         ArrivalSchedule(.rate(ramp: .init(from: 0, to: 100, seconds: 10), steps: [], hold: nil))] {
            let workers = schedule.split(workers: 3)
            var seen: [Int: Int] = [:]
            for worker in workers {
                let count = worker.count ?? 334
                for local in 0..<count {
                    let k = worker.globalArrival(local: local)
                    seen[k, default: 0] += 1
                    XCTAssertEqual(worker.intendedStartNs(local: local), schedule.intendedStartNs(arrival: k))
                }
            }
            let total = schedule.totalArrivals ?? 1_002
            XCTAssertEqual(Set(seen.keys), Set(0..<total))
            XCTAssertTrue(seen.values.allSatisfy { $0 == 1 })
        }
        XCTAssertEqual(ArrivalSchedule(.burst(devices: 1_001)).split(workers: 3).map(\.count), [334, 334, 333])
    }
}
