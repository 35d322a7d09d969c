import DeportSimCore
import Foundation
import Plot

/// Body-level HTML nodes; SVG elements are Plot custom elements of this kind.
typealias HNode = Node<HTML.BodyContext>

/// Elements and attributes through Plot, so text is always escaped.
enum Markup {
    /// Plot writes attribute values as given, so values are escaped here
    /// (`&`, `<`, `>`, `"`): a scenario's names never reach markup raw.
    static func escapeAttribute(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func el(_ name: String, _ attributes: [(String, String)] = [], _ children: [HNode] = []) -> HNode {
        .element(named: name, nodes: attributes.map {
            HNode.attribute(named: $0.0, value: escapeAttribute($0.1), ignoreIfValueIsEmpty: false)
        } + children)
    }

    static func el(_ name: String, _ attributes: [(String, String)] = [], text: String) -> HNode {
        el(name, attributes, [.text(text)])
    }

    /// An SVG `<title>`: the browser shows it on hover.
    static func hover(_ text: String) -> HNode { el("title", [], text: text) }
}

/// Line and fill styles that stay apart in greyscale: they differ in
/// lightness and dash pattern, not in hue alone.
enum Ink: Sendable {
    case primary, secondary, tertiary

    var stroke: String {
        switch self {
        case .primary: "#15315e"
        case .secondary: "#b35806"
        case .tertiary: "#6a6a6a"
        }
    }
    var dash: String? {
        switch self {
        case .primary: nil
        case .secondary: "7 4"
        case .tertiary: "2 3"
        }
    }
    /// Band and bar fills: dark, middle, light.
    var fill: String {
        switch self {
        case .primary: "#9fb3d6"
        case .secondary: "#f1c79c"
        case .tertiary: "#e4e4e4"
        }
    }
    var barFill: String {
        switch self {
        case .primary: "#1f3d6e"
        case .secondary: "#8aa0c8"
        case .tertiary: "#e3e9f4"
        }
    }
}

/// A chart's horizontal axis.
enum XAxis: Sendable {
    /// Days from the first to the last (inclusive); x values are day numbers,
    /// day d covering [d, d + 1).
    case dates(CivilDate, CivilDate)
    case numeric(NumericAxis)
    /// Evenly spaced named positions 0, 1, 2 ...
    case categories([String])
}

/// What a chart draws, back to front.
enum Layer {
    case shade(x0: Double, x1: Double, hover: String)
    case band(x: [Double], low: [Double], high: [Double], ink: Ink)
    case line(x: [Double], y: [Double], ink: Ink, width: Double)
    case horizontalRule(y: Double)
    case bars(x0: [Double], x1: [Double], y0: [Double], y1: [Double], ink: Ink, hover: [String])
    case outlinedBars(x0: [Double], x1: [Double], y: [Double], hover: [String])
    case whiskers(x: [Double], low: [Double], high: [Double], mean: [Double], hover: [String])
    case reported(x: [Double], y: [Double], hover: [String])
    /// A dated event: a dashed vertical line under its number; `variantOwn`
    /// (an event a what-if variant adds or moves) is drawn in the variant's ink,
    /// its number prefixed "V", so it stands beside the baseline's.
    case event(x: Double, number: Int, hover: String, variantOwn: Bool = false)
    /// Text beside points (a scatter's point names), 5 px beside each.
    case labels(x: [Double], y: [Double], text: [String])
}

enum LegendSwatch {
    case line(Ink), band(Ink), bar(Ink), outlinedBar, reported, shade, event, variantEvent, whisker
}

extension Layer {
    /// The number drawn above an event's line.
    static func eventLabel(_ number: Int, variantOwn: Bool) -> String { (variantOwn ? "V" : "") + String(number) }
}

/// An inline SVG chart with axes, grid lines and a legend.
struct Chart {
    var x: XAxis
    var y: NumericAxis
    var layers: [Layer]
    var legend: [(LegendSwatch, String)]
    var ariaLabel: String

    static let width = 540.0
    /// How a chart's parts look: the report's and the explorer's pages use
    /// it, and a saved SVG carries it (`ChartSave`), so all three agree.
    static let stylesheet = """
    svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:11px;fill:#222}
    .ylab{text-anchor:end}.xlab{text-anchor:middle}.evlab{text-anchor:middle;font-weight:700;font-size:10px}.leg{font-size:11px}
    line.grid{stroke:#dddddd;stroke-width:1}line.zero,line.axis{stroke:#444;stroke-width:1}line.rule{stroke:#111;stroke-width:1.2}
    """
    static let plotLeft = 66.0
    static let plotRight = 528.0
    static let plotTop = 10.0
    static let plotBottom = 190.0
    static let legendRowHeight = 16.0

