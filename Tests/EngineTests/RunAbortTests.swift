@testable import Engine
import Workload
import XCTest

/// Whether an abort rule fires for the last window: a pure function of the once-a-second samples.
final class RunAbortTests: XCTestCase {
    /// Cumulative samples from per-second (ended, failed, unreachable) increments.
    func samples(_ seconds: [(Int, Int, Int)], reason: String = "ECONNREFUSED") -> [EndedCounts] {
        var out = [EndedCounts()]
        for (ended, failed, unreachable) in seconds {
            var next = out.last!
            next.ended += ended
            next.failed += failed
            next.unreachable += unreachable
            if unreachable > 0 { next.unreachableReasons[reason, default: 0] += unreachable }
            out.append(next)
        }
        return out
    }

    func testTargetUnusableFiresOnlyOnAFullWindowOfConnectOrTLSFailures() {
        let refused = Array(repeating: (128, 128, 128), count: 5)
        XCTAssertNil(RunAbort.check(.standard, samples: samples(Array(refused.prefix(4)))), "the window is not full yet")
        XCTAssertEqual(RunAbort.check(.standard, samples: samples(refused)),
                       RunAbort(rule: .targetUnusable, reason: "target unusable: ECONNREFUSED ×640 in 5 s"))
        // One success (or one other failure) in the window: the target was measured.
        XCTAssertNil(RunAbort.check(.standard, samples: samples(refused.dropLast() + [(128, 127, 127)])))
        XCTAssertNil(RunAbort.check(.standard, samples: samples(refused.dropLast() + [(128, 128, 127)])))
        // An early success falls out of the window.
        XCTAssertNotNil(RunAbort.check(.standard, samples: samples([(10, 0, 0)] + refused)))
        // Nothing ended in the window: nothing to judge.
        XCTAssertNil(RunAbort.check(.standard, samples: samples(Array(repeating: (0, 0, 0), count: 6))))
        XCTAssertNil(RunAbort.check(.off, samples: samples(refused)))
    }

    func testErrorRateRule() {
        let policy = AbortPolicy(targetUnusable: true, errorRate: .init(fraction: 0.9, windowSeconds: 3))
        XCTAssertEqual(RunAbort.check(policy, samples: samples([(100, 0, 0), (10, 9, 0), (10, 9, 0), (10, 9, 0)])),
                       RunAbort(rule: .errorRate, reason: "error rate 90% over the last 3 s (27 of 30 operations failed; abort.errorRate 90%)"))
        XCTAssertNil(RunAbort.check(policy, samples: samples([(10, 9, 0), (10, 9, 0), (10, 8, 0)])))
        XCTAssertNil(RunAbort.check(AbortPolicy(targetUnusable: true), samples: samples([(10, 10, 0), (10, 10, 0), (10, 10, 0)])))
        // Both would fire: the target-unusable rule says more.
        let both = samples(Array(repeating: (10, 10, 10), count: 5))
        XCTAssertEqual(RunAbort.check(policy, samples: both)?.rule, .targetUnusable)
    }
}
