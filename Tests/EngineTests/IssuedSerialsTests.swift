@testable import Engine
import XCTest

/// One issuer issuing a serial twice is found, within a worker and across workers, with both subjects.
final class IssuedSerialsTests: XCTestCase {
    func testDuplicatesWithinAndAcrossWorkers() {
        let issuerA: [UInt8] = [0x30, 0x01, 0x41]
        let issuerB: [UInt8] = [0x30, 0x01, 0x42]
        var first = IssuedSerials()
        XCTAssertNil(first.record(issuer: issuerA[...], serial: [1, 2][...], subject: [0x30, 0x00][...]))
        XCTAssertNil(first.record(issuer: issuerB[...], serial: [1, 2][...], subject: [0x30, 0x01][...]), "another issuer may reuse it")
        let again = first.record(issuer: issuerA[...], serial: [1, 2][...], subject: [0x30, 0x02][...])
        XCTAssertEqual(again?.first, [0x30, 0x00])
        XCTAssertEqual(again?.second, [0x30, 0x02])
        XCTAssertEqual(again?.issuer, issuerA)
        var second = IssuedSerials()
        XCTAssertNil(second.record(issuer: issuerB[...], serial: [1, 2][...], subject: [0x30, 0x03][...]))
        XCTAssertNil(second.record(issuer: issuerA[...], serial: [9][...], subject: [0x30, 0x04][...]))
        var merged = IssuedSerials()
        XCTAssertTrue(merged.merge(first).isEmpty)
        let across = merged.merge(second)
        XCTAssertEqual(across.count, 1)
        XCTAssertEqual(across.first?.issuer, issuerB)
        XCTAssertEqual(across.first?.serial, [1, 2])
        XCTAssertEqual(merged.count, 3)
        XCTAssertTrue(across.first?.deviation.example.hasPrefix("serial 0x0102 issued twice by") ?? false)
        // Serial and subject share one array: a longer serial is another serial even when the bytes run alike.
        var runs = IssuedSerials()
        XCTAssertNil(runs.record(issuer: issuerA[...], serial: [1, 2][...], subject: [0, 0][...]))
        XCTAssertNil(runs.record(issuer: issuerA[...], serial: [1, 2, 0, 0][...], subject: [][...]))
        XCTAssertEqual(runs.record(issuer: issuerA[...], serial: [1, 2, 0, 0][...], subject: [7][...])?.first, [])
        XCTAssertEqual(runs.count, 2)
    }
}