    var xDomain: (Double, Double) {
        switch x {
        case .dates(let a, let b): (Double(a.dayNumber), Double(b.dayNumber + 1))
        // A little room either side, so marks at the ends are not cut in half.
        case .numeric(let axis): (axis.low - (axis.high - axis.low) * 0.03, axis.high + (axis.high - axis.low) * 0.03)
        case .categories(let names): (-0.5, Double(max(names.count, 1)) - 0.5)
        }
    }

    var legendRows: Int { (legend.count + 1) / 2 }
    var height: Double { Chart.plotBottom + 34 + Double(legendRows) * Chart.legendRowHeight }

    func render(id: String) -> HNode {
        let sx = LinearScale(domain: xDomain, range: (Chart.plotLeft, Chart.plotRight))
        let sy = LinearScale(domain: (y.low, y.high), range: (Chart.plotBottom, Chart.plotTop))
        typealias M = Markup
        var nodes: [HNode] = [M.el("title", [], text: ariaLabel)]
        let hatch = "hatch\(id)"
        nodes.append(M.el("defs", [], [
            M.el("pattern", [("id", hatch), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse"),
                             ("patternTransform", "rotate(45)")], [
                M.el("rect", [("width", "6"), ("height", "6"), ("fill", "#f2f2f2")]),
                M.el("line", [("x1", "0"), ("y1", "0"), ("x2", "0"), ("y2", "6"), ("stroke", "#9a9a9a"), ("stroke-width", "2")]),
            ]),
            M.el("clipPath", [("id", "clip\(id)")], [
                M.el("rect", [("x", n(Chart.plotLeft)), ("y", n(Chart.plotTop - 4)), ("width", n(Chart.plotRight - Chart.plotLeft)),
                              ("height", n(Chart.plotBottom - Chart.plotTop + 8))]),
            ]),
        ]))
        // Grid and y axis labels.
        var grid: [HNode] = []
        for (t, label) in zip(y.ticks, y.labels) {
            let py = sy(t)
            grid.append(M.el("line", [("x1", n(Chart.plotLeft)), ("x2", n(Chart.plotRight)), ("y1", n(py)), ("y2", n(py)),
                                      ("class", t == 0 ? "zero" : "grid")]))
            grid.append(M.el("text", [("x", n(Chart.plotLeft - 6)), ("y", n(py + 4)), ("class", "ylab")], text: label))
        }
        // x axis ticks.
        var xTicks: [(Double, String)] = []
        switch x {
        case .dates(let a, let b):
            xTicks = AxisMath.dateTicks(first: a, last: b, maxTicks: 7).map { (Double($0.dayNumber), $0.label) }
        case .numeric(let axis):
            xTicks = zip(axis.ticks, axis.labels).map { ($0, $1) }
        case .categories(let names):
            xTicks = names.enumerated().map { (Double($0.offset), $0.element) }
        }
        for (t, label) in xTicks {
            let px = sx(t)
            grid.append(M.el("line", [("x1", n(px)), ("x2", n(px)), ("y1", n(Chart.plotBottom)), ("y2", n(Chart.plotBottom + 5)),
                                      ("class", "axis")]))
            grid.append(M.el("text", [("x", n(px)), ("y", n(Chart.plotBottom + 18)), ("class", "xlab")], text: label))
        }
        grid.append(M.el("line", [("x1", n(Chart.plotLeft)), ("x2", n(Chart.plotRight)), ("y1", n(Chart.plotBottom)),
                                  ("y2", n(Chart.plotBottom)), ("class", "axis")]))
        nodes.append(M.el("g", [], grid))

        var plot: [HNode] = []
        let levels = Self.eventLabelLevels(layers, sx: sx)
        for (i, layer) in layers.enumerated() {
            plot.append(render(layer, sx: sx, sy: sy, hatch: hatch, labelLevel: levels[i] ?? 0))
        }
        nodes.append(M.el("g", [("clip-path", "url(#clip\(id))")], plot))
        nodes.append(renderLegend(hatch: hatch))
        return M.el("svg", [("viewBox", "0 0 \(n(Chart.width)) \(n(height))"), ("role", "img"), ("class", "chart"),
                            ("xmlns", "http://www.w3.org/2000/svg")], nodes)
    }

    private func n(_ x: Double) -> String { PathData.number(x) }

    /// Rows for the event numbers so that no two labels overlap: from left
    /// to right, each label takes the first row whose last label ends
    /// before it starts (labels are about 6 px a digit, plus a gap).
    static func eventLabelLevels(_ layers: [Layer], sx: LinearScale) -> [Int: Int] {
        var marks: [(index: Int, x: Double, width: Double)] = []
        for (i, layer) in layers.enumerated() {
            if case .event(let x, let number, _, let own) = layer {
                marks.append((i, sx(x), 6.5 * Double(Layer.eventLabel(number, variantOwn: own).count) + 3))
            }
        }
        var rowEnds: [Double] = []
        var levels: [Int: Int] = [:]
        for m in marks.sorted(by: { $0.x < $1.x }) {
            let start = m.x - m.width / 2
            let row = rowEnds.firstIndex { $0 <= start } ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(0) }
            rowEnds[row] = m.x + m.width / 2
            levels[m.index] = row
        }
        return levels
    }

