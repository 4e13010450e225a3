import Metrics

/// What a run has done so far, read from `RunProgress` for the /metrics endpoint: measured
/// operations per operation and outcome class, a coarse latency histogram per operation (Prometheus
/// buckets, seconds), operations in flight, the open model's last start lag.
public struct LiveCounts: Sendable, Equatable {
    /// One operation's counts.
    public struct Operation: Sendable, Equatable {
        public var name: String
        /// Indexed like `Outcome.classLabels`.
        public var outcomes: [Int]
        /// Per bucket (not cumulative), `bucketBoundsSeconds` then +Inf.
        public var latencyBuckets: [Int]
        public var latencySumSeconds: Double

        public init(name: String, outcomes: [Int], latencyBuckets: [Int], latencySumSeconds: Double) {
            self.name = name
            self.outcomes = outcomes
            self.latencyBuckets = latencyBuckets
            self.latencySumSeconds = latencySumSeconds
        }
    }

    public var operations: [Operation]
    public var inFlight: Int
    public var scheduleLagSeconds: Double

    public init(operations: [Operation], inFlight: Int, scheduleLagSeconds: Double) {
        self.operations = operations
        self.inFlight = inFlight
        self.scheduleLagSeconds = scheduleLagSeconds
    }

    /// Upper bounds of the latency buckets (`le`), seconds: 1 ms to 30 s, roughly 1-2.5-5 steps.
    public static let bucketBoundsSeconds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    static let bucketBoundsNs: [UInt64] = bucketBoundsSeconds.map { UInt64(($0 * 1e9).rounded()) }
}
