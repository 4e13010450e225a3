import Metrics
import Workload

/// The exit status of `estbench run`, decided from what the run found — a pure function, so the
/// rules in `--help`, the README and the code are one:
/// 0 every threshold held (no thresholds: at least one operation succeeded) · 1 the server was
/// measured and failed (a threshold failed, the error-rate abort fired, or nothing succeeded) ·
/// 2 bad input, nothing run (decided before the run, not here) · 3 the target could not be
/// measured (every failure a connect or TLS failure, which is what the default abort rule
/// catches) or the results could not be written · 130 interrupted.
public enum RunExit {
    public static let passed: Int32 = 0
    public static let failed: Int32 = 1
    public static let badInput: Int32 = 2
    public static let unmeasurable: Int32 = 3
    public static let interrupted: Int32 = 130

    /// Operations of a run by class: every outcome, the successes (2xx, 202), and the failures on connect or TLS.
    public struct Counts: Sendable, Equatable {
        public var operations: UInt64
        public var succeeded: UInt64
        public var unreachable: UInt64

        public init(operations: UInt64, succeeded: UInt64, unreachable: UInt64) {
            self.operations = operations
            self.succeeded = succeeded
            self.unreachable = unreachable
        }

        /// The counts of `operations` (merged figures).
        public init(_ operations: [OperationMetrics]) {
            var counts = Counts(operations: 0, succeeded: 0, unreachable: 0)
            for op in operations {
                for (outcome, count) in op.outcomes.nonZero {
                    counts.operations += count
                    switch outcome {
                    case .connectError, .tlsError: counts.unreachable += count
                    default: if !outcome.isError { counts.succeeded += count }
                    }
                }
            }
            self = counts
        }
    }

    /// The exit status. `verdict` is the thresholds' (nil or empty: the profile has none).
    public static func code(verdict: ThresholdVerdict?, counts: Counts, abort: AbortPolicy.Rule?,
                            interrupted: Bool, resultsWritten: Bool) -> Int32 {
        if interrupted { return Self.interrupted }
        if !resultsWritten { return unmeasurable }
        switch abort {
        case .targetUnusable?: return unmeasurable
        case .errorRate?: return failed
        case nil: break
        }
        if counts.succeeded == 0 {
            // Nothing got through: the target was not reached at all, or it answered with failures.
            let onlyUnreachable = counts.operations > 0 && counts.unreachable == counts.operations
            return onlyUnreachable ? unmeasurable : failed
        }
        if let verdict, !verdict.thresholds.isEmpty, !verdict.passed { return failed }
        return passed
    }
}
