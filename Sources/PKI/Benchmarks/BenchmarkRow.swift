/// One measured line of a benchmark: what ran, how fast (median of interleaved rounds), and its
/// ratio to the baseline measured in the same run.
public struct BenchmarkRow: Sendable {
    public let name: String
    public let keyType: String?
    public let nsPerOp: Double
    /// `opsPerSecond / baseline's opsPerSecond`; nil for a baseline row.
    public var ratio: Double?
    /// The ratio's first and third quartiles over the passes (its spread); nil for a baseline row.
    public var ratioQuartiles: (low: Double, high: Double)?
    public var baseline: String?

    public var opsPerSecond: Double { nsPerOp > 0 ? 1e9 / nsPerOp : 0 }

    public init(name: String, keyType: String?, nsPerOp: Double, ratio: Double? = nil, baseline: String? = nil) {
        self.name = name
        self.keyType = keyType
        self.nsPerOp = nsPerOp
        self.ratio = ratio
        self.baseline = baseline
    }

    /// The same figures under another name (a second ratio for one measured case).
    public func renamed(_ newName: String) -> BenchmarkRow {
        var row = BenchmarkRow(name: newName, keyType: keyType, nsPerOp: nsPerOp, ratio: ratio, baseline: baseline)
        row.ratioQuartiles = ratioQuartiles
        return row
    }
}
