import Foundation
import Metrics

extension HTMLReport {
    /// What a run is called in legends: nothing for a single run, "run N" when runs overlay
    /// (the cards at the top say which folder is run N).
    func runName(_ index: Int) -> String {
        runs.count == 1 ? "" : "run \(index + 1)"
    }

    /// A legend name: "run 2 · p99", or just "p99" for a single run.
    func seriesName(_ run: Int, _ what: String) -> String {
        runs.count == 1 ? what : runName(run) + " · " + what
    }

    /// Plot ids and the data attributes are made from operation names: kept to [A-Za-z0-9._-].
    static func slug(_ name: String) -> String { ResultsFolder.fileSafe(name) }

    static func ms(_ us: Double) -> String {
        ConsoleSummary.ms(UInt64(max(us, 0).rounded())) + " ms"
    }

    // MARK: over time

    func timeSection() -> String {
        var s = "<section id=\"time\"><h2>Over time</h2>\n<p class=\"note\">Per second of the measured run: operations that ended "
            + "in that second, and the p50/p99 latency of those that got a response. The last second is usually partial.</p>\n"
        let lastSecond = runs.flatMap { $0.timeline.map(\.second) }.max() ?? 0
        let xScale = PlotScale.linear(min: 0, max: Double(lastSecond + 1))
        for name in operationNames {
            var throughput: [SVGPlot.Series] = []
            var latency: [SVGPlot.Series] = []
            for (index, run) in runs.enumerated() {
                let rows = run.timeline.filter { $0.operation == name }
                guard !rows.isEmpty else { continue }
                throughput.append(SVGPlot.Series(name: seriesName(index, "successful/s"), colour: colour(run: index, variant: 0),
                    points: rows.map { .init(x: Double($0.second), y: Double($0.completions), tip: "second \($0.second): \($0.completions) successful") }))
                if rows.contains(where: { $0.errors > 0 }) {
                    throughput.append(SVGPlot.Series(name: seriesName(index, "failed/s"), colour: colour(run: index, variant: 1), dashed: true,
                        points: rows.map { .init(x: Double($0.second), y: Double($0.errors), tip: "second \($0.second): \($0.errors) failed") }))
                }
                let answered = rows.filter { $0.p99Us > 0 }
                latency.append(SVGPlot.Series(name: seriesName(index, "p99"), colour: colour(run: index, variant: 1),
                    points: answered.map { .init(x: Double($0.second), y: Double($0.p99Us) / 1000, tip: "second \($0.second): p99 \(Self.ms(Double($0.p99Us)))") }))
                latency.append(SVGPlot.Series(name: seriesName(index, "p50"), colour: colour(run: index, variant: 0), dashed: true,
                    points: answered.map { .init(x: Double($0.second), y: Double($0.p50Us) / 1000, tip: "second \($0.second): p50 \(Self.ms(Double($0.p50Us)))") }))
            }
            s += "<div class=\"plots\">\n"
            s += SVGPlot(id: "throughput-\(Self.slug(name))", title: "\(name): throughput", xLabel: "time since start (s)",
                         yLabel: "operations per second", series: throughput, xScale: xScale).svg() + "\n"
            s += SVGPlot(id: "latency-\(Self.slug(name))", title: "\(name): latency per second", xLabel: "time since start (s)",
                         yLabel: "latency (ms)", series: latency, xScale: xScale).svg() + "\n"
            s += "</div>\n"
        }
        return s + "</section>\n"
    }

    // MARK: by percentile

    /// A histogram's percentile distribution as points: one per recorded bucket, at the percentile where
    /// that bucket starts (the fraction of values below it) and its value in ms — the last bucket at the
    /// exact maximum. Drawn as steps, so the curve reads like HdrHistogram's plotter.
    public static func percentilePoints(_ histogram: EncodedHistogram) -> [SVGPlot.Point] {
        guard histogram.totalCount > 0 else { return [] }
        // Every recorded value is a step, but a long run records thousands: one drawn (and titled)
        // point per 1% of latency or per hundredth of a decade of 1/(1−p) is as exact to the eye and
        // keeps report.html small (a 20,000-operation run's page was 0.6 MB, most of its writing time).
        var points: [SVGPlot.Point] = []
        var below: UInt64 = 0
        var keptDecades = -1.0, keptUs = 0.0
        let last = histogram.values.count - 1
        for (index, value) in histogram.values.enumerated() {
            let us = index == last ? max(histogram.maxRecorded, value) : value
            let p = Double(below) / Double(histogram.totalCount)
            below += histogram.counts[index]
            let decades = p < 1 ? -log10(1 - p) : .infinity
            guard index == 0 || index == last || decades - keptDecades >= 0.01 || Double(us) >= keptUs * 1.01 else { continue }
            keptDecades = decades
            keptUs = Double(us)
            let upTo = Double(below) / Double(histogram.totalCount)
            points.append(.init(x: p, y: Double(us) / 1000, tip: "\(Self.ms(Double(us))) up to p\(percentText(upTo))"))
        }
        return points
    }

