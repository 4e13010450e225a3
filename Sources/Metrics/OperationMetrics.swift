import Histogram

/// Latency histograms (us, `LatencyScale`) per phase plus outcome counters for one operation name in one worker.
/// Owned by one worker thread; `record` allocates nothing (histograms are preallocated for the whole range).
public struct OperationMetrics: Sendable {
    /// Operation name, e.g. "simpleenroll".
    public let name: String
    /// One histogram per `Phase` (indexed by `Phase.index`); `.total` is corrected for coordinated omission.
    var phases: [Histogram<UInt64>]
    /// Actual start → end, the uncorrected figure kept beside `.total`.
    public private(set) var totalUncorrected: Histogram<UInt64>
    /// How late operations started against their intended start: only operations that had one (the
    /// open model's first operation of a pass); empty for a closed run.
    public private(set) var startLag: Histogram<UInt64>
    /// Operations per outcome.
    public private(set) var outcomes: OutcomeCounters
    /// Why failed operations failed, per outcome class.
    public private(set) var reasons = FailureReasons()
    /// Where the slowest ~1% spent their time (`TailBreakdown`).
    public private(set) var tail = TailBreakdown()
    /// The running p99 estimate (us) an operation must reach to count in `tail`; 0 before the first estimate.
    var tailFromUs: UInt64 = 0
    /// Responses recorded in `.total`, and when the estimate is refreshed next: after 8, 16, … 1,024
    /// responses, then once a second of run time (a p99 walks the whole histogram, about a million
    /// instructions: refreshed every 1,024 responses it was 3% of a kept-alive enrollment's cost).
    var tailSeen: UInt64 = 0
    var tailRefreshAt: UInt64 = 8
    var tailRefreshAtNs: UInt64 = 0
    static let tailRefreshIntervalNs: UInt64 = 1_000_000_000

    public init(name: String) {
        self.name = name
        phases = Phase.allCases.map { _ in LatencyScale.makeHistogram() }
        totalUncorrected = LatencyScale.makeHistogram()
        startLag = LatencyScale.makeHistogram()
        outcomes = OutcomeCounters()
    }

    /// Records one finished operation. Connect/TLS/signing/request-written are recorded whenever they happened;
    /// first-byte, complete and the totals only when a response arrived (`Outcome.receivedResponse`).
    public mutating func record(stamps: OperationPhaseStamps, outcome: Outcome, reason: FailureReason? = nil) {
        outcomes.add(outcome)
        if let reason { reasons.add(outcome, reason) }
        if let lagNs = stamps.startLagNs { startLag.record(LatencyScale.us(fromNs: lagNs)) }
        recordPhase(.connect, stamps)
        recordPhase(.tls, stamps)
        recordPhase(.signing, stamps)
        recordPhase(.requestWritten, stamps)
        guard outcome.receivedResponse else { return }
        recordPhase(.firstByte, stamps)
        recordPhase(.complete, stamps)
        recordPhase(.total, stamps)
        if let ns = stamps.uncorrectedTotalNs { totalUncorrected.record(LatencyScale.us(fromNs: ns)) }
        guard let totalNs = stamps.correctedTotalNs else { return }
        tailSeen &+= 1
        if tailSeen >= tailRefreshAt && (tailRefreshAt <= 1024 || stamps.completeNs >= tailRefreshAtNs) {
            tailFromUs = phases[Phase.total.index].percentileValue(99)
            tailRefreshAt = tailRefreshAt < 2048 ? tailRefreshAt * 2 : tailRefreshAt
            tailRefreshAtNs = stamps.completeNs &+ Self.tailRefreshIntervalNs
        }
        if tailFromUs > 0 && LatencyScale.us(fromNs: totalNs) >= tailFromUs { tail.add(stamps) }
    }

    mutating func recordPhase(_ phase: Phase, _ stamps: OperationPhaseStamps) {
        if let ns = stamps.durationNs(phase) { phases[phase.index].record(LatencyScale.us(fromNs: ns)) }
    }

    /// The histogram of `phase`; `corrected: false` only changes `.total` (to the uncorrected figure).
    public func histogram(_ phase: Phase, corrected: Bool = true) -> Histogram<UInt64> {
        phase == .total && !corrected ? totalUncorrected : phases[phase.index]
    }

    /// Operations counted (every outcome).
    public var count: UInt64 { outcomes.total }

    /// Corrected total latencies recorded at the histograms' ceiling (`LatencyScale.highestUs`,
    /// 60 s): those of 60 s or more, all recorded as 60 s — a percentile that reads 60 s means
    /// "60 s or more".
    public var latenciesAtCeiling: UInt64 {
        phases[Phase.total.index].count(within: LatencyScale.highestUs ... LatencyScale.highestUs)
    }

    /// Adds another worker's figures for the same operation: exact histogram addition.
    public mutating func merge(_ other: OperationMetrics) {
        for index in phases.indices { phases[index].add(other.phases[index]) }
        totalUncorrected.add(other.totalUncorrected)
        startLag.add(other.startLag)
        outcomes.merge(other.outcomes)
        reasons.merge(other.reasons)
        tail.merge(other.tail)
    }
}

extension OperationMetrics {
    /// Key of the uncorrected total histogram in summaries (phases use `Phase.rawValue`).
    public static let uncorrectedTotalKey = "total_uncorrected"
    /// Key of the start-lag histogram in summaries.
    public static let startLagKey = "start_lag"

    /// Rebuilds the metrics from a summary read back from result.json (exact: histograms and counters).
    public init(summary: OperationSummary) throws(MetricsDecodingError) {
        self.init(name: summary.name)
        for (key, encoded) in summary.histograms {
            let histogram = try encoded.histogram()
            if let phase = Phase(rawValue: key) {
                phases[phase.index] = histogram
            } else if key == Self.uncorrectedTotalKey {
                totalUncorrected = histogram
            } else if key == Self.startLagKey {
                startLag = histogram
            } else {
                throw .unknownHistogramKey(operation: summary.name, key: key)
            }
        }
        for (key, count) in summary.counters {
            guard let outcome = Outcome(key: key) else { throw .unknownOutcomeKey(key) }
            outcomes.add(outcome, count: count)
        }
        if let reasons = summary.reasons { self.reasons = reasons }
        if let tail = summary.tail { self.tail = tail }
    }
}
