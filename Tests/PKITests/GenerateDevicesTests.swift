import DER
@testable import PKI
import XCTest

/// `PoolGenerator.generateDevices`: what `estbench run` makes in memory is what a pool file holds —
/// entries in index order, each CSR signed by its own fresh key, progress counted to the end.
final class GenerateDevicesTests: XCTestCase {
    func testDevicesAreInIndexOrderWithAFreshKeyEachAndFullProgress() throws {
        let template = try CSRTemplate(commonName: "device-{i}", sanDNS: [])
        let progress = ProgressCounter()
        let pool = try PoolGenerator.generateDevices(keyType: .p256, template: template, count: 37, threads: 3, progress: progress)
        XCTAssertEqual(pool.count, 37)
        XCTAssertEqual(pool.keys.count, 37)
        XCTAssertEqual(progress.value, 37)
        XCTAssertEqual(pool.header.keyType, .p256)
        XCTAssertFalse(pool.header.sharedKey)
        for (i, csr) in pool.csrs.enumerated() {
            let der = Array(csr)
            XCTAssertTrue(OpenSSLOracle.verifyCSR(der), "entry \(i)")
            XCTAssertEqual(OpenSSLOracle.subjectLine(der), "/CN=device-\(i)", "entries are in index order")
            XCTAssertEqual(Array(try CSRView(der: csr).publicKeyInfo), pool.keys[i].publicKeyInfo, "entry \(i)")
        }
        XCTAssertEqual(Set(pool.keys.map(\.publicKeyInfo)).count, 37, "a fresh key per device")
    }

    func testMoreThreadsThanDevices() throws {
        let pool = try PoolGenerator.generateDevices(keyType: .ed25519, template: try CSRTemplate(commonName: "d{i}", sanDNS: []),
                                                     count: 2, threads: 8)
        XCTAssertEqual(pool.count, 2)
    }
}
