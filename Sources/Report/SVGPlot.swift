import Foundation

/// A line chart as inline SVG, written by us (no charting library): axes with nice ticks (or the
/// "1/(1−p)" percentile axis), labelled with units, a legend, lines (solid, dashed, steps) and vertical
/// markers. Every series is a `<g data-series data-points>` holding one `<circle data-point>` per point,
/// with a `<title>` for hover (no JavaScript needed) — which is also what the browser test counts.
public struct SVGPlot: Sendable {
    /// One point and what its tooltip says.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var tip: String

        public init(x: Double, y: Double, tip: String) {
            self.x = x
            self.y = y
            self.tip = tip
        }
    }

    /// One line.
    public struct Series: Sendable {
        public var name: String
        public var colour: String
        public var dashed: Bool
        /// Drawn as a staircase (a percentile distribution: each value holds until the next point),
        /// the last step extended to the axis end.
        public var steps: Bool
        public var points: [Point]

        public init(name: String, colour: String, dashed: Bool = false, steps: Bool = false, points: [Point]) {
            self.name = name
            self.colour = colour
            self.dashed = dashed
            self.steps = steps
            self.points = points
        }
    }

    /// A vertical line at `x` with a label (e.g. the capacity knee).
    public struct Marker: Sendable {
        public var x: Double
        public var label: String
        public var colour: String
    }

    public let id: String
    public let title: String
    public let xLabel: String
    public let yLabel: String
    public let xScale: PlotScale
    public let yScale: PlotScale
    public let series: [Series]
    public let markers: [Marker]
    public let width = 620.0
    public let height = 320.0
    /// The legend's rows (indices into `series`) and the plot area's top edge below them: laid out once.
    let legendLayout: [[Int]]
    let top: Double

    /// A plot whose linear axes fit the data (y from 0; x from the smallest x, or 0); pass a scale to fix one.
    public init(id: String, title: String, xLabel: String, yLabel: String, series: [Series],
                xScale: PlotScale? = nil, yScale: PlotScale? = nil, markers: [Marker] = []) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.markers = markers
        let xs = series.flatMap { $0.points.map(\.x) } + markers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) }
        self.xScale = xScale ?? .linear(min: Swift.min(xs.min() ?? 0, 0), max: Swift.max(xs.max() ?? 1, (xs.min() ?? 0) + 1))
        self.yScale = yScale ?? PlotScale.niceDomain(max: ys.max() ?? 0, maxCount: 6)
        legendLayout = Self.legendRows(itemWidths: series.map { Self.legendItemWidth($0.name, mark: 34) },
                                       available: width - Self.left - Self.right)
        top = 34 + Double(legendLayout.count) * 18
    }

    /// Rough width of one character of the 11–12 px sans-serif labels (generous, so estimates never underlap).
    static let charWidth = 7.0
    static let left = 70.0
    static let right = 24.0
    static let bottom = 48.0

    /// Width of a legend item: its mark (line or swatch, with the space after it), its name and a gap.
    static func legendItemWidth(_ name: String, mark: Double) -> Double {
        mark + Double(name.count) * charWidth + 14
    }

    /// Rows of a legend: items of the given widths laid out left to right, wrapping at `available`.
    static func legendRows(itemWidths: [Double], available: Double) -> [[Int]] {
        var rows: [[Int]] = [[]]
        var x = 0.0
        for (index, itemWidth) in itemWidths.enumerated() {
            if x + itemWidth > available, !rows[rows.count - 1].isEmpty {
                rows.append([])
                x = 0
            }
            rows[rows.count - 1].append(index)
            x += itemWidth
        }
        return rows
    }

    var plotWidth: Double { width - Self.left - Self.right }
    var plotHeight: Double { height - top - Self.bottom }

    func px(_ x: Double) -> Double { Self.left + xScale.fraction(x) * plotWidth }
    func py(_ y: Double) -> Double { top + (1 - yScale.fraction(y)) * plotHeight }

    /// X ticks whose labels fit side by side: the most ticks (up to one per 50 px) with no two labels overlapping.
    public func xTicks() -> [PlotScale.Tick] {
        var count = Swift.max(Int(plotWidth / 50), 2)
        while true {
            let ticks = xScale.ticks(maxCount: count)
            if count <= 2 || !Self.labelsOverlap(ticks.map { (px($0.value), $0.label) }) { return ticks }
            count -= 1
        }
    }

    /// Whether any two labels centred at the given x positions overlap (with 8 px between them).
    public static func labelsOverlap(_ labels: [(x: Double, text: String)]) -> Bool {
        let sorted = labels.sorted { $0.x < $1.x }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let halfWidths = (Double(a.text.count) + Double(b.text.count)) * charWidth / 2
            if b.x - a.x < halfWidths + 8 { return true }
        }
        return false
    }

    /// The chart as an `<svg>` element.
    public func svg() -> String {
        var s = "<svg class=\"plot\" data-plot=\"\(HTML.escape(id))\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">\n"
        s += "<text class=\"title\" x=\"\(Self.n(Self.left))\" y=\"18\">\(HTML.escape(title))</text>\n"
        s += legend()
        s += axes()
        let plotBottom = top + plotHeight
        s += "<clipPath id=\"clip-\(HTML.escape(id))\"><rect x=\"\(Self.n(Self.left))\" y=\"\(Self.n(top - 2))\" width=\"\(Self.n(plotWidth + 2))\" height=\"\(Self.n(plotHeight + 4))\"/></clipPath>\n"
        for marker in markers {
            let x = px(marker.x)
            // The label goes right of the line when it fits, else left of it (anchored at its end).
            let fitsRight = x + 4 + Double(marker.label.count) * Self.charWidth <= width - Self.right
            s += "<g class=\"marker\" data-marker=\"\(HTML.escape(marker.label))\"><line x1=\"\(Self.n(x))\" y1=\"\(Self.n(top))\" x2=\"\(Self.n(x))\" y2=\"\(Self.n(plotBottom))\" "
                + "stroke=\"\(marker.colour)\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>"
                + "<text class=\"marker-label\" x=\"\(Self.n(fitsRight ? x + 4 : x - 4))\" y=\"\(Self.n(top + 14))\" text-anchor=\"\(fitsRight ? "start" : "end")\" "
                + "fill=\"\(marker.colour)\">\(HTML.escape(marker.label))</text></g>\n"
        }
        for item in series { s += seriesGroup(item) }
        if series.allSatisfy({ $0.points.isEmpty }) {
            s += "<text class=\"empty\" x=\"\(Self.n(Self.left + plotWidth / 2))\" y=\"\(Self.n(top + plotHeight / 2))\" text-anchor=\"middle\">no data</text>\n"
        }
        return s + "</svg>"
    }

    func legend() -> String {
        var s = ""
        for (row, indices) in legendLayout.enumerated() {
            var x = Self.left
            let y = 36 + Double(row) * 18
            for index in indices {
                let item = series[index]
                s += "<g class=\"legend-item\"><line x1=\"\(Self.n(x))\" y1=\"\(Self.n(y - 4))\" x2=\"\(Self.n(x + 26))\" y2=\"\(Self.n(y - 4))\" stroke=\"\(item.colour)\" stroke-width=\"2.5\""
                    + (item.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>"
                    + "<text x=\"\(Self.n(x + 32))\" y=\"\(Self.n(y))\">\(HTML.escape(item.name))</text></g>\n"
                x += Self.legendItemWidth(item.name, mark: 34)
            }
        }
        return s
    }

    func axes() -> String {
        let plotBottom = top + plotHeight
        var s = "<g class=\"axes\">\n"
        for tick in yScale.ticks(maxCount: Swift.max(Int(plotHeight / 32), 2)) {
            let y = py(tick.value)
            s += "<line class=\"grid\" x1=\"\(Self.n(Self.left))\" y1=\"\(Self.n(y))\" x2=\"\(Self.n(Self.left + plotWidth))\" y2=\"\(Self.n(y))\"/>"
                + "<text class=\"tick\" x=\"\(Self.n(Self.left - 6))\" y=\"\(Self.n(y + 4))\" text-anchor=\"end\">\(HTML.escape(tick.label))</text>\n"
        }
        for tick in xTicks() {
            let x = px(tick.value)
            // A label at the right edge is kept inside the picture.
            let halfLabel = Double(tick.label.count) * Self.charWidth / 2
            let labelX = Swift.min(x, width - 2 - halfLabel)
            s += "<line class=\"grid\" x1=\"\(Self.n(x))\" y1=\"\(Self.n(top))\" x2=\"\(Self.n(x))\" y2=\"\(Self.n(plotBottom))\"/>"
                + "<text class=\"tick\" x=\"\(Self.n(labelX))\" y=\"\(Self.n(plotBottom + 16))\" text-anchor=\"middle\">\(HTML.escape(tick.label))</text>\n"
        }
        s += "<rect class=\"frame\" x=\"\(Self.n(Self.left))\" y=\"\(Self.n(top))\" width=\"\(Self.n(plotWidth))\" height=\"\(Self.n(plotHeight))\"/>\n"
        s += "<text class=\"axis-label\" x=\"\(Self.n(Self.left + plotWidth / 2))\" y=\"\(Self.n(height - 8))\" text-anchor=\"middle\">\(HTML.escape(xLabel))</text>\n"
        s += "<text class=\"axis-label\" transform=\"translate(16 \(Self.n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(yLabel))</text>\n"
        return s + "</g>\n"
    }

    func seriesGroup(_ item: Series) -> String {
        var s = "<g class=\"series\" data-series=\"\(HTML.escape(item.name))\" data-points=\"\(item.points.count)\">\n"
        if !item.points.isEmpty {
            var d = ""
            for (index, point) in item.points.enumerated() {
                let x = px(point.x), y = py(point.y)
                if index == 0 {
                    d += "M\(Self.n(x)) \(Self.n(y))"
                } else if item.steps {
                    d += "H\(Self.n(x))V\(Self.n(y))"
                } else {
                    d += "L\(Self.n(x)) \(Self.n(y))"
                }
            }
            if item.steps { d += "H\(Self.n(Self.left + plotWidth))" }
            s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(item.colour)\" stroke-width=\"2\" stroke-linejoin=\"round\""
                + (item.dashed ? " stroke-dasharray=\"6 4\"" : "") + " clip-path=\"url(#clip-\(HTML.escape(id)))\"/>\n"
        }
        for point in item.points {
            s += "<circle class=\"pt\" data-point=\"1\" cx=\"\(Self.n(px(point.x)))\" cy=\"\(Self.n(py(point.y)))\" r=\"4\" style=\"--c:\(item.colour)\">"
                + "<title>\(HTML.escape(item.name + ": " + point.tip))</title></circle>\n"
        }
        return s + "</g>\n"
    }

    /// A coordinate with at most one decimal.
    static func n(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(tenths / 10)"
    }
}
