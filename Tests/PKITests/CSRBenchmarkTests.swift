@testable import PKI
import XCTest

final class CSRBenchmarkTests: XCTestCase {
    /// RSA's fresh-key (key generation) cases are left out unless asked: the reused-key rows, each
    /// against the baseline it names, and the speedup over OpenSSL's path.
    func testRSAWithoutKeyGenerationByDefault() throws {
        XCTAssertFalse(CSRBenchmark.freshKeysByDefault(.rsa2048))
        let rows = try CSRBenchmark.run(keyType: .rsa2048, rounds: 1)
        XCTAssertEqual(rows.map(\.name), [CSRBenchmark.rawSign, CSRBenchmark.csrReusedKey, CSRBenchmark.x509Req,
                                          CSRBenchmark.speedupName])
        XCTAssertEqual(rows.map(\.baseline), [nil, CSRBenchmark.rawSign, CSRBenchmark.rawSign, CSRBenchmark.x509Req])
        XCTAssertTrue(rows.allSatisfy { $0.nsPerOp > 0 && $0.keyType == "rsa2048" })
        XCTAssertEqual(rows[3].nsPerOp, rows[1].nsPerOp)
    }

    /// The other key types time key generation: every row, the fresh-key path against its ceiling and floor.
    func testEd25519WithFreshKeys() throws {
        XCTAssertTrue(CSRBenchmark.freshKeysByDefault(.ed25519))
        let rows = try CSRBenchmark.run(keyType: .ed25519, rounds: 1)
        XCTAssertEqual(rows.map(\.name), [CSRBenchmark.rawSign, CSRBenchmark.csrReusedKey, CSRBenchmark.keygenSign,
                                          CSRBenchmark.csrFreshKey, CSRBenchmark.x509Req, CSRBenchmark.keygenExportSign,
                                          CSRBenchmark.csrFreshKeyVsFloor, CSRBenchmark.speedupName])
        XCTAssertEqual(rows.map(\.baseline), [nil, CSRBenchmark.rawSign, CSRBenchmark.rawSign, CSRBenchmark.keygenSign,
                                              CSRBenchmark.rawSign, CSRBenchmark.rawSign, CSRBenchmark.keygenExportSign,
                                              CSRBenchmark.x509Req])
        XCTAssertTrue(rows.dropFirst().allSatisfy { ($0.ratio ?? 0) > 0 && $0.ratioQuartiles != nil })
        XCTAssertEqual(rows[6].nsPerOp, rows[3].nsPerOp)
    }
}
