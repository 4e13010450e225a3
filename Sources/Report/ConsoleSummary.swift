import Metrics

/// The table printed when a run ends: per operation count, rate, corrected total latency percentiles (ms),
/// errors by outcome, and the phase that dominates the tail. Built from a `MetricsSummary`, so a result
/// read back from disk (or merged) prints the same table.
public struct ConsoleSummary: Sendable {
    /// Phases competing for "dominates the tail" (signing and total are not stretches of the request path).
    public static let tailPhases: [Phase] = [.connect, .tls, .requestWritten, .firstByte, .complete]

    /// The table and its surrounding lines, no trailing newlines.
    public let lines: [String]

    /// The table for `metrics`, with a heading line and one line per warning.
    public init(metrics: MetricsSummary, interrupted: Bool = false, warnings: [String] = []) {
        var lines = ["duration \(Self.seconds(metrics.durationNs)) s" + (interrupted ? " (interrupted)" : "")
            + "; latency in ms from the intended start (corrected)"]
        var rows = [["operation", "count", "rate/s", "p50", "p90", "p99", "p99.9", "max", "tail phase (p99 ms)", "errors"]]
        for operation in metrics.operations {
            let total = operation.latency[Phase.total.rawValue]
            rows.append([
                operation.name,
                "\(operation.count)",
                Self.oneDecimal(operation.ratePerSecond),
                Self.ms(total?.p50Us),
                Self.ms(total?.p90Us),
                Self.ms(total?.p99Us),
                Self.ms(total?.p999Us),
                Self.ms(total?.maxUs),
                Self.tailPhase(operation).map { "\($0.phase.rawValue) \(Self.ms($0.p99Us))" } ?? "-",
                Self.errors(operation),
            ])
        }
        lines += Self.aligned(rows)
        for operation in metrics.operations { lines += Self.reasonLines(operation) }
        lines += warnings.map { "warning: " + $0 }
        self.lines = lines
    }

    /// The table for a finished run.
    public init(_ result: RunResult) {
        self.init(metrics: result.metrics, interrupted: result.interrupted, warnings: result.warnings)
    }

    /// All lines, newline-terminated.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// The phase among `tailPhases` with the largest p99, with that p99; nil when none was measured.
    public static func tailPhase(_ operation: OperationSummary) -> (phase: Phase, p99Us: UInt64)? {
        var best: (phase: Phase, p99Us: UInt64)?
        for phase in tailPhases {
            guard let latency = operation.latency[phase.rawValue], latency.count != 0 else { continue }
            if let current = best, current.p99Us >= latency.p99Us { continue }
            best = (phase, latency.p99Us)
        }
        return best
    }

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
