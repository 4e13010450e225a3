@testable import Engine
import XCTest

final class HeapTrimPolicyTests: XCTestCase {
    /// A storm of handshakes, then quiet: one trim when the count stands still, none while it grows,
    /// none for a trickle below the burst size.
    func testTrimsOnceAfterAStormHasSettled() {
        var policy = HeapTrimPolicy(burst: 100)
        let ticks = [0, 40, 90, 150, 150, 150, 160, 170, 170, 300, 300]
        let trims = ticks.map { policy.tick(handshakes: $0) }
        XCTAssertEqual(trims, [false, false, false, false, true, false, false, false, false, false, true])
    }

    func testSteadyNewConnectionsNeverTrim() {
        var policy = HeapTrimPolicy(burst: 100)
        for t in 0..<50 { XCTAssertFalse(policy.tick(handshakes: t * 500)) }
    }

    func testMemoryFiguresAreReadable() {
        XCTAssertGreaterThan(ProcessMemory.currentRSSBytes, 1 << 20)
        XCTAssertGreaterThanOrEqual(ProcessMemory.peakRSSBytes, ProcessMemory.currentRSSBytes / 10 * 9)
        ProcessMemory.trimHeap()
        XCTAssertGreaterThan(ProcessMemory.currentRSSBytes, 0)
    }
}
