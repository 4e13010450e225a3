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

    func testInteropFindingMergeKeepsTheFirstExample() {
        var finding = InteropFinding(count: 2, example: "first")
        finding.merge(InteropFinding(count: 3, example: "second"))
        XCTAssertEqual(finding, InteropFinding(count: 5, example: "first"))
    }
}