    private func render(_ layer: Layer, sx: LinearScale, sy: LinearScale, hatch: String, labelLevel: Int) -> HNode {
        typealias M = Markup
        switch layer {
        case .shade(let x0, let x1, let hover):
            return M.el("path", [("d", PathData.rect(x: sx(x0), y: Chart.plotTop, width: sx(x1) - sx(x0),
                                                     height: Chart.plotBottom - Chart.plotTop)),
                                 ("fill", "url(#\(hatch))"), ("class", "shade")], [M.hover(hover)])
        case .band(let xs, let lo, let hi, let ink):
            return M.el("path", [("d", PathData.band(x: xs.map(sx.callAsFunction), lower: lo.map(sy.callAsFunction),
                                                     upper: hi.map(sy.callAsFunction))),
                                 ("fill", ink.fill), ("fill-opacity", "0.75"), ("stroke", "none"), ("class", "band")])
        case .line(let xs, let ys, let ink, let width):
            var attributes = [("d", PathData.line(zip(xs, ys).map { (x: sx($0), y: sy($1)) })), ("fill", "none"),
                              ("stroke", ink.stroke), ("stroke-width", n(width)), ("class", "series")]
            if let dash = ink.dash { attributes.append(("stroke-dasharray", dash)) }
            return M.el("path", attributes)
        case .horizontalRule(let value):
            return M.el("line", [("x1", n(Chart.plotLeft)), ("x2", n(Chart.plotRight)), ("y1", n(sy(value))), ("y2", n(sy(value))),
                                 ("class", "rule")])
        case .bars(let x0, let x1, let y0, let y1, let ink, let hover):
            return M.el("g", [("class", "bars")], x0.indices.compactMap { i in
                guard y0[i].isFinite, y1[i].isFinite else { return nil }
                let top = min(sy(y0[i]), sy(y1[i])), bottom = max(sy(y0[i]), sy(y1[i]))
                return M.el("path", [("d", PathData.rect(x: sx(x0[i]), y: top, width: max(sx(x1[i]) - sx(x0[i]), 0.5),
                                                         height: bottom - top)),
                                     ("fill", ink.barFill), ("stroke", "#15315e"), ("stroke-width", "0.6")],
                            hover.indices.contains(i) ? [M.hover(hover[i])] : [])
            })
        case .outlinedBars(let x0, let x1, let ys, let hover):
            return M.el("g", [("class", "bars")], x0.indices.compactMap { i in
                guard ys[i].isFinite else { return nil }
                return M.el("path", [("d", PathData.rect(x: sx(x0[i]), y: sy(ys[i]), width: max(sx(x1[i]) - sx(x0[i]), 0.5),
                                                         height: sy(0) - sy(ys[i]))),
                                     ("fill", "#ffffff"), ("stroke", "#555555"), ("stroke-width", "0.8"),
                                     ("stroke-dasharray", "3 2")], hover.indices.contains(i) ? [M.hover(hover[i])] : [])
            })
        case .whiskers(let xs, let lo, let hi, let mean, let hover):
            return M.el("g", [("class", "whiskers")], xs.indices.compactMap { i in
                guard xs[i].isFinite, mean[i].isFinite else { return nil }
                let px = sx(xs[i])
                var parts: [HNode] = []
                if lo[i].isFinite && hi[i].isFinite {
                    parts.append(M.el("path", [("d", "M\(n(px)) \(n(sy(lo[i]))) V\(n(sy(hi[i]))) M\(n(px - 3)) \(n(sy(lo[i]))) H\(n(px + 3)) M\(n(px - 3)) \(n(sy(hi[i]))) H\(n(px + 3))"),
                                               ("stroke", "#6a6a6a"), ("stroke-width", "1"), ("fill", "none")]))
                }
                parts.append(M.el("circle", [("cx", n(px)), ("cy", n(sy(mean[i]))), ("r", "3"), ("fill", Ink.primary.stroke)]))
                parts.append(M.hover(hover[i]))
                return M.el("g", [], parts)
            })
        case .reported(let xs, let ys, let hover):
            return M.el("g", [("class", "reported")], xs.indices.compactMap { i in
                guard xs[i].isFinite, ys[i].isFinite else { return nil }
                let px = sx(xs[i]), py = sy(ys[i])
                return M.el("path", [("d", "M\(n(px)) \(n(py - 5.5)) L\(n(px + 5.5)) \(n(py)) L\(n(px)) \(n(py + 5.5)) L\(n(px - 5.5)) \(n(py)) Z"),
                                     ("fill", "#ffffff"), ("stroke", "#000000"), ("stroke-width", "1.6")], [M.hover(hover[i])])
            })
        case .labels(let xs, let ys, let texts):
            return M.el("g", [("class", "labels")], xs.indices.compactMap { i in
                guard xs[i].isFinite, ys[i].isFinite else { return nil }
                // Right of the point, or left of it in the plot's right half so the text stays inside.
                let px = sx(xs[i]), rightHalf = px > (Chart.plotLeft + Chart.plotRight) / 2
                return M.el("text", [("x", n(rightHalf ? px - 5 : px + 5)), ("y", n(sy(ys[i]) - 4)), ("class", "leg"),
                                     ("text-anchor", rightHalf ? "end" : "start")], text: texts[i])
            })
        case .event(let x, let number, let hover, let own):
            let px = sx(x)
            return M.el("g", [("class", own ? "event variant-event" : "event")], [
                M.el("line", [("x1", n(px)), ("x2", n(px)), ("y1", n(Chart.plotTop + 12 + 11 * Double(labelLevel))), ("y2", n(Chart.plotBottom)),
                              ("stroke", own ? Ink.secondary.stroke : "#333333"), ("stroke-width", own ? "1.4" : "1"),
                              ("stroke-dasharray", own ? "1 2" : "4 3")]),
                M.el("text", [("x", n(px)), ("y", n(Chart.plotTop + 9 + 11 * Double(labelLevel))), ("class", "evlab")],
                     text: Layer.eventLabel(number, variantOwn: own)),
                M.hover(hover),
            ])
        }
    }

