import Foundation
import Metrics

extension Comparison {
    /// `--json`: the comparison as one object (values in each row's unit; intervals as [low, high]).
    public func jsonText(gates: [Gate], exitCode: Int32) throws(ReportError) -> String {
        struct Side: Encodable {
            var label: String
            var runs: [String]
        }
        struct Document: Encodable {
            var base: Side
            var head: Side
            var method: Method
            var methodText: String
            var confidence: Double
            var sampleUnit: String
            var rows: [ComparisonRow]
            var notes: [String]
            var gates: [Gate]
            var passed: Bool
            var exitCode: Int32
        }
        let document = Document(base: Side(label: base.label, runs: base.runs.map(\.report.label)),
                                head: Side(label: head.label, runs: head.runs.map(\.report.label)),
                                method: method, methodText: methodText, confidence: Self.confidence, sampleUnit: sampleUnit,
                                rows: rows, notes: notes, gates: gates, passed: gates.allSatisfy(\.passed), exitCode: exitCode)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        } catch {
            throw .encoding(path: "--json", reason: String(describing: error))
        }
    }

    /// `--html FILE`: a self-contained page with the table (verdicts coloured), the gate, and every
    /// operation's latency by percentile, BASE's runs and HEAD's overlaid.
    public func html(gates: [Gate]) -> String {
        let title = "estbench compare — \(base.label) vs \(head.label)"
        var page = "<p>BASE: \(HTML.escape(base.label)) (\(base.runs.count) run(s)) · HEAD: \(HTML.escape(head.label)) (\(head.runs.count) run(s))</p>\n"
        page += "<p class=\"note\">\(HTML.escape(methodText))</p>\n"
        page += "<section id=\"comparison\"><h2>Comparison</h2>\n<table class=\"grid\">\n<thead><tr><th>operation</th><th>metric</th><th>BASE</th><th>HEAD</th>"
            + "<th>delta</th><th>95% interval</th><th>verdict</th><th>p</th><th>n (\(sampleUnit))</th></tr></thead>\n<tbody>\n"
        for row in rows {
            page += "<tr><td>\(HTML.escape(row.operation))</td><td>\(HTML.escape(row.metricName))</td>"
                + "<td class=\"num\">\(HTML.escape(Self.value(row.base, row)))</td><td class=\"num\">\(HTML.escape(Self.value(row.head, row)))</td>"
                + "<td class=\"num\">\(HTML.escape(Self.delta(row.delta, relative: row.relative, row)))</td><td class=\"num\">\(HTML.escape(Self.interval(row)))</td>"
                + "<td class=\"\(row.verdict == .worse ? "worse" : row.verdict == .better ? "better" : "")\">\(HTML.escape(row.verdict.rawValue))</td>"
                + "<td class=\"num\">\(row.p.map { ComparisonFormat.p($0) } ?? "")</td><td class=\"num\">\(row.baseSamples)+\(row.headSamples)</td></tr>\n"
        }
        page += "</tbody>\n</table>\n"
        for note in notes { page += "<p class=\"note\">\(HTML.escape(note))</p>\n" }
        for gate in gates {
            let outcome = !gate.failed.isEmpty ? "FAILED: " + gate.failed.joined(separator: ", ")
                : !gate.undecided.isEmpty ? "cannot decide: " + gate.undecided.joined(separator: ", ") : "passed"
            page += "<p>fail-on <code>\(HTML.escape(gate.rule))</code>: \(HTML.escape(outcome))</p>\n"
        }
        page += "</section>\n"
        var runs: [ReportRun] = []
        for (side, prefix) in [(base, "BASE"), (head, "HEAD")] {
            for run in side.runs {
                var labelled = run.report
                labelled.label = "\(prefix) \(run.report.label)"
                runs.append(labelled)
            }
        }
        page += HTMLReport(runs: runs).percentileSection()
        page += "<footer>Written by estbench compare. Latencies are from the intended start (corrected for coordinated omission).</footer>\n"
        return HTMLReport.page(title: title, extraCSS: "td.worse{color:#b00020;font-weight:600}td.better{color:#1b7f3b;font-weight:600}td.num{text-align:right}",
                               body: page)
    }
}
