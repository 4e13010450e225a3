/// Horizontal stacked bars as inline SVG: one bar per label (e.g. "p50", "p99" of a run), its segments
/// side by side (e.g. the phases of an operation), with a legend of segment names and a labelled axis.
/// Each bar is a `<g data-bar data-segments>` and each segment a `<rect data-segment>` with a `<title>`.
public struct SVGStackedBars: Sendable {
    public struct Segment: Sendable {
        public var name: String
        public var value: Double
        public var colour: String
        public var tip: String

        public init(name: String, value: Double, colour: String, tip: String) {
            self.name = name
            self.value = value
            self.colour = colour
            self.tip = tip
        }
    }

    public struct Bar: Sendable {
        public var label: String
        public var segments: [Segment]

        public init(label: String, segments: [Segment]) {
            self.label = label
            self.segments = segments
        }
    }

    public var id: String
    public var title: String
    public var xLabel: String
    public var bars: [Bar]
    /// Legend: segment names and colours, in order.
    public var legend: [(name: String, colour: String)]
    public var width = 620.0

    public init(id: String, title: String, xLabel: String, bars: [Bar], legend: [(name: String, colour: String)]) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.bars = bars
        self.legend = legend
    }

    static let barHeight = 22.0
    static let gap = 10.0

    var labelWidth: Double { min(Double(bars.map(\.label.count).max() ?? 4) * SVGPlot.charWidth + 12, 260) }
    var legendRows: [[Int]] {
        SVGPlot.legendRows(itemWidths: legend.map { SVGPlot.legendItemWidth($0.name, mark: 18) }, available: width - labelWidth - 20)
    }

    var top: Double { 34 + Double(legendRows.count) * 18 }
    var height: Double { top + Double(bars.count) * (Self.barHeight + Self.gap) + 48 }

    public func svg() -> String {
        let left = labelWidth
        let plotWidth = width - left - 18
        let total = bars.map { $0.segments.reduce(0) { $0 + $1.value } }.max() ?? 0
        let scale = PlotScale.niceDomain(max: total, maxCount: 6)
        func x(_ value: Double) -> Double { left + scale.fraction(value) * plotWidth }
        var s = "<svg class=\"plot bars\" data-plot=\"\(HTML.escape(id))\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "viewBox=\"0 0 \(SVGPlot.n(width)) \(SVGPlot.n(height))\" width=\"\(SVGPlot.n(width))\" height=\"\(SVGPlot.n(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">\n"
        s += "<text class=\"title\" x=\"\(SVGPlot.n(left))\" y=\"18\">\(HTML.escape(title))</text>\n"
        for (row, indices) in legendRows.enumerated() {
            var lx = left
            let y = 36 + Double(row) * 18
            for index in indices {
                let item = legend[index]
                s += "<g class=\"legend-item\"><rect x=\"\(SVGPlot.n(lx))\" y=\"\(SVGPlot.n(y - 10))\" width=\"12\" height=\"12\" fill=\"\(item.colour)\"/>"
                    + "<text x=\"\(SVGPlot.n(lx + 18))\" y=\"\(SVGPlot.n(y))\">\(HTML.escape(item.name))</text></g>\n"
                lx += SVGPlot.legendItemWidth(item.name, mark: 18)
            }
        }
        let bottom = top + Double(bars.count) * (Self.barHeight + Self.gap)
        var ticks = scale.ticks(maxCount: max(Int(plotWidth / 60), 2))
        while ticks.count > 2, SVGPlot.labelsOverlap(ticks.map { (x($0.value), $0.label) }) {
            ticks = scale.ticks(maxCount: ticks.count - 2)
        }
        s += "<g class=\"axes\">\n"
        for tick in ticks {
            s += "<line class=\"grid\" x1=\"\(SVGPlot.n(x(tick.value)))\" y1=\"\(SVGPlot.n(top))\" x2=\"\(SVGPlot.n(x(tick.value)))\" y2=\"\(SVGPlot.n(bottom))\"/>"
                + "<text class=\"tick\" x=\"\(SVGPlot.n(x(tick.value)))\" y=\"\(SVGPlot.n(bottom + 16))\" text-anchor=\"middle\">\(HTML.escape(tick.label))</text>\n"
        }
        s += "<text class=\"axis-label\" x=\"\(SVGPlot.n(left + plotWidth / 2))\" y=\"\(SVGPlot.n(height - 8))\" text-anchor=\"middle\">\(HTML.escape(xLabel))</text>\n</g>\n"
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * (Self.barHeight + Self.gap) + Self.gap / 2
            s += "<g class=\"bar\" data-bar=\"\(HTML.escape(bar.label))\" data-segments=\"\(bar.segments.count)\">"
                + "<text class=\"tick\" x=\"\(SVGPlot.n(left - 6))\" y=\"\(SVGPlot.n(y + Self.barHeight / 2 + 4))\" text-anchor=\"end\">\(HTML.escape(bar.label))</text>\n"
            var start = 0.0
            for segment in bar.segments {
                let x0 = x(start), x1 = x(start + segment.value)
                s += "<rect data-segment=\"\(HTML.escape(segment.name))\" x=\"\(SVGPlot.n(x0))\" y=\"\(SVGPlot.n(y))\" width=\"\(SVGPlot.n(max(x1 - x0, 0)))\" height=\"\(SVGPlot.n(Self.barHeight))\" fill=\"\(segment.colour)\">"
                    + "<title>\(HTML.escape(bar.label + " " + segment.name + ": " + segment.tip))</title></rect>\n"
                start += segment.value
            }
            s += "</g>\n"
        }
        return s + "</svg>"
    }
}