    private func renderLegend(hatch: String) -> HNode {
        typealias M = Markup
        var items: [HNode] = []
        for (i, item) in legend.enumerated() {
            let x = 12 + Double(i % 2) * 264
            let y = Chart.plotBottom + 36 + Double(i / 2) * Chart.legendRowHeight
            let swatch: HNode
            switch item.0 {
            case .line(let ink):
                var a = [("x1", n(x)), ("x2", n(x + 22)), ("y1", n(y - 4)), ("y2", n(y - 4)), ("stroke", ink.stroke), ("stroke-width", "2")]
                if let d = ink.dash { a.append(("stroke-dasharray", d)) }
                swatch = M.el("line", a)
            case .band(let ink):
                swatch = M.el("rect", [("x", n(x)), ("y", n(y - 10)), ("width", "22"), ("height", "11"), ("fill", ink.fill)])
            case .bar(let ink):
                swatch = M.el("rect", [("x", n(x)), ("y", n(y - 10)), ("width", "22"), ("height", "11"), ("fill", ink.barFill),
                                       ("stroke", "#15315e"), ("stroke-width", "0.6")])
            case .outlinedBar:
                swatch = M.el("rect", [("x", n(x)), ("y", n(y - 10)), ("width", "22"), ("height", "11"), ("fill", "#ffffff"),
                                       ("stroke", "#555555"), ("stroke-dasharray", "3 2")])
            case .reported:
                swatch = M.el("path", [("d", "M\(n(x + 11)) \(n(y - 10)) L\(n(x + 16.5)) \(n(y - 4.5)) L\(n(x + 11)) \(n(y + 1)) L\(n(x + 5.5)) \(n(y - 4.5)) Z"),
                                       ("fill", "#ffffff"), ("stroke", "#000000"), ("stroke-width", "1.6")])
            case .shade:
                swatch = M.el("rect", [("x", n(x)), ("y", n(y - 10)), ("width", "22"), ("height", "11"), ("fill", "url(#\(hatch))")])
            case .event:
                swatch = M.el("line", [("x1", n(x + 11)), ("x2", n(x + 11)), ("y1", n(y - 11)), ("y2", n(y + 2)), ("stroke", "#333333"),
                                       ("stroke-dasharray", "4 3")])
            case .variantEvent:
                swatch = M.el("line", [("x1", n(x + 11)), ("x2", n(x + 11)), ("y1", n(y - 11)), ("y2", n(y + 2)),
                                       ("stroke", Ink.secondary.stroke), ("stroke-width", "1.4"), ("stroke-dasharray", "1 2")])
            case .whisker:
                swatch = M.el("g", [], [
                    M.el("path", [("d", "M\(n(x + 11)) \(n(y - 11)) V\(n(y + 2))"), ("stroke", "#6a6a6a"), ("fill", "none")]),
                    M.el("circle", [("cx", n(x + 11)), ("cy", n(y - 4.5)), ("r", "3"), ("fill", Ink.primary.stroke)]),
                ])
            }
            items.append(swatch)
            items.append(M.el("text", [("x", n(x + 28)), ("y", n(y)), ("class", "leg")], text: item.1))
        }
        return M.el("g", [("class", "legend")], items)
    }
}
