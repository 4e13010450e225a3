import Foundation

/// The measurement part of result.json: run duration and one `OperationSummary` per operation.
/// Output code only (uses Foundation's JSONEncoder); decodes back into exact `OperationMetrics`.
public struct MetricsSummary: Codable, Sendable, Equatable {
    /// Histogram value unit, always "us"; stated so readers need not guess.
    public var unit: String
    public var durationNs: UInt64
    public var operations: [OperationSummary]

    /// Summarises merged metrics over a run of `durationNs`.
    public init(_ metrics: WorkerMetrics, durationNs: UInt64) {
        unit = "us"
        self.durationNs = durationNs
        operations = metrics.operations.map { OperationSummary($0, durationNs: durationNs) }
    }

    /// Pretty, key-sorted JSON (stable for diffs).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a summary written by `jsonData()`.
    public static func decode(from data: Data) throws -> MetricsSummary {
        try JSONDecoder().decode(MetricsSummary.self, from: data)
    }

    /// The exact per-operation metrics (histograms and counters) this summary encodes, ready to merge.
    public func operationMetrics() throws(MetricsDecodingError) -> [OperationMetrics] {
        var result: [OperationMetrics] = []
        for operation in operations { result.append(try OperationMetrics(summary: operation)) }
        return result
    }
}
