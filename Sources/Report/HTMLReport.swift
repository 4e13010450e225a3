import Foundation
import Metrics

/// report.html: one self-contained page (inline CSS and SVG, nothing from the network, no JavaScript
/// needed) for one run or several overlaid — header, per-operation table, errors and findings, TLS,
/// throughput and latency over time, latency by percentile, phase breakdown and the capacity search.
/// Every string from result.json is escaped.
public struct HTMLReport: Sendable {
    public var runs: [ReportRun]

    public init(runs: [ReportRun]) {
        self.runs = runs
    }

    /// Line colours: one per run when runs overlay, else one per series of a run (colour-blind safe).
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#333333", "#8C564B"]

    /// Colour of series `variant` of run `run`.
    func colour(run: Int, variant: Int) -> String {
        Self.palette[(runs.count == 1 ? variant : run) % Self.palette.count]
    }

    /// Operation names over every run, in first-seen order.
    var operationNames: [String] {
        var names: [String] = []
        for run in runs { for op in run.result.metrics.operations where !names.contains(op.name) { names.append(op.name) } }
        return names
    }

    public func html() -> String {
        let title = runs.count == 1 ? "estbench — \(runs[0].profileName) — \(runs[0].result.startTime)" : "estbench — \(runs.count) runs"
        var page = header()
        page += operationsTable()
        page += errorsSection()
        page += tlsSection()
        page += searchSection()
        page += timeSection()
        page += percentileSection()
        page += phaseSection()
        page += "<footer>Written by estbench \(HTML.escape(runs.first?.result.estbenchVersion ?? "")). Latencies are from the intended start "
            + "(corrected for coordinated omission) unless marked uncorrected. Hover a point for its value.</footer>\n"
        return Self.page(title: title, body: page)
    }

    /// A self-contained page: `title` as its title and heading, the report's style sheet (plus
    /// `extraCSS`), then `body` (what `report` and `compare --html` write).
    static func page(title: String, extraCSS: String = "", body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>\(HTML.escape(title))</title>\n<style>\n\(css)\(extraCSS)</style>\n</head>\n<body>\n<main>\n"
            + "<h1>\(HTML.escape(title))</h1>\n" + body + "</main>\n</body>\n</html>\n"
    }

    // MARK: header

    func header() -> String {
        var s = "<section id=\"runs\"><h2>\(runs.count == 1 ? "Run" : "Runs")</h2>\n<div class=\"cards\">\n"
        for (index, run) in runs.enumerated() {
            let r = run.result
            var rows: [(String, String)] = [
                ("profile", HTML.escape(run.profileName)),
                ("target", HTML.escape(run.target)),
                ("start", HTML.escape(r.startTime)),
                ("duration", "\(ConsoleSummary.seconds(r.durationNs)) s" + (r.interrupted ? " <b class=\"bad\">(interrupted)</b>" : "")),
                ("load", HTML.escape(r.plan["profile"]?["load"]?.text ?? "?")),
                ("environment", HTML.escape("\(r.environment.openSSLVersion); \(r.environment.libuvVersion.hasPrefix("libuv") ? "" : "libuv ")\(r.environment.libuvVersion); \(r.environment.cpuCount) cores (\(r.environment.cpuModel))")),
                ("estbench", HTML.escape(r.estbenchVersion)),
            ]
            if let tool = r.tool {
                rows.append(("estbench's own use", HTML.escape("\(tool.threads) load thread(s), CPU \(ConsoleSummary.ms(tool.cpuNs / 1_000_000)) s "
                    + "(\(ConsoleSummary.oneDecimal(Double(tool.cpuNsPerOperation) / 1000)) us per operation), "
                    + "peak RSS \(tool.peakRSSBytes >> 20) MiB, \(tool.endRSSBytes >> 20) MiB at the end")))
            }
            if let reason = run.abortReason { rows.append(("aborted", "<b class=\"bad\">\(HTML.escape(reason))</b>")) }
            if let verdict = run.verdict {
                let word = verdict.passed.map { $0 ? "<b class=\"good\">PASS</b>" : "<b class=\"bad\">FAIL</b>" } ?? "?"
                rows.append(("verdict", word))
            }
            let swatch = runs.count > 1 ? "<span class=\"swatch\" style=\"background:\(colour(run: index, variant: 0))\"></span>" : ""
            let heading = runs.count > 1 ? "\(runName(index)): \(run.label)" : run.label
            s += "<div class=\"card\" data-run=\"\(HTML.escape(run.label))\"><h3>\(swatch)\(HTML.escape(heading))</h3>\n<table class=\"kv\">\n"
            for (key, value) in rows { s += "<tr><th>\(HTML.escape(key))</th><td>\(value)</td></tr>\n" }
            s += "</table>\n"
            if let verdict = run.verdict, !verdict.rows.isEmpty {
                s += "<table class=\"verdict\"><tr><th>threshold</th><th>measured</th><th></th></tr>\n"
                for row in verdict.rows {
                    let mark = row.passed.map { $0 ? "<span class=\"good\">held</span>" : "<span class=\"bad\">failed</span>" } ?? "?"
                    s += "<tr><td>\(HTML.escape(row.threshold))</td><td class=\"num\">\(HTML.escape(row.measured))</td><td>\(mark)</td></tr>\n"
                }
                s += "</table>\n"
            }
            if !r.warnings.isEmpty {
                s += "<ul class=\"warnings\">" + r.warnings.map { "<li>warning: \(HTML.escape($0))</li>" }.joined() + "</ul>\n"
            }
            s += "</div>\n"
        }
        return s + "</div></section>\n"
    }

