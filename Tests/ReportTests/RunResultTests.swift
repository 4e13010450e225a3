import Foundation
import Metrics
import Report
import Workload
import XCTest

/// result.json: every field written and read back, the plan embedded as an object with no secret.
final class RunResultTests: XCTestCase {
    func testResultJSONReadsBackWithEveryField() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        let metrics = ReportFixture.metrics()
        let result = try ReportFixture.result(interrupted: true)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: result.profileName)
        try folder.write(result, metrics: metrics)

        let data = try Data(contentsOf: folder.url.appendingPathComponent("result.json"))
        let read = try JSONDecoder().decode(RunResult.self, from: data)
        XCTAssertEqual(read, result)
        XCTAssertEqual(read.schemaVersion, 1)
        XCTAssertEqual(read.estbenchVersion, "0.1.0-test")
        XCTAssertEqual(read.startTime, "2026-11-30T14:32:42Z")
        XCTAssertEqual(read.durationNs, 3_000_000_000)
        XCTAssertTrue(read.interrupted)
        XCTAssertEqual(read.environment, ReportFixture.environment)
        XCTAssertEqual(read.tls.helloRetryRequests, 2)
        XCTAssertEqual(read.tls.groups["X25519"], 28)
        XCTAssertEqual(read.warnings, ["worker 1 saturated for 2 s"])
        XCTAssertEqual(read.profileName, "quick start")

        XCTAssertEqual(read.metrics.operations.map(\.name), ["simpleenroll", "cacerts"])
        let enroll = read.metrics.operations[0]
        XCTAssertEqual(enroll.count, 30)
        XCTAssertEqual(enroll.counters, ["2xx": 29, "401": 1])
        XCTAssertEqual(enroll.latency["total"]?.p99Us, 1_850)
        XCTAssertEqual(enroll.latency["tls"]?.p50Us, 1_500)
        XCTAssertEqual(read.metrics.operations[1].counters, ["2xx": 18, "timeout": 2])

        // The histograms are merge-ready: they rebuild exactly what was recorded.
        let rebuilt = try read.metrics.operationMetrics()
        for (index, operation) in rebuilt.enumerated() {
            for phase in Phase.allCases {
                XCTAssertEqual(operation.histogram(phase), metrics.operations[index].histogram(phase), "\(operation.name) \(phase)")
            }
            XCTAssertEqual(operation.totalUncorrected, metrics.operations[index].totalUncorrected)
            XCTAssertEqual(operation.outcomes, metrics.operations[index].outcomes)
        }

        // Pretty, sorted, and the plan is an object, not a string.
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("{\n  \"durationNs\" : 3000000000,\n  \"environment\" : {"), text)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let plan = try XCTUnwrap(object["plan"] as? [String: Any])
        XCTAssertEqual(plan["name"] as? String, "quick start")
        XCTAssertNotNil(plan["profile"] as? [String: Any])
        XCTAssertEqual(object["interrupted"] as? Bool, true)
        XCTAssertEqual(try RunResult.decode(from: data), result)
    }

    func testPlanIsEmbeddedWithoutThePassword() throws {
        setenv("X", ReportFixture.secret, 1)
        defer { unsetenv("X") }
        let plan = try ReportFixture.plan()
        XCTAssertEqual(try plan.basicPassword(), ReportFixture.secret)
        let data = try ReportFixture.result().jsonData()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertFalse(text.contains(ReportFixture.secret))
        XCTAssertTrue(text.contains("\"password\" : \"env:X\""), text)
        XCTAssertTrue(text.contains("\"url\" : \"https://est.example\""), text)
        XCTAssertEqual(try JSONValue(parsing: plan.redactedJSON()), try ReportFixture.result().plan)
    }

    func testJSONValueKeepsIntegersExactAndTypesApart() throws {
        let text = #"{"seed": 18446744073709551615, "neg": -3, "x": 1.5, "on": true, "none": null, "list": [1, "a"]}"#
        let value = try JSONValue(parsing: text)
        XCTAssertEqual(value["seed"], .unsigned(.max))
        XCTAssertEqual(value["neg"], .signed(-3))
        XCTAssertEqual(value["x"], .double(1.5))
        XCTAssertEqual(value["on"], .bool(true))
        XCTAssertEqual(value["none"], .null)
        XCTAssertEqual(value["list"], .array([.unsigned(1), .string("a")]))
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        XCTAssertEqual(again, value)
        XCTAssertThrowsError(try JSONValue(parsing: "{nope"))
    }

    /// Every kind in every position (JSONValue tries kinds in turn: a look-alike must not win).
    func testJSONValueTellsLookAlikesApart() throws {
        let text = #"[0, false, "", "1", "true", "null", null, {}, [], [[2]], {"a": {"b": [false, -0.5]}}, -9223372036854775808, 18446744073709551616]"#
        let value = try JSONValue(parsing: text)
        XCTAssertEqual(value, .array([
            .unsigned(0), .bool(false), .string(""), .string("1"), .string("true"), .string("null"), .null,
            .object([:]), .array([]), .array([.array([.unsigned(2)])]),
            .object(["a": .object(["b": .array([.bool(false), .double(-0.5)])])]),
            .signed(.min), .double(18446744073709551616),
        ]))
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)), value)
    }

    func testCPUModelComesFromTheFirstModelNameLine() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n\nprocessor\t: 1\nmodel name\t: other\n"
        XCTAssertEqual(RunEnvironment.cpuModel(cpuinfo: cpuinfo), "Intel(R) Xeon(R) CPU @ 2.20GHz")
        XCTAssertNil(RunEnvironment.cpuModel(cpuinfo: "processor : 0\n"))
        let current = RunEnvironment.current(openSSLVersion: "o", libuvVersion: "u")
        XCTAssertGreaterThan(current.cpuCount, 0)
        XCTAssertFalse(current.cpuModel.isEmpty)
    }
}
