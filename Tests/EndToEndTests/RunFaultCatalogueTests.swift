import Foundation
import XCTest

/// The faults that imitate real EST servers (EST-NOTES), against `estbench run`: each lands in its
/// outcome class exactly as often as the server says it injected it, and each deviation the client
/// accepts leniently is the interop finding it should be — as often as it was injected.
final class RunFaultCatalogueTests: XCTestCase {
    /// The outcome class (result.json counter key) each fault must produce.
    static let outcomeOf: [String: String] = [
        "trailing-nul": "2xx", "cte": "2xx", "long-lines": "2xx", "no-final-newline": "2xx", "chunked": "2xx",
        "split-write:60": "2xx", "401-no-challenge": "401", "retry-after-date": "202", "201": "2xx",
        "extra-status-header": "2xx", "no-smime-type": "2xx", "close-delimited": "2xx",
        "close-after-4xx": "4xx", "truncated-chunked": "protocol_deviation",
    ]

    /// The finding each fault must produce once per injection.
    static let findingOf: [String: String] = [
        "trailing-nul": "trailing_nul", "cte": "content_transfer_encoding", "long-lines": "long_base64_lines",
        "no-final-newline": "no_final_newline", "no-smime-type": "missing_smime_type",
    ]

    /// Operation → faults at fractions below 1 (each draw picks at most one).
    static let faults: [(operation: String, faults: [(fault: String, fraction: Double)])] = [
        ("cacerts", [("trailing-nul", 0.1), ("cte", 0.1), ("long-lines", 0.1), ("no-final-newline", 0.1), ("chunked", 0.1),
                     ("split-write:60", 0.1)]),
        ("simpleenroll", [("401-no-challenge", 0.1), ("retry-after-date", 0.08), ("201", 0.1), ("extra-status-header", 0.1),
                          ("no-smime-type", 0.1), ("close-delimited", 0.1)]),
        ("simplereenroll", [("close-after-4xx", 0.15), ("truncated-chunked", 0.15)]),
    ]

    func testRealServerFaultsAreClassifiedExactly() throws {
        let requested = 450
        let faulted = try faultRun(Self.faults, seed: 8951, devices: 30, operations: requested)
        XCTAssertEqual(faulted.status, 0, faulted.output)
        let (json, served, serverOutput) = (faulted.json, faulted.served, faulted.serverOutput)
        XCTAssertEqual(json["interrupted"] as? Bool, false)
        XCTAssertEqual(Self.faults.map { count(json, $0.operation) }.reduce(0, +), requested, faulted.output)

        let findings = (json["findings"] as? [String: [String: Any]]) ?? [:]
        var expectedFindings: [String: Int] = [:]
        var closedAfter4xx = 0
        var issuedExpected = 0
        for (op, configured) in Self.faults {
            let entry = try XCTUnwrap(operation(json, op), op)
            let requests = try XCTUnwrap(served[op]?["requests"] as? Int, op)
            let injected = try XCTUnwrap(served[op]?["faults"] as? [String: Int], "\(op): \(serverOutput)")
            XCTAssertEqual(Set(injected.keys), Set(configured.map(\.fault)), op)
            XCTAssertEqual(entry["count"] as? Int, requests, op)
            for (fault, n) in injected { XCTAssertGreaterThan(n, 0, "\(op) \(fault) never injected: \(serverOutput)") }

            var expected: [String: Int] = [:]
            var faulted = 0
            for (fault, n) in injected {
                let outcome = try XCTUnwrap(Self.outcomeOf[fault], fault)
                if let finding = Self.findingOf[fault] { expectedFindings[finding, default: 0] += n }
                if fault == "close-after-4xx" { closedAfter4xx += n }
                guard outcome != "2xx" else { continue }
                expected[outcome, default: 0] += n
                faulted += n
            }
            expected["2xx"] = requests - faulted
            XCTAssertEqual(entry["counters"] as? [String: Int], expected.filter { $0.value > 0 },
                           "\(op): server injected \(injected), reasons \(entry["reasons"] ?? "none")")
            if op != "cacerts" {
                issuedExpected += requests - ["401-no-challenge", "retry-after-date", "close-after-4xx"].compactMap { injected[$0] }.reduce(0, +)
            }
            let reasons = "\(entry["reasons"] ?? "")"
            if injected["401-no-challenge"] != nil { XCTAssertTrue(reasons.contains("WWW-Authenticate: (none)"), reasons) }
            // A split write is a stall between the first byte and the last, not before the first.
            if injected["split-write:60"] != nil {
                let latency = try XCTUnwrap(entry["latency"] as? [String: [String: Any]])
                XCTAssertGreaterThanOrEqual(latency["complete"]?["maxUs"] as? Int ?? 0, 60_000, "\(latency["complete"] ?? [:])")
            }
        }
        XCTAssertEqual(faulted.events["issued"], issuedExpected, serverOutput)

        // Each lenient deviation is its finding, once per injection; a close after a 4xx is seen
        // when the device uses or watches that connection again (not after its last operation).
        var counted = findings.mapValues { $0["count"] as? Int ?? -1 }
        let closes = counted.removeValue(forKey: "closed_after_4xx") ?? 0
        XCTAssertEqual(counted, expectedFindings, "\(findings)")
        XCTAssertTrue((1...max(1, closedAfter4xx)).contains(closes), "closed_after_4xx \(closes) of \(closedAfter4xx) injected")
    }
}
