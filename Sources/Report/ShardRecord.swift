/// result.json's `shard`: which slice of a plan this run was (`--shard I/N`), when it was asked to
/// start and when it did — what `estbench merge` checks and aligns by.
public struct ShardRecord: Codable, Sendable, Equatable {
    /// 0-based.
    public var index: Int
    public var count: Int
    /// The agreed start (UTC ISO-8601, whole seconds), nil when the shard started on its own.
    public var startAt: String?
    /// Seconds past the agreed start when this shard could start (0 when on time).
    public var lateSeconds: Double
    /// Wall clock (seconds since the epoch) when the run's clock started: timeline second 0.
    public var clockStartedAt: Double

    public init(index: Int, count: Int, startAt: String?, lateSeconds: Double, clockStartedAt: Double) {
        self.index = index
        self.count = count
        self.startAt = startAt
        self.lateSeconds = lateSeconds
        self.clockStartedAt = clockStartedAt
    }
}
