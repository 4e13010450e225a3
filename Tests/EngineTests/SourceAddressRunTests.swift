import Engine
import Workload
import XCTest

/// `sourceAddresses`: devices bind their connections to loopback addresses of a range (device i on
/// address i mod n) and still reach the server; the profile field expands ranges and names bad ones.
final class SourceAddressRunTests: XCTestCase {
    func testDevicesConnectFromTheRangeAndEnroll() throws {
        let fixture = try EngineFixture()
        defer { fixture.stop() }
        let run = try fixture.run("""
        sourceAddresses: 127.0.0.2-127.0.0.4
        devices:
          count: 3
        lifecycle:
          - op: simpleenroll
        connection:
          newPerOperation: true
        load:
          closed:
            devices: 3
        stop:
          operations: 6
          durationSeconds: 60
        abort: off
        """)
        XCTAssertEqual(run.counters("simpleenroll")["2xx"], 6, "\(run.counters("simpleenroll"))")
    }

    func testRangesExpandAndBadOnesAreNamed() throws {
        let base = "devices: {count: 1}\nlifecycle: [{op: cacerts}]\nload: {closed: {devices: 1}}\nstop: {operations: 1}\n"
        let plan = try RunPlan.load(yaml: base + "sourceAddresses: 127.0.0.2-127.0.1.1, 10.0.0.9", name: "p")
        let addresses = try XCTUnwrap(plan.profile.sourceAddresses).addresses
        XCTAssertEqual(addresses.count, 256 + 1)
        XCTAssertEqual([addresses.first, addresses[253], addresses[254], addresses.last], ["127.0.0.2", "127.0.0.255", "127.0.1.0", "10.0.0.9"])
        XCTAssertTrue(plan.redactedJSON().contains("127.0.0.2-127.0.1.1"), "the plan keeps the range as written")
        XCTAssertThrowsError(try RunPlan.load(yaml: base + "sourceAddresses: [127.0.0.9-127.0.0.2]", name: "p")) { error in
            XCTAssertTrue("\(error)".contains("sourceAddresses: \"127.0.0.9-127.0.0.2\" is not an IPv4 range A-B with A ≤ B"), "\(error)")
        }
        XCTAssertThrowsError(try RunPlan.load(yaml: base + "sourceAddresses: 10.0.0.0-10.2.0.0", name: "p")) { error in
            XCTAssertTrue("\(error)".contains("more than 65536 addresses"), "\(error)")
        }
    }
}
