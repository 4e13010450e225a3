import Workload
import XCTest

/// Poisson arrivals (`load.open.arrivals: poisson`): seeded, at the planned rate, with exponential
/// gaps (coefficient of variation ≈ 1) once the workers' shares are merged. Pure: no clock.
final class PoissonArrivalTests: XCTestCase {
    /// Every worker's intended starts (ns) up to `limitNs`, merged and sorted.
    private func starts(_ schedule: ArrivalSchedule, workers: Int, process: ArrivalProcess, seed: UInt64 = 7030, limitNs: UInt64) -> [UInt64] {
        var all: [UInt64] = []
        for share in schedule.split(workers: workers) {
            var cursor = ArrivalCursor(arrivals: share, process: process, seed: seed)
            while let ns = cursor.currentNs, ns < limitNs {
                all.append(ns)
                cursor.advance()
            }
        }
        return all.sorted()
    }

    private func gapStatistics(_ starts: [UInt64]) -> (mean: Double, cv: Double) {
        let gaps = zip(starts.dropFirst(), starts).map { Double($0 - $1) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)
        return (mean, variance.squareRoot() / mean)
    }

    func testPoissonGapsHaveTheRatesMeanAndACoefficientOfVariationOfOne() {
        let schedule = ArrivalSchedule(constantRate: 1000)
        for workers in [1, 4] {
            let all = starts(schedule, workers: workers, process: .poisson, limitNs: 20_000_000_000)
            // 20,000 expected; a Poisson count's standard deviation is ~141.
            XCTAssertEqual(Double(all.count), 20_000, accuracy: 800, "workers \(workers)")
            let (mean, cv) = gapStatistics(all)
            XCTAssertEqual(mean, 1_000_000, accuracy: 40_000, "mean gap, workers \(workers)")
            XCTAssertEqual(cv, 1, accuracy: 0.05, "coefficient of variation, workers \(workers)")
        }
    }

    func testUniformGapsAreEven() {
        let all = starts(ArrivalSchedule(constantRate: 1000), workers: 3, process: .uniform, limitNs: 2_000_000_000)
        XCTAssertEqual(all.count, 2000)
        let (mean, cv) = gapStatistics(all)
        XCTAssertEqual(mean, 1_000_000, accuracy: 1000)
        XCTAssertLessThan(cv, 0.01)
    }

    func testPoissonIsSeededAndFollowsARamp() {
        let ramp = ArrivalSchedule(.rate(ramp: OpenLoad.Ramp(from: 0, to: 2000, seconds: 10), steps: [], hold: nil))
        let a = starts(ramp, workers: 2, process: .poisson, seed: 1, limitNs: 10_000_000_000)
        let b = starts(ramp, workers: 2, process: .poisson, seed: 1, limitNs: 10_000_000_000)
        let c = starts(ramp, workers: 2, process: .poisson, seed: 2, limitNs: 10_000_000_000)
        XCTAssertEqual(a, b, "same seed, same arrivals")
        XCTAssertNotEqual(a, c)
        // Λ(10 s) = 10,000 arrivals, a quarter of them in the first half (the rate rises linearly).
        XCTAssertEqual(Double(a.count), 10_000, accuracy: 500)
        XCTAssertEqual(Double(a.filter { $0 < 5_000_000_000 }.count), 2_500, accuracy: 250)
    }

    func testProfileField() throws {
        let base = "devices: {count: 10}\nlifecycle: [{op: cacerts}]\nstop: {durationSeconds: 5}\n"
        let plan = try RunPlan.load(yaml: base + "load: {open: {rate: 50, arrivals: poisson, queueLimit: 20}}", name: "p")
        XCTAssertEqual(plan.profile.arrivals, .poisson)
        XCTAssertEqual(plan.profile.arrivalQueueLimit, 20)
        XCTAssertEqual(try RunPlan.load(yaml: base + "load: {open: {rate: 50}}", name: "p").profile.arrivals, .uniform)
        XCTAssertThrowsError(try RunPlan.load(yaml: base + "load: {open: {rate: 50, arrivals: bursty}}", name: "p")) { error in
            XCTAssertTrue("\(error)".contains("load.open.arrivals"), "\(error)")
            XCTAssertTrue("\(error)".contains("uniform, poisson"), "\(error)")
        }
        XCTAssertThrowsError(try RunPlan.load(yaml: base + "load: {open: {burst: {devices: 5}, arrivals: poisson}}", name: "p"))
    }
}
