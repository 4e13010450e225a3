import EST
import Metrics

/// The `thresholds` section: per operation name or `all`, limits on latency percentiles (ms),
/// `errorRate` (0–1) and `minRate` (valid 2xx per second), optionally `uncorrected: true`.
extension ProfileReader {
    mutating func thresholds(_ node: ProfileNode, at path: String) -> [Threshold] {
        guard case .mapping(let entries) = node else {
            report(path, "expected a mapping of operation names (or all) to limits, got \(node.kindDescription)")
            return []
        }
        var out: [Threshold] = []
        for entry in entries {
            let scopePath = Self.join(path, entry.key)
            guard entry.key == Threshold.allOperations || ESTOperation(rawValue: entry.key) != nil else {
                report(scopePath, "unknown operation \"\(entry.key)\"; expected all or one of \(ESTOperation.allowedNames)")
                continue
            }
            let allowed = Threshold.Metric.allCases.map(\.rawValue) + ["uncorrected"]
            guard let fields = fields(entry.value, at: scopePath, allowed: allowed) else { continue }
            let uncorrected = bool(fields["uncorrected"], at: Self.join(scopePath, "uncorrected")) ?? false
            var any = false
            for metric in Threshold.Metric.allCases {
                let metricPath = Self.join(scopePath, metric.rawValue)
                guard let value = number(fields[metric.rawValue], at: metricPath, positive: false) else { continue }
                any = true
                if metric == .errorRate && value > 1 {
                    report(metricPath, "\(format(value)) is not a fraction; allowed: 0 to 1 (0.01 is 1%)")
                    continue
                }
                out.append(Threshold(operation: entry.key, metric: metric, limit: value, uncorrected: uncorrected))
            }
            if !any, case .mapping(let given) = entry.value, !given.contains(where: { $0.key != "uncorrected" }) {
                report(scopePath, "no limit given; expected one or more of \(Threshold.Metric.allowedNames)")
            }
        }
        return out
    }
}