    /// A percentile as text with the digits that matter ("99.9", "99.9875", "100").
    static func percentText(_ fraction: Double) -> String {
        if fraction >= 1 { return "100" }
        // Four decimals, rounded, trailing zeros dropped — by integer arithmetic: a formatter with a
        // locale per point cost more than the run itself on a histogram with thousands of values.
        let tenThousandths = UInt64((max(0, fraction) * 1_000_000).rounded())
        let whole = tenThousandths / 10_000
        var decimals = tenThousandths % 10_000
        if decimals == 0 { return "\(whole)" }
        var width = 4
        while decimals % 10 == 0 {
            decimals /= 10
            width -= 1
        }
        let digits = String(decimals)
        return "\(whole)." + String(repeating: "0", count: width - digits.count) + digits
    }

    func percentileSection() -> String {
        var s = "<section id=\"percentiles\"><h2>Latency by percentile</h2>\n<p class=\"note\">Total latency per operation on HdrHistogram's "
            + "log axis (0%, 90%, 99%, 99.9% … evenly spaced): from the intended start (corrected, solid) and from the actual start "
            + "(uncorrected, dashed).</p>\n<div class=\"plots\">\n"
        for name in operationNames {
            var series: [SVGPlot.Series] = []
            for (index, run) in runs.enumerated() {
                guard let op = run.result.metrics.operations.first(where: { $0.name == name }) else { continue }
                if let corrected = op.histograms[Phase.total.rawValue] {
                    series.append(SVGPlot.Series(name: seriesName(index, "corrected"), colour: colour(run: index, variant: 0), steps: true,
                                                 points: Self.percentilePoints(corrected)))
                }
                if let uncorrected = op.histograms[OperationMetrics.uncorrectedTotalKey] {
                    series.append(SVGPlot.Series(name: seriesName(index, "uncorrected"), colour: colour(run: index, variant: 1), dashed: true, steps: true,
                                                 points: Self.percentilePoints(uncorrected)))
                }
            }
            let highest = series.flatMap { $0.points.map(\.x) }.max() ?? 0
            s += SVGPlot(id: "percentiles-\(Self.slug(name))", title: "\(name): latency by percentile", xLabel: "percentile (log scale of 1/(1−p))",
                         yLabel: "latency (ms)", series: series, xScale: .percentile(nines: PlotScale.nines(toShow: highest))).svg() + "\n"
        }
        return s + "</div></section>\n"
    }

    // MARK: phases

    static let phaseColours: [(Phase, String)] = [
        (.connect, "#56B4E9"), (.tls, "#0072B2"), (.signing, "#CC79A7"), (.requestWritten, "#E69F00"), (.firstByte, "#D55E00"), (.complete, "#009E73"),
    ]

    func phaseSection() -> String {
        var s = "<section id=\"phases\"><h2>Phases</h2>\n<p class=\"note\">Where the time goes: each phase's own p50 and p99, side by side "
            + "(a stack of percentiles, not the percentile of the sum). A phase measured on fewer than one operation in ten (connect "
            + "and TLS on kept-alive connections) is named under its chart, not stacked: its percentiles are not those of the "
            + "operations drawn.</p>\n<div class=\"plots\">\n"
        for name in operationNames {
            var bars: [SVGStackedBars.Bar] = []
            var used: [Phase] = []
            var rare: [String] = []
            for (index, run) in runs.enumerated() {
                guard let op = run.result.metrics.operations.first(where: { $0.name == name }) else { continue }
                let answered = op.latency[Phase.total.rawValue]?.count ?? 0
                for (phase, _) in Self.phaseColours {
                    guard let latency = op.latency[phase.rawValue], latency.count > 0, latency.count * 10 < answered else { continue }
                    rare.append("\(runs.count == 1 ? "" : runName(index) + ": ")\(phase.rawValue) measured on \(latency.count) of \(answered) "
                                + "(p50 \(Self.ms(Double(latency.p50Us))), p99 \(Self.ms(Double(latency.p99Us))))")
                }
                for (label, pick) in [("p50", \LatencySummary.p50Us), ("p99", \LatencySummary.p99Us)] {
                    var segments: [SVGStackedBars.Segment] = []
                    for (phase, colour) in Self.phaseColours {
                        guard let latency = op.latency[phase.rawValue], latency.count > 0, latency.count * 10 >= answered else { continue }
                        if !used.contains(phase) { used.append(phase) }
                        let us = Double(latency[keyPath: pick])
                        segments.append(.init(name: phase.rawValue, value: us / 1000, colour: colour, tip: Self.ms(us)))
                    }
                    bars.append(.init(label: runs.count == 1 ? label : "\(runName(index)) \(label)", segments: segments))
                }
            }
            let legend = Self.phaseColours.filter { used.contains($0.0) }.map { (name: $0.0.rawValue, colour: $0.1) }
            s += "<div>" + SVGStackedBars(id: "phases-\(Self.slug(name))", title: "\(name): phases", xLabel: "latency (ms)", bars: bars, legend: legend).svg()
            if !rare.isEmpty { s += "<p class=\"note\">Not stacked: \(HTML.escape(rare.joined(separator: "; ")))</p>" }
            s += "</div>\n"
        }
        return s + "</div></section>\n"
    }