    // MARK: tables

    func operationsTable() -> String {
        var s = "<section id=\"operations\"><h2>Operations</h2>\n<p class=\"note\">Latency in ms from the intended start (corrected); "
            + "rates per second of measured duration.</p>\n<table class=\"grid\">\n<tr>"
        if runs.count > 1 { s += "<th>run</th>" }
        s += "<th>operation</th><th>attempted/s</th><th>successful/s</th><th>success</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>errors</th></tr>\n"
        for (index, run) in runs.enumerated() {
            let seconds = Double(run.result.durationNs) / 1e9
            for op in run.result.metrics.operations {
                let total = op.latency[Phase.total.rawValue]
                let successes = op.count - op.errors
                s += "<tr data-operation=\"\(HTML.escape(op.name))\">"
                if runs.count > 1 {
                    s += "<td><span class=\"swatch\" style=\"background:\(colour(run: index, variant: 0))\"></span>\(HTML.escape(runName(index)))</td>"
                }
                s += "<td>\(HTML.escape(op.name))</td>"
                s += "<td class=\"num\">\(ConsoleSummary.oneDecimal(op.ratePerSecond))</td>"
                s += "<td class=\"num\">\(ConsoleSummary.oneDecimal(seconds > 0 ? Double(successes) / seconds : 0))</td>"
                s += "<td class=\"num\">\(op.count == 0 ? "-" : Self.percent(Double(successes) / Double(op.count)))</td>"
                for value in [total?.p50Us, total?.p90Us, total?.p99Us, total?.p999Us, total?.maxUs] {
                    s += "<td class=\"num\">\(ConsoleSummary.ms(value))</td>"
                }
                s += "<td>\(Self.reasonsCell(op))</td></tr>\n"
            }
        }
        return s + "</table></section>\n"
    }

    /// Error counts by class, each with its most frequent reasons.
    static func reasonsCell(_ op: OperationSummary) -> String {
        let errors = op.counters.filter { Outcome(key: $0.key)?.isError ?? true }.sorted { $0.key < $1.key }
        if errors.isEmpty { return "-" }
        return errors.map { key, count in
            var text = "<b>\(HTML.escape(key))</b> ×\(count)"
            let ranked = op.reasons?.ranked(key) ?? []
            if !ranked.isEmpty {
                text += ": " + ranked.prefix(3).map { "\(HTML.escape($0.reason)) ×\($0.tally.count)" }.joined(separator: ", ")
                if ranked.count > 3 { text += ", \(ranked.count - 3) more" }
            }
            return text
        }.joined(separator: "<br>")
    }

