import Metrics

/// One server's share of a run that spread its devices over several (`target.urls`): which URL,
/// the address connected to, and its own per-operation summary — result.json's `targets[]`.
public struct TargetResult: Codable, Sendable, Equatable {
    /// The target's URL, as the profile gave it.
    public var url: String
    /// The address connected to (`ip:port`, IPv6 in brackets).
    public var address: String
    /// Counters, rates (over the run's measured duration), percentiles and full histograms per operation.
    public var metrics: MetricsSummary

    public init(url: String, address: String, metrics: WorkerMetrics, durationNs: UInt64) {
        self.url = url
        self.address = address
        self.metrics = MetricsSummary(metrics, durationNs: durationNs)
    }

    /// A target whose summary is already made (a merge of shards).
    public init(url: String, address: String, summary: MetricsSummary) {
        self.url = url
        self.address = address
        metrics = summary
    }
}
