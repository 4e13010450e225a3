import Metrics
import Workload

/// The capacity search's console table: one line per step — offered and achieved rate, p50/p99 per
/// operation (ms, corrected), error rate, the busiest load thread, and what broke — then the answer.
public struct SearchTable: Sendable {
    public let lines: [String]

    public init(_ search: SearchResult) {
        var names: [String] = []
        for step in search.steps { for op in step.operations where !names.contains(op.name) { names.append(op.name) } }
        var rows = [["step", "offered/s", "achieved/s"] + names.map { "\($0) p50/p99 ms" } + ["errors", "load thread", "result"]]
        for (index, step) in search.steps.enumerated() {
            var row = ["\(index + 1)", Self.rate(step.offeredRate), Self.rate(step.achievedRate)]
            for name in names {
                let total = step.operations.first { $0.name == name }?.latency[Phase.total.rawValue]
                row.append(total.map { "\(Self.ms($0.p50Us)) / \(Self.ms($0.p99Us))" } ?? "-")
            }
            row.append(step.errorRate.map { Self.percent($0) } ?? "-")
            row.append(Self.percent(step.busiestLoadThread, digits: 0))
            row.append(Self.result(step))
            rows.append(row)
        }
        var lines = ["capacity search — \(search.connections)"]
        lines += Self.aligned(rows)
        lines.append(search.summary)
        self.lines = lines
    }

    /// All lines, newline-terminated.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// "held", or what broke with its figures.
    public static func result(_ step: SearchResult.Step) -> String {
        switch step.result {
        case .held: return "held"
        case .interrupted: return "interrupted"
        case .broke, .clientLimit: break
        }
        var reasons: [String] = []
        for condition in step.broke {
            switch condition {
            case .thresholds:
                let failed = step.thresholds.thresholds.filter { !$0.passed }.map { t in
                    "\(t.operation) \(t.metric.rawValue) \(t.measured.map(ThresholdVerdict.format) ?? "unmeasured") \(t.metric.isFloor ? "<" : ">") \(ThresholdVerdict.format(t.limit))"
                }
                reasons.append("thresholds (\(failed.joined(separator: ", ")))")
            case .achievedRate:
                reasons.append("achieved rate (\(rate(step.achievedRate)) of \(rate(step.offeredRate))/s)")
            case .unsteady:
                if let s = step.steadiness {
                    reasons.append("unsteady (p99 \(rate(s.firstThirdP99Ms)) → \(rate(s.lastThirdP99Ms)) ms, p50 \(rate(s.firstThirdP50Ms)) → "
                                   + "\(rate(s.lastThirdP50Ms)) ms; +\(rate(s.allowedRiseMs)) allowed)")
                } else {
                    reasons.append("unsteady")
                }
            case .clientLimit:
                reasons.append("client is the limit (load thread \(percent(step.busiestLoadThread, digits: 0)) busy)")
            }
        }
        return (step.result == .clientLimit ? "client limit: " : "broke: ") + reasons.joined(separator: "; ")
    }

    /// A rate (or ms) as printed: whole numbers bare, others with one decimal (two below 10).
    public static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        let digits = abs(value) < 10 ? 2 : 1
        let scale = digits == 2 ? 100.0 : 10.0
        var text = String((value * scale).rounded() / scale)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    static func ms(_ us: UInt64) -> String { rate(Double(us) / 1000) }

    static func percent(_ fraction: Double, digits: Int = 1) -> String {
        guard fraction.isFinite else { return "-" }
        let scale = digits == 0 ? 1.0 : 10.0
        var text = String((fraction * 100 * scale).rounded() / scale)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text + "%"
    }

    /// Left-aligned columns, two spaces apart.
    static func aligned(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            return line
        }
    }
}