    func errorsSection() -> String {
        var rows = ""
        for (index, run) in runs.enumerated() {
            let prefix = runs.count > 1 ? "<td>\(HTML.escape(runName(index)))</td>" : ""
            for op in run.result.metrics.operations {
                guard let reasons = op.reasons else { continue }
                for outcome in reasons.byOutcome.keys.sorted() {
                    for entry in reasons.ranked(outcome) {
                        rows += "<tr class=\"error\">\(prefix)<td>\(HTML.escape(op.name))</td><td>\(HTML.escape(outcome))</td><td>\(HTML.escape(entry.reason))</td>"
                            + "<td class=\"num\">\(entry.tally.count)</td><td class=\"example\">\(HTML.escape(entry.tally.example))</td></tr>\n"
                    }
                }
            }
            for (kind, finding) in run.result.findings.sorted(by: { $0.key < $1.key }) {
                rows += "<tr class=\"finding\">\(prefix)<td>-</td><td>finding</td><td>\(HTML.escape(kind))</td>"
                    + "<td class=\"num\">\(finding.count)</td><td class=\"example\">\(HTML.escape(finding.example))</td></tr>\n"
            }
        }
        var s = "<section id=\"errors\"><h2>Errors and findings</h2>\n"
        if rows.isEmpty { return s + "<p>No errors, no findings.</p></section>\n" }
        s += "<p class=\"note\">Findings are deviations from RFC 7030 / RFC 8951 accepted leniently. Each row shows the first example seen.</p>\n"
        s += "<table class=\"grid\"><tr>" + (runs.count > 1 ? "<th>run</th>" : "")
            + "<th>operation</th><th>class</th><th>reason</th><th>count</th><th>example</th></tr>\n"
        return s + rows + "</table></section>\n"
    }

    func tlsSection() -> String {
        var s = "<section id=\"tls\"><h2>TLS</h2>\n<table class=\"grid\"><tr>" + (runs.count > 1 ? "<th>run</th>" : "")
            + "<th>handshakes</th><th>versions</th><th>groups</th><th>resumed</th><th>HelloRetryRequests</th></tr>\n"
        for (index, run) in runs.enumerated() {
            let t = run.result.tls
            func counts(_ map: [String: UInt64]) -> String {
                map.isEmpty ? "-" : map.sorted { $0.key < $1.key }.map { "\(HTML.escape($0.key)) ×\($0.value)" }.joined(separator: ", ")
            }
            s += "<tr>" + (runs.count > 1 ? "<td>\(HTML.escape(runName(index)))</td>" : "")
                + "<td class=\"num\">\(t.handshakes)</td><td>\(counts(t.versions))</td><td>\(counts(t.groups))</td>"
                + "<td class=\"num\">\(t.resumed) (\(Self.percent(t.resumptionRatio)))</td><td class=\"num\">\(t.helloRetryRequests)</td></tr>\n"
        }
        return s + "</table></section>\n"
    }

    /// "99.5%" (one decimal; "100%" and "0%" without).
    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        let tenths = (fraction * 1000).rounded()
        if tenths == 1000 { return "100%" }
        if tenths == 0 { return fraction > 0 ? "<0.1%" : "0%" }
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }

    static let css = """
    :root { color-scheme: light; }
    body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222; background: #fff; margin: 0; }
    main { max-width: 1260px; margin: 0 auto; padding: 12px 10px 40px; }
    h1 { font-size: 20px; margin: 4px 0 12px; }
    h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
    h3 { font-size: 14px; margin: 0 0 6px; word-break: break-all; }
    .note { color: #555; margin: 2px 0 8px; }
    .cards { display: flex; flex-wrap: wrap; gap: 12px; }
    .card { border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; flex: 1 1 560px; max-width: 100%; box-sizing: border-box; }
    table { border-collapse: collapse; }
    table.kv th { text-align: left; font-weight: 600; padding: 2px 12px 2px 0; vertical-align: top; white-space: nowrap; }
    table.kv td { padding: 2px 0; overflow-wrap: anywhere; }
    table.grid, table.verdict { margin-top: 6px; }
    table.grid th, table.grid td, table.verdict th, table.verdict td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }
    table.grid th, table.verdict th { background: #f4f4f4; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.example { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: anywhere; max-width: 560px; }
    .good { color: #1a7f37; } .bad { color: #c62828; }
    ul.warnings { margin: 6px 0 0; padding-left: 18px; color: #8a5a00; }
    .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
    .plots { display: flex; flex-wrap: wrap; gap: 8px 12px; }
    svg.plot { max-width: 100%; height: auto; background: #fff; border: 1px solid #eee; }
    svg.plot text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #333; }
    svg.plot text.title { font-weight: 600; font-size: 13px; }
    svg.plot text.tick { font-size: 11px; fill: #555; }
    svg.plot .grid { stroke: #e6e6e6; stroke-width: 1; }
    svg.plot .frame { fill: none; stroke: #999; }
    svg.plot .pt { fill: transparent; }
    svg.plot .pt:hover { fill: var(--c); }
    svg.plot text.empty { fill: #999; }
    svg.plot text.marker-label { font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
    footer { color: #666; margin-top: 28px; font-size: 12px; }

    """
}
