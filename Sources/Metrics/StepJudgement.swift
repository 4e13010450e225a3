/// Whether one step of a capacity search held, and why not: a pure function of the step's metrics.
/// A step holds only if (a) every threshold held over its measured window, (b) the achieved arrival
/// rate is within 1% of the offered one, and (c) latency was steady — the p99 of the window's last
/// third not above its first third's by more than `allowedRiseMs`, unless the median stayed (see
/// `Steadiness`) — so a queue slowly building above capacity is caught even in a short step. A load thread busy more than 90% of the step makes it
/// `clientLimit`: then estbench, not the server, was the limit.
public struct StepJudgement: Sendable, Equatable, Codable {
    /// A condition a step can break.
    public enum Condition: String, Sendable, Equatable, Codable, CaseIterable {
        /// A threshold failed (or could not be measured).
        case thresholds
        /// Arrivals started in the window more than 1% off the offered rate: the schedule was not kept
        /// (no device free for an arrival, or a backlog caught up).
        case achievedRate = "achieved_rate"
        /// Latency (p99 and median) rose from the window's first third to its last by more than the slack.
        case unsteady
        /// A load thread was busy over 90% of the step: estbench was the limit.
        case clientLimit = "client_limit"
    }

    /// p99 and p50 of the window's first and last thirds (whole timeline seconds), and the rise allowed.
    /// Unsteady when the p99 rose by more than the slack and the median did too: a queue building
    /// above capacity makes every request wait, so it lifts the whole distribution, while a scheduling
    /// stall (a noisy neighbour on a shared machine, a pause) lifts only the tail of one third.
    public struct Steadiness: Sendable, Equatable, Codable {
        public var firstThirdP99Ms: Double
        public var lastThirdP99Ms: Double
        public var firstThirdP50Ms: Double
        public var lastThirdP50Ms: Double
        public var allowedRiseMs: Double
        /// Whole seconds in the measured window.
        public var seconds: Int
        public var steady: Bool {
            !(lastThirdP99Ms - firstThirdP99Ms > allowedRiseMs && lastThirdP50Ms - firstThirdP50Ms > allowedRiseMs)
        }
    }

    /// What one step measured, as the judgement needs it.
    public struct Step: Sendable {
        public var offeredRate: Double
        /// The step's length and its warm-up (seconds from the step's start, the timeline's zero).
        public var stepSeconds: Double
        public var warmupSeconds: Double
        /// The measured window the thresholds are judged over (ns).
        public var measuredNs: UInt64
        /// Arrivals (passes) started in the measured window, late ones included.
        public var arrivals: UInt64
        public var operations: [OperationMetrics]
        /// Closed and merged.
        public var timeline: Timeline
        /// CPU time of each load thread (ns), and the step's wall time they are compared to.
        public var loadThreadCPUNs: [UInt64]
        public var wallNs: UInt64

        public init(offeredRate: Double, stepSeconds: Double, warmupSeconds: Double, measuredNs: UInt64, arrivals: UInt64,
                    operations: [OperationMetrics], timeline: Timeline, loadThreadCPUNs: [UInt64], wallNs: UInt64) {
            self.arrivals = arrivals
            self.offeredRate = offeredRate
            self.stepSeconds = stepSeconds
            self.warmupSeconds = warmupSeconds
            self.measuredNs = measuredNs
            self.operations = operations
            self.timeline = timeline
            self.loadThreadCPUNs = loadThreadCPUNs
            self.wallNs = wallNs
        }
    }

    /// The achieved rate may fall this far below the offered one.
    public static let rateTolerance = 0.01
    /// A load thread busier than this fraction of the step saturated.
    public static let clientBusyLimit = 0.9
    /// The steadiness slack: the last third's p99 may exceed the first third's by this fraction …
    public static let riseFraction = 0.2
    /// … or by this fraction of the tightest latency threshold …
    public static let riseFractionOfLimit = 0.1
    /// … or by this many ms, whichever is most.
    public static let riseFloorMs = 5.0

    public var offeredRate: Double
    /// Arrivals started in the window (passes begun, late ones included) per second of window.
    public var achievedRate: Double
    public var arrivals: UInt64
    public var verdict: ThresholdVerdict
    /// nil when the window holds fewer than two whole seconds with responses (not judged).
    public var steadiness: Steadiness?
    /// The busiest load thread's CPU time over the step's wall time.
    public var busiestLoadThread: Double
    /// Operations not a valid 2xx, over all operations (nil: none finished).
    public var errorRate: Double?
    /// The conditions that broke, in `Condition` order (empty: the step held).
    public var broke: [Condition]

