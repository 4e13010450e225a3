import Foundation
import Workload
import XCTest

/// Every profile shipped in Profiles/ loads and validates (secrets are only named, not needed).
final class AllProfilesTests: XCTestCase {
    func testEveryShippedProfileValidates() throws {
        let directory = ProfileFixtures.profilesDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        for required in ["quickstart.yaml", "steady-rate.yaml", "ramp.yaml", "reboot-storm.yaml", "handshake-heavy.yaml",
                         "keepalive-throughput.yaml", "rsa2048.yaml", "channel-binding.yaml", "h2load-calibration.yaml"] {
            XCTAssertTrue(files.contains(required), "\(required) missing from Profiles/")
        }
        for file in files {
            XCTAssertNoThrow(try RunPlan.load(file: directory.appendingPathComponent(file).path), file)
        }
        // Profiles/README lists every profile shipped.
        let readme = try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8)
        for file in files { XCTAssertTrue(readme.contains("`\(file)`"), "\(file) is not listed in Profiles/README.md") }
    }
}

extension AllProfilesTests {
    /// Profiles take the same pattern grammar as `pool generate` ({i:0N} included).
    func testZeroPaddedPatterns() throws {
        let plan = try RunPlan.load(yaml: "devices: {count: 10, csr: {commonName: \"d-{i:04}\", sanDNS: [\"{i}.x\"]}}\nlifecycle: [{op: cacerts}]\nload: {closed: {devices: 10}}\nstop: {operations: 5}", name: "p")
        XCTAssertEqual(plan.profile.devices.csr.commonName(device: 7), "d-0007")
        XCTAssertEqual(plan.profile.devices.csr.sanDNS(device: 7), ["7.x"])
    }
}
