import Metrics

/// The table printed when a run ends: per operation count, attempted and successful rates, success %,
/// corrected total latency percentiles (ms), where the slowest ~1% spent their time, errors by
/// outcome and their reasons; then the verdict. Built from a `MetricsSummary`, so a result read back
/// from disk (or merged) prints the same table.
public struct ConsoleSummary: Sendable {
    /// The table and its surrounding lines, no trailing newlines.
    public private(set) var lines: [String]

    /// The table for `metrics`, with a heading line and one line per warning.
    public init(metrics: MetricsSummary, interrupted: Bool = false, warnings: [String] = []) {
        var lines = ["duration \(Self.seconds(metrics.durationNs)) s" + (interrupted ? " (interrupted)" : "")
            + "; latency in ms from the intended start (corrected)"]
        var rows = [["operation", "count", "tried/s", "ok/s", "ok %", "p50", "p90", "p99", "p99.9", "max", "slowest 1% in", "errors"]]
        for operation in metrics.operations {
            let total = operation.latency[Phase.total.rawValue]
            let succeeded = Self.succeeded(operation)
            rows.append([
                operation.name,
                "\(operation.count)",
                Self.oneDecimal(operation.ratePerSecond),
                Self.oneDecimal(metrics.durationNs == 0 ? 0 : Double(succeeded) / (Double(metrics.durationNs) / 1e9)),
                operation.count == 0 ? "-" : Self.oneDecimal(Double(succeeded) * 100 / Double(operation.count)),
                Self.ms(total?.p50Us),
                Self.ms(total?.p90Us),
                Self.ms(total?.p99Us),
                Self.ms(total?.p999Us),
                Self.ms(total?.maxUs),
                operation.tail?.dominant.map { "\($0.part) \(Int(($0.share * 100).rounded()))%" } ?? "-",
                Self.errors(operation),
            ])
        }
        lines += Self.aligned(rows)
        for operation in metrics.operations { lines += Self.reasonLines(operation) }
        lines += warnings.map { "warning: " + $0 }
        self.lines = lines
    }

    /// The table for a finished run, then why it stopped early (if it did) and its verdict.
    public init(_ result: RunResult) {
        self.init(metrics: result.metrics, interrupted: result.interrupted, warnings: result.warnings)
        var lines = self.lines
        if let reason = result.abortReason { lines.append("aborted: \(reason)") }
        if let verdict = result.verdict { lines += Self.verdictLines(verdict) }
        self.lines = lines
    }

    /// Each threshold with its measured value and whether it held, then the overall line.
    public static func verdictLines(_ verdict: RunVerdict) -> [String] {
        var out: [String] = []
        for t in verdict.thresholds {
            let measured = t.measured.map(ThresholdVerdict.format) ?? "not measured"
            out.append("threshold \(t.threshold.description): measured \(measured) — \(t.passed ? "pass" : "FAIL")")
        }
        let why = !verdict.why.isEmpty ? verdict.why : verdict.thresholds.isEmpty ? "no thresholds; operations succeeded" : ""
        out.append("verdict: " + (verdict.passed ? "PASS" : "FAIL") + (why.isEmpty ? "" : " (\(why))"))
        return out
    }

    /// Operations that succeeded (2xx and 202).
    static func succeeded(_ operation: OperationSummary) -> UInt64 {
        operation.counters.reduce(UInt64(0)) { sum, entry in Outcome(key: entry.key)?.isError == false ? sum + entry.value : sum }
    }

    /// All lines, newline-terminated.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// "401=3 timeout=1", by outcome key; "-" when there were none.
    static func errors(_ operation: OperationSummary) -> String {
        let items = operation.counters.filter { Outcome(key: $0.key)?.isError ?? true }.sorted { $0.key < $1.key }
        return items.isEmpty ? "-" : items.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// Why operations failed, per error class: the three most frequent reasons, each with its
    /// count and one example ("  simpleenroll connect_error: ECONNREFUSED ×48 — e.g. …").
    static func reasonLines(_ operation: OperationSummary) -> [String] {
        guard let reasons = operation.reasons else { return [] }
        var out: [String] = []
        for outcome in reasons.byOutcome.keys.sorted() {
            let ranked = reasons.ranked(outcome)
            for (index, entry) in ranked.prefix(3).enumerated() {
                let head = index == 0 ? "  \(operation.name) \(outcome): " : String(repeating: " ", count: operation.name.count + outcome.count + 5)
                out.append(head + "\(entry.reason) ×\(entry.tally.count) — e.g. \(entry.tally.example)")
            }
            if ranked.count > 3 {
                let rest = ranked.dropFirst(3).reduce(UInt64(0)) { $0 + $1.tally.count }
                out.append(String(repeating: " ", count: operation.name.count + outcome.count + 5) + "\(ranked.count - 3) more reason(s) ×\(rest): see result.json")
            }
        }
        return out
    }

    /// Columns padded to their widest cell: the first left-aligned, numbers right-aligned, the last unpadded.
    static func aligned(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index == 0 || index >= columns - 2 {
                    line += index == columns - 1 ? cell : cell + padding
                } else {
                    line += padding + cell
                }
                if index < columns - 1 { line += "  " }
            }
            return line
        }
    }

    /// Microseconds as milliseconds with three decimals ("12.345"); "-" when absent.
    static func ms(_ us: UInt64?) -> String {
        guard let us else { return "-" }
        let fraction = us % 1_000
        return "\(us / 1_000)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"
    }

    /// Nanoseconds as seconds with three decimals.
    static func seconds(_ ns: UInt64) -> String {
        ms(ns / 1_000_000)
    }

    /// One decimal, rounded half away from zero ("1234.5").
    static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return "-" }
        let tenths = UInt64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
