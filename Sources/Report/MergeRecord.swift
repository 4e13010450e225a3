import Metrics

/// result.json's `merge` in a merged folder: the shards it adds up, each with its own start,
/// lateness and the load generator's own CPU and memory, and the shards that were missing.
public struct MergeRecord: Codable, Sendable, Equatable {
    /// One shard's part of the merge.
    public struct Part: Codable, Sendable, Equatable {
        public var index: Int
        /// The shard's folder as given to `merge`.
        public var folder: String
        public var startTime: String
        public var lateSeconds: Double
        /// Whole seconds its timeline was shifted by to line up with the others on the wall clock.
        public var offsetSeconds: Int
        public var durationNs: UInt64
        public var operations: UInt64
        public var tool: ToolUsage?

        public init(index: Int, folder: String, startTime: String, lateSeconds: Double, offsetSeconds: Int,
                    durationNs: UInt64, operations: UInt64, tool: ToolUsage?) {
            self.index = index
            self.folder = folder
            self.startTime = startTime
            self.lateSeconds = lateSeconds
            self.offsetSeconds = offsetSeconds
            self.durationNs = durationNs
            self.operations = operations
            self.tool = tool
        }
    }

    /// Shards the plan was split into.
    public var shardCount: Int
    public var shards: [Part]
    /// Shard indices not merged (only with `--partial`).
    public var missing: [Int]

    public init(shardCount: Int, shards: [Part], missing: [Int]) {
        self.shardCount = shardCount
        self.shards = shards
        self.missing = missing
    }
}
