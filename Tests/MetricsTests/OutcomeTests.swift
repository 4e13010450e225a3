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

/// Failure reasons: counted per class and reason with the first example, merged exactly, capped
/// per class, and read back from JSON unchanged.
final class FailureReasonsTests: XCTestCase {
    func testCountsMergesCapsAndRoundTrips() throws {
        var a = FailureReasons()
        a.add(.connectError, FailureReason("ECONNREFUSED", example: "first"))
        a.add(.connectError, FailureReason("ECONNREFUSED", example: "second"))
        var b = FailureReasons()
        b.add(.connectError, FailureReason("ECONNRESET", example: "reset"))
        b.add(.connectError, FailureReason("ECONNREFUSED", example: "other worker"))
        a.merge(b)
        XCTAssertEqual(a.ranked("connect_error").map(\.reason), ["ECONNREFUSED", "ECONNRESET"])
        XCTAssertEqual(a.ranked("connect_error").first?.tally, CountedExample(count: 3, example: "first"))
        for i in 0..<100 { a.add(.serverError5xx, FailureReason("status \(i)", example: "")) }
        XCTAssertEqual(a.ranked("5xx").count, FailureReasons.maxReasonsPerOutcome + 1, "the rest land in other")
        XCTAssertEqual(a.ranked("5xx").first { $0.reason == "other" }?.tally.count, UInt64(100 - FailureReasons.maxReasonsPerOutcome))
        let decoded = try JSONDecoder().decode(FailureReasons.self, from: JSONEncoder().encode(a))
        XCTAssertEqual(decoded, a)
    }
}
