import Foundation
import Metrics
import XCTest

/// TLS facts add up across workers exactly, like the histograms.
final class TLSFactsTests: XCTestCase {
    func testTLSFactsMerge() {
        var facts = TLSFacts(versions: ["TLSv1.3": 2], resumed: 1, handshakes: 2)
        facts.merge(TLSFacts(versions: ["TLSv1.3": 1, "TLSv1.2": 1], groups: ["X25519": 2], resumed: 1, handshakes: 2, helloRetryRequests: 1))
        XCTAssertEqual(facts, TLSFacts(versions: ["TLSv1.3": 3, "TLSv1.2": 1], groups: ["X25519": 2], resumed: 2, handshakes: 4, helloRetryRequests: 1))
        XCTAssertEqual(facts.resumptionRatio, 0.5)
    }

    /// Connections open at the stop add up where counted; facts without the count (an aborted run,
    /// an older result.json) add nothing and leave it unknown only when no part had it.
    func testOpenAtStopAddsUpWhereCounted() throws {
        var facts = TLSFacts(handshakes: 3)
        facts.merge(TLSFacts(handshakes: 2))
        XCTAssertNil(facts.openAtStop)
        facts.merge(TLSFacts(handshakes: 4, openAtStop: 4))
        facts.merge(TLSFacts(handshakes: 1))
        facts.merge(TLSFacts(handshakes: 6, openAtStop: 5))
        XCTAssertEqual(facts.openAtStop, 9)
        let older = try JSONDecoder().decode(TLSFacts.self, from: Data(#"{"versions": {}, "groups": {}, "resumed": 0, "handshakes": 2, "helloRetryRequests": 0}"#.utf8))
        XCTAssertNil(older.openAtStop)
        let written = try JSONDecoder().decode(TLSFacts.self, from: JSONEncoder().encode(facts))
        XCTAssertEqual(written, facts)
    }

    func testInteropFindingMergeKeepsTheFirstExample() {
        var finding = InteropFinding(count: 2, example: "first")
        finding.merge(InteropFinding(count: 3, example: "second"))
        XCTAssertEqual(finding, InteropFinding(count: 5, example: "first"))
    }
}
