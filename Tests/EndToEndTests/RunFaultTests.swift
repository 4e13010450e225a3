import Foundation
import XCTest

/// `estbench run` against `estbench serve` injecting faults into a fraction of three operations' requests:
/// each fault lands in its outcome class exactly as often as the server says it injected it, every other
/// request is a validated 2xx, delays show as latency rather than errors, and the run completes its count.
final class RunFaultTests: XCTestCase {
    /// The outcome class (result.json counter key) each fault must produce; a delay is a slow success.
    static let outcomeOf: [String: String] = [
        "503": "5xx", "500": "5xx", "401": "401", "202:1": "202", "reset": "connect_error",
        "close": "protocol_deviation", "bad-base64": "validation_failure:base64",
        "wrong-content-type": "validation_failure:media_type", "truncated-pkcs7": "validation_failure:pkcs7",
        "wrong-key": "validation_failure:key_mismatch", "delay:200": "2xx",
    ]

    /// Operation → faults at fractions below 1 (each draw picks at most one).
    static let faults: [(operation: String, faults: [(fault: String, fraction: Double)])] = [
        ("cacerts", [("503", 0.1), ("delay:200", 0.1), ("bad-base64", 0.1), ("wrong-content-type", 0.1)]),
        ("simpleenroll", [("500", 0.1), ("401", 0.1), ("202:1", 0.08), ("reset", 0.1)]),
        ("simplereenroll", [("close", 0.15), ("truncated-pkcs7", 0.15), ("wrong-key", 0.15)]),
    ]

    func testInjectedFaultsAreCountedExactlyInTheirClasses() throws {
        let requested = 400
        let faulted = try faultRun(Self.faults, seed: 7030, devices: 40, operations: requested)
        XCTAssertEqual(faulted.status, 0, faulted.output)
        let (json, served, serverOutput) = (faulted.json, faulted.served, faulted.serverOutput)

        // The run kept going after every fault: it completed the operations it was asked for.
        XCTAssertEqual(json["interrupted"] as? Bool, false)
        XCTAssertEqual(Self.faults.map { count(json, $0.operation) }.reduce(0, +), requested, faulted.output)

        var issuedExpected = 0
        for (op, configured) in Self.faults {
            let entry = try XCTUnwrap(operation(json, op), op)
            let requests = try XCTUnwrap(served[op]?["requests"] as? Int, op)
            let injected = try XCTUnwrap(served[op]?["faults"] as? [String: Int], op)
            XCTAssertEqual(Set(injected.keys), Set(configured.map(\.fault)), op)
            // Every request the server saw is one operation the run recorded, and the other way round.
            XCTAssertEqual(entry["count"] as? Int, requests, op)
            // Each fault was drawn often enough here to be checked at all (about 10+ expected of each).
            for (fault, n) in injected { XCTAssertGreaterThan(n, 0, "\(op) \(fault) never injected: \(serverOutput)") }

            // The counters are exactly the injected faults in their classes; everything else is a validated 2xx.
            var expected: [String: Int] = [:]
            var faulted = 0
            for (fault, n) in injected where Self.outcomeOf[fault] != "2xx" {
                expected[Self.outcomeOf[fault]!, default: 0] += n
                faulted += n
            }
            expected["2xx"] = requests - faulted
            XCTAssertEqual(entry["counters"] as? [String: Int], expected.filter { $0.value > 0 }, "\(op): server injected \(injected)")
            let errors = expected.filter { $0.key != "2xx" && $0.key != "202" }.values.reduce(0, +)
            XCTAssertEqual(entry["errors"] as? Int, errors, op)
            // Enrollments the server issued: all but those answered before issuance (500, 401, 202, reset).
            if op != "cacerts" {
                issuedExpected += requests - ["500", "401", "202:1", "reset"].compactMap { injected[$0] }.reduce(0, +)
            }

            // A delay is latency, not an error: the slowest cacerts took at least the delay, before its first byte.
            if let delayed = injected["delay:200"], delayed > 0 {
                let latency = try XCTUnwrap(entry["latency"] as? [String: [String: Any]])
                XCTAssertGreaterThanOrEqual(latency["total"]?["maxUs"] as? Int ?? 0, 200_000, "\(latency["total"] ?? [:])")
                XCTAssertGreaterThanOrEqual(latency["first_byte"]?["maxUs"] as? Int ?? 0, 200_000)
                XCTAssertGreaterThanOrEqual(latency["total_uncorrected"]?["maxUs"] as? Int ?? 0, 200_000)
            }
        }
        // Issued certificates that reached the client intact were validated (issued key == CSR key):
        // the server's issue count is the 2xx enrollments plus those a late fault broke on the way.
        XCTAssertEqual(faulted.events["issued"], issuedExpected, serverOutput)
        XCTAssertTrue(serverOutput.contains("simpleenroll: "), serverOutput)
        XCTAssertEqual((json["findings"] as? [String: Any])?.count, 0, "no interop findings from our own server")
    }
}