    public var held: Bool { broke.isEmpty }

    /// Judges `step` against `thresholds`.
    public init(_ step: Step, thresholds: [Threshold]) {
        offeredRate = step.offeredRate
        let windowSeconds = max(0, step.stepSeconds - step.warmupSeconds)
        arrivals = step.arrivals
        achievedRate = windowSeconds > 0 ? Double(arrivals) / windowSeconds : 0
        verdict = ThresholdVerdict.evaluate(thresholds, operations: step.operations, durationNs: step.measuredNs)
        let count = step.operations.reduce(UInt64(0)) { $0 + $1.count }
        let errors = step.operations.reduce(UInt64(0)) { $0 + $1.outcomes.errors }
        errorRate = count > 0 ? Double(errors) / Double(count) : nil
        steadiness = Self.steadiness(step.timeline, from: step.warmupSeconds, to: step.stepSeconds, thresholds: thresholds)
        busiestLoadThread = step.wallNs > 0 ? Double(step.loadThreadCPUNs.max() ?? 0) / Double(step.wallNs) : 0
        var broke: [Condition] = []
        if !verdict.passed { broke.append(.thresholds) }
        // One arrival per load thread may fall either side of the window's edges without being off the rate.
        let allowance = Double(max(1, step.loadThreadCPUNs.count))
        let planned = step.offeredRate * windowSeconds
        if abs(Double(arrivals) - planned) > planned * Self.rateTolerance + allowance { broke.append(.achievedRate) }
        if let steadiness, !steadiness.steady { broke.append(.unsteady) }
        if busiestLoadThread > Self.clientBusyLimit { broke.append(.clientLimit) }
        self.broke = broke
    }

    /// The rise of p99 a steady step may show between its first and last thirds: 20% of the first
    /// third's p99, or a tenth of the tightest latency threshold, or 5 ms, whichever is most. A queue
    /// building above capacity grows latency by (offered − capacity) / capacity seconds every second —
    /// far beyond all three; the percentage absorbs the noise of a p99 read from a third of a window,
    /// the threshold's tenth says a rise that small is not what this SLO is about, and the floor is a
    /// shared machine's scheduling noise.
    public static func allowedRiseMs(firstThirdP99Ms: Double, thresholds: [Threshold]) -> Double {
        let tightest = thresholds.filter { $0.metric.percentile != nil }.map(\.limit).min()
        return max(firstThirdP99Ms * riseFraction, (tightest ?? 0) * riseFractionOfLimit, riseFloorMs)
    }

    /// p99 and p50 (corrected, every operation merged) of the first and last thirds of the whole
    /// timeline seconds in [from, to); nil when fewer than two such seconds, or a third without a response.
    static func steadiness(_ timeline: Timeline, from: Double, to: Double, thresholds: [Threshold]) -> Steadiness? {
        let first = Int(from.rounded(.up))
        let end = Int(to.rounded(.down))
        let n = end - first
        guard n >= 2 else { return nil }
        let third = max(1, n / 3)
        guard let early = percentilesMs(timeline, seconds: first..<(first + third)),
              let late = percentilesMs(timeline, seconds: (end - third)..<end) else { return nil }
        return Steadiness(firstThirdP99Ms: early.p99, lastThirdP99Ms: late.p99, firstThirdP50Ms: early.p50, lastThirdP50Ms: late.p50,
                          allowedRiseMs: allowedRiseMs(firstThirdP99Ms: early.p99, thresholds: thresholds), seconds: n)
    }

    static func percentilesMs(_ timeline: Timeline, seconds: Range<Int>) -> (p50: Double, p99: Double)? {
        var merged: EncodedHistogram?
        for series in timeline.seconds {
            for second in series where seconds.contains(second.second) {
                if merged == nil { merged = second.latency } else { merged!.merge(second.latency) }
            }
        }
        guard let merged, merged.totalCount > 0 else { return nil }
        // Every timeline histogram was encoded in-process in the one LatencyScale layout, so decoding
        // cannot fail; if it ever did, steadiness would only go unjudged.
        guard let histogram = try? merged.histogram() else { return nil }
        return (Double(histogram.percentileValue(50)) / 1000, Double(histogram.percentileValue(99)) / 1000)
    }
}