    // MARK: capacity search

    func searchSection() -> String {
        let searches = runs.enumerated().compactMap { index, run in run.search.map { (index, $0) } }
        guard !searches.isEmpty else { return "" }
        var s = "<section id=\"search\"><h2>Capacity search</h2>\n"
        var achieved: [SVGPlot.Series] = []
        var p99: [SVGPlot.Series] = []
        var markers: [SVGPlot.Marker] = []
        var highest = 0.0
        for (index, search) in searches {
            let steps = search.steps
            highest = max(highest, steps.map(\.offered).max() ?? 0, steps.compactMap(\.achieved).max() ?? 0)
            let withAchieved = steps.filter { $0.achieved != nil }
            achieved.append(SVGPlot.Series(name: seriesName(index, "achieved"), colour: colour(run: index, variant: 0),
                points: withAchieved.map { .init(x: $0.offered, y: $0.achieved ?? 0, tip: "offered \(ThresholdVerdict.format($0.offered))/s: achieved \(ThresholdVerdict.format($0.achieved ?? 0))/s") }))
            let names = Set(steps.flatMap(\.p99Ms.keys)).sorted()
            for (variant, name) in names.enumerated() {
                let points = steps.compactMap { step in
                    step.p99Ms[name].map { SVGPlot.Point(x: step.offered, y: $0, tip: "offered \(ThresholdVerdict.format(step.offered))/s: p99 \(ThresholdVerdict.format($0)) ms") }
                }
                p99.append(SVGPlot.Series(name: seriesName(index, "\(name) p99"), colour: colour(run: index, variant: runs.count == 1 ? variant : 0),
                                          dashed: runs.count > 1 && variant % 2 == 1, points: points))
            }
            if let knee = search.maxSustainableRate {
                markers.append(.init(x: knee, label: "\(runs.count == 1 ? "" : runName(index) + " ")max sustainable \(ThresholdVerdict.format(knee))/s",
                                     colour: colour(run: index, variant: runs.count == 1 ? 2 : 0)))
            }
        }
        let scale = PlotScale.niceDomain(max: highest, maxCount: 6)
        let ideal = SVGPlot.Series(name: "achieved = offered", colour: "#999999", dashed: true,
                                   points: [.init(x: 0, y: 0, tip: "0"), .init(x: highest, y: highest, tip: ThresholdVerdict.format(highest))])
        s += "<div class=\"plots\">\n"
        s += SVGPlot(id: "search-rate", title: "Achieved vs offered rate", xLabel: "offered rate (operations/s)", yLabel: "achieved rate (operations/s)",
                     series: achieved + [ideal], xScale: scale, yScale: scale, markers: markers).svg() + "\n"
        s += SVGPlot(id: "search-p99", title: "p99 latency vs offered rate", xLabel: "offered rate (operations/s)", yLabel: "p99 latency (ms)",
                     series: p99, xScale: scale, markers: markers).svg() + "\n"
        s += "</div>\n"
        for (index, search) in searches {
            s += "<table class=\"grid search-steps\"><tr>" + (runs.count > 1 ? "<th>run</th>" : "")
                + "<th>offered/s</th><th>achieved/s</th><th>error rate</th><th>p99 (ms)</th><th>held</th><th>what broke</th></tr>\n"
            for step in search.steps {
                let p99Text = step.p99Ms.sorted { $0.key < $1.key }.map { "\(HTML.escape($0.key)) \(ThresholdVerdict.format($0.value))" }.joined(separator: ", ")
                let held = step.passed.map { $0 ? "<span class=\"good\">yes</span>" : "<span class=\"bad\">no</span>" } ?? "-"
                s += "<tr data-step=\"\(ThresholdVerdict.format(step.offered))\">" + (runs.count > 1 ? "<td>\(HTML.escape(runName(index)))</td>" : "")
                    + "<td class=\"num\">\(ThresholdVerdict.format(step.offered))</td><td class=\"num\">\(step.achieved.map(ThresholdVerdict.format) ?? "-")</td>"
                    + "<td class=\"num\">\(step.errorRate.map { Self.percent($0) } ?? "-")</td><td>\(p99Text.isEmpty ? "-" : p99Text)</td>"
                    + "<td>\(held)</td><td>\(HTML.escape(step.broke ?? ""))</td></tr>\n"
            }
            s += "</table>\n"
            if let knee = search.maxSustainableRate {
                s += "<p>\(runs.count > 1 ? HTML.escape(runName(index)) + ": " : "")maximum sustainable rate <b>\(ThresholdVerdict.format(knee))/s</b></p>\n"
            }
        }
        return s + "</section>\n"
    }
}
