import Metrics
import XCTest

final class OutcomeTests: XCTestCase {
    static let all: [Outcome] = [
        .success2xx, .accepted202, .unauthorized401, .otherClientError4xx, .serverError5xx, .connectError,
        .tlsError(alert: "handshake"), .tlsError(alert: "bad_certificate"), .timeout, .protocolDeviation,
    ] + ValidationFailureKind.allCases.map { .validationFailure($0) }

    func testKeysAreStableUniqueAndParseBack() {
        XCTAssertEqual(Outcome.success2xx.key, "2xx")
        XCTAssertEqual(Outcome.tlsError(alert: "bad_certificate").key, "tls_error:bad_certificate")
        XCTAssertEqual(Outcome.validationFailure(.keyMismatch).key, "validation_failure:key_mismatch")
        XCTAssertEqual(Set(Self.all.map(\.key)).count, Self.all.count)
        for outcome in Self.all { XCTAssertEqual(Outcome(key: outcome.key), outcome) }
        XCTAssertNil(Outcome(key: "validation_failure:nonsense"))
        XCTAssertNil(Outcome(key: "3xx"))
    }

    func testCountersCountEachOutcomeSeparately() {
        var counters = OutcomeCounters()
        for (index, outcome) in Self.all.enumerated() { counters.add(outcome, count: UInt64(index + 1)) }
        for (index, outcome) in Self.all.enumerated() { XCTAssertEqual(counters[outcome], UInt64(index + 1), outcome.key) }
        XCTAssertEqual(counters.total, UInt64(Self.all.count * (Self.all.count + 1) / 2))
        XCTAssertEqual(counters.errors, counters.total - 1 - 2)
        XCTAssertEqual(counters.byKey.count, Self.all.count)
    }
}
