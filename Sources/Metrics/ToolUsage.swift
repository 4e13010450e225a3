/// The load generator's own resources during a run: whether it, not the server, was the limit.
public struct ToolUsage: Codable, Sendable, Equatable {
    /// Load threads.
    public var threads: Int
    /// CPU time (user + system) of the load threads while they ran, ns.
    public var cpuNs: UInt64
    /// `cpuNs` per finished operation (0 when none finished).
    public var cpuNsPerOperation: UInt64
    /// Peak resident set size of the estbench process (the built-in server included when it ran), bytes.
    public var peakRSSBytes: UInt64
    /// Resident set size when the run ended, bytes.
    public var endRSSBytes: UInt64

    public init(threads: Int, cpuNs: UInt64, operations: UInt64, peakRSSBytes: UInt64, endRSSBytes: UInt64) {
        self.threads = threads
        self.cpuNs = cpuNs
        cpuNsPerOperation = operations > 0 ? cpuNs / operations : 0
        self.peakRSSBytes = peakRSSBytes
        self.endRSSBytes = endRSSBytes
    }
}
