import Metrics
import Workload

/// result.json's `verdict`: whether the run passed (its exit status would be 0), why not, and each
/// threshold with its measured value. Thresholds are judged on the measured window (after warm-up).
public struct RunVerdict: Codable, Sendable, Equatable {
    public var passed: Bool
    /// Why it did not pass, in a few words ("" when it passed).
    public var why: String
    public var thresholds: [ThresholdVerdict.Result]

    public init(passed: Bool, why: String, thresholds: [ThresholdVerdict.Result]) {
        self.passed = passed
        self.why = why
        self.thresholds = thresholds
    }

    /// The verdict of a run judged by `thresholds` (`RunExit.code` with the results written).
    public init(thresholds: ThresholdVerdict, counts: RunExit.Counts, abort: AbortPolicy.Rule?, interrupted: Bool) {
        let code = RunExit.code(verdict: thresholds, counts: counts, abort: abort, interrupted: interrupted, resultsWritten: true)
        let failedThresholds = thresholds.thresholds.filter { !$0.passed }.count
        let why: String
        switch code {
        case RunExit.passed: why = ""
        case RunExit.interrupted: why = "interrupted"
        case _ where abort == .targetUnusable: why = "the target could not be measured (abort rule)"
        case _ where abort == .errorRate: why = "the error-rate abort rule fired"
        case _ where counts.succeeded == 0 && counts.operations > 0 && counts.unreachable == counts.operations:
            why = "every operation failed on connect or TLS: the target could not be measured"
        case _ where counts.succeeded == 0: why = "no operation succeeded"
        default: why = "\(failedThresholds) of \(thresholds.thresholds.count) threshold(s) failed"
        }
        self.init(passed: code == RunExit.passed, why: why, thresholds: thresholds.thresholds)
    }
}
