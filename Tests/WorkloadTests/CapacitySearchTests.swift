import Workload
import XCTest

/// The capacity search's decisions without a server: geometric growth, bisection to the resolution,
/// the first step breaking, the client as the limit, reaching `to`, and the time budget.
final class CapacitySearchTests: XCTestCase {
    /// Drives a search whose server holds every rate up to `capacity`; returns the rates tried.
    func drive(_ search: inout CapacitySearch, capacity: Double, clientLimit: Set<Double> = [], stepCost: Double? = nil) -> [Double] {
        var rates: [Double] = []
        var elapsed = 0.0
        while let rate = search.next(elapsedSeconds: elapsed) {
            rates.append(rate)
            elapsed += stepCost ?? search.plan.stepSeconds
            search.record(rate: rate, clientLimit.contains(rate) ? .clientLimit : rate <= capacity ? .held : .broke)
        }
        return rates
    }

    func testGrowsGeometricallyThenBisectsToTheResolution() {
        var search = CapacitySearch(plan: SearchPlan(from: 50, to: 5000, stepSeconds: 10, resolution: 0.05), budgetSeconds: 10_000)
        let rates = drive(&search, capacity: 730)
        XCTAssertEqual(Array(rates.prefix(6)), [50, 100, 200, 400, 800, 600], "×2 while held, then the midpoint of 400 and 800")
        XCTAssertEqual(Array(rates.dropFirst(6)), [700, 750, 725])
        guard case .found(let held, let broke)? = search.conclusion else { return XCTFail("\(search.state)") }
        XCTAssertEqual(held, 725)
        XCTAssertEqual(broke, 750)
        XCTAssertLessThanOrEqual((broke - held) / held, 0.05)
        XCTAssertEqual(search.conclusion?.maxSustainableRate, 725)
    }

    func testGrowthFactorIsThePlans() {
        var search = CapacitySearch(plan: SearchPlan(from: 10, to: 1000, resolution: 0.5, growth: 3), budgetSeconds: 10_000)
        XCTAssertEqual(drive(&search, capacity: 100), [10, 30, 90, 270, 180, 135])
        XCTAssertEqual(search.conclusion, .found(held: 90, broke: 135))
    }

    func testTheFirstStepBreaking() {
        var search = CapacitySearch(plan: SearchPlan(from: 50, to: 5000), budgetSeconds: 10_000)
        XCTAssertEqual(drive(&search, capacity: 20), [50])
        XCTAssertEqual(search.conclusion, .nothingHeld(broke: 50))
        XCTAssertNil(search.conclusion?.maxSustainableRate)
    }

    func testReachingToWithEveryStepHeld() {
        var search = CapacitySearch(plan: SearchPlan(from: 50, to: 300), budgetSeconds: 10_000)
        XCTAssertEqual(drive(&search, capacity: 1e9), [50, 100, 200, 300], "the last step is `to` itself, not past it")
        XCTAssertEqual(search.conclusion, .reachedTo(held: 300))
    }

    func testTheClientBeingTheLimitEndsTheSearch() {
        var search = CapacitySearch(plan: SearchPlan(from: 50, to: 5000), budgetSeconds: 10_000)
        XCTAssertEqual(drive(&search, capacity: 1e9, clientLimit: [400]), [50, 100, 200, 400])
        XCTAssertEqual(search.conclusion, .clientLimit(rate: 400, held: 200), "never reported as the server's capacity")
        XCTAssertEqual(search.conclusion?.maxSustainableRate, 200)
        var bisecting = CapacitySearch(plan: SearchPlan(from: 50, to: 5000), budgetSeconds: 10_000)
        XCTAssertEqual(drive(&bisecting, capacity: 500, clientLimit: [600]), [50, 100, 200, 400, 800, 600])
        XCTAssertEqual(bisecting.conclusion, .clientLimit(rate: 600, held: 400))
    }

    func testTheBudgetBoundsTheWholeSearch() {
        var search = CapacitySearch(plan: SearchPlan(from: 50, to: 5000, stepSeconds: 20), budgetSeconds: 100)
        XCTAssertEqual(drive(&search, capacity: 730, stepCost: 21), [50, 100, 200, 400], "a fifth step would end after 100 s")
        XCTAssertEqual(search.conclusion, .outOfTime(held: 400, broke: nil))
    }

    func testAnInterruptedStepEndsTheSearch() {
        var search = CapacitySearch(plan: SearchPlan(from: 50, to: 5000), budgetSeconds: 10_000)
        _ = search.next(elapsedSeconds: 0)
        search.record(rate: 50, .held)
        _ = search.next(elapsedSeconds: 20)
        search.record(rate: 100, .interrupted)
        XCTAssertEqual(search.conclusion, .interrupted(held: 50))
        XCTAssertNil(search.next(elapsedSeconds: 40))
        XCTAssertEqual(search.steps.map(\.rate), [50, 100])
    }
}
