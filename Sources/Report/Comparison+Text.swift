import Foundation

extension Comparison {
    /// The method in one sentence, for the console, the HTML page and the README.
    public var methodText: String {
        switch method {
        case .rankTest:
            "several runs per side: Mann-Whitney U test over per-run values; delta = Hodges–Lehmann shift "
                + "(median of HEAD−BASE pairs) with its distribution-free 95% interval; `~` when the interval holds 0"
        case .blockBootstrap:
            "one run per side: circular block bootstrap over seconds (blocks of ≈n^⅓ s, 2000 resamples, percentiles "
                + "recomputed from the resampled seconds' merged histograms); 95% percentile interval; `~` when it holds 0"
        }
    }

    /// A benchstat-like aligned table, then notes and the gate's outcome.
    public func text(gates: [Gate] = []) -> String {
        var lines = ["BASE: \(base.label) (\(base.runs.count) run\(base.runs.count == 1 ? "" : "s"))   "
                     + "HEAD: \(head.label) (\(head.runs.count) run\(head.runs.count == 1 ? "" : "s"))",
                     "method: \(methodText)", ""]
        var table: [[String]] = [["operation", "metric", "BASE", "HEAD", "delta", "95% interval", "", "p", "n (\(sampleUnit))"]]
        var previous = ""
        for row in rows {
            table.append([row.operation == previous ? "" : row.operation, row.metricName, Self.value(row.base, row), Self.value(row.head, row),
                          Self.delta(row.delta, relative: row.relative, row), Self.interval(row), row.verdict.rawValue,
                          row.p.map { ComparisonFormat.p($0) } ?? "", "\(row.baseSamples)+\(row.headSamples)"])
            previous = row.operation
        }
        let widths = (0 ..< table[0].count).map { column in table.map { $0[column].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [2, 3, 4, 7, 8]
        for cells in table {
            var line = ""
            for (column, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                line += (column == 0 ? "" : "  ") + (rightAligned.contains(column) ? pad + cell : cell + pad)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        if !notes.isEmpty { lines.append("") }
        for note in notes { lines.append("note: \(note)") }
        if !gates.isEmpty { lines.append("") }
        for gate in gates {
            if !gate.failed.isEmpty {
                lines.append("fail-on \(gate.rule): FAILED — \(gate.failed.joined(separator: ", ")) (the whole interval lies beyond the tolerance)")
            } else if !gate.undecided.isEmpty {
                lines.append("fail-on \(gate.rule): cannot decide — no interval for \(gate.undecided.joined(separator: ", "))")
            } else {
                lines.append("fail-on \(gate.rule): passed")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func value(_ value: Double, _ row: ComparisonRow) -> String {
        switch row.metric {
        case .rate: ComparisonFormat.fixed(value, value >= 100 ? 0 : 1) + "/s"
        case .errorRate: ComparisonFormat.fixed(value * 100, 2) + "%"
        default: ComparisonFormat.fixed(value, value >= 100 ? 1 : 3) + " ms"
        }
    }

    /// Relative when BASE is not 0 (error rates: always in percentage points).
    static func delta(_ delta: Double, relative: Double?, _ row: ComparisonRow) -> String {
        if row.metric == .errorRate { return ComparisonFormat.signed(delta * 100, 2) + "pp" }
        if let relative { return ComparisonFormat.signed(relative * 100, 1) + "%" }
        return ComparisonFormat.signed(delta, 3) + (row.metric == .rate ? "/s" : " ms")
    }

    static func interval(_ row: ComparisonRow) -> String {
        if row.metric != .errorRate, let r = row.relativeInterval {
            return "[" + ComparisonFormat.signed(r.lowerBound * 100, 1) + "%, " + ComparisonFormat.signed(r.upperBound * 100, 1) + "%]"
        }
        guard let i = row.interval else { return "—" }
        if row.metric == .errorRate { return "[" + ComparisonFormat.signed(i.lowerBound * 100, 2) + ", " + ComparisonFormat.signed(i.upperBound * 100, 2) + "]pp" }
        return "[" + ComparisonFormat.signed(i.lowerBound, 3) + ", " + ComparisonFormat.signed(i.upperBound, 3) + "]"
    }
}

/// Number formatting for comparison tables, locale-free.
enum ComparisonFormat {
    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", locale: Locale(identifier: "en_US_POSIX"), value)
    }

    static func signed(_ value: Double, _ digits: Int) -> String {
        let text = fixed(value, digits)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : "+" + text
    }

    static func p(_ value: Double) -> String {
        value < 0.001 ? "<0.001" : fixed(value, 3)
    }
}
