import Histogram

extension OperationMetrics {
    /// `<operation>.hgrm`: HdrHistogram's percentile distribution text for the total latency, values in milliseconds
    /// ("Value Percentile TotalCount 1/(1-Percentile)" table, then the #[Mean ...] footer).
    public func hgrm(corrected: Bool = true, percentileTicksPerHalfDistance: Int = 5) -> String {
        var text = ""
        histogram(.total, corrected: corrected).outputPercentileDistribution(
            to: &text,
            outputValueUnitScalingRatio: LatencyScale.usPerMs,
            percentileTicksPerHalfDistance: percentileTicksPerHalfDistance
        )
        return text
    }
}
