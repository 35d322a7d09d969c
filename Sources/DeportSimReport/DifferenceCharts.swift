import DeportSimCore
import Foundation
import Plot

/// The two charts of one metric of a what-if comparison: baseline and
/// variant levels, and their paired difference. The report's difference
/// section and the explorer (`deportsim serve`) both draw them with this
/// code, so a chart in the browser is the chart in the report.
public enum DifferenceCharts {
    /// One metric's pair of charts, as SVG text.
    public struct Pair: Sendable {
        public var metric: String
        public var title: String
        public var unit: String
        public var levelsSVG: String
        public var differenceSVG: String
        /// Says so when the metric is zero in every replication of both.
        public var note: String?
    }

    /// The note under a chart whose series are all zero: an empty chart
    /// would look like a fault, when the scenario simply sets nothing that
    /// produces the metric (no detention cost, no charter route).
    public static let allZeroNote = "Zero in every replication: the scenario sets nothing that produces it here."

    /// Whether baseline and variant are zero in every replication: the
    /// metrics are counts, costs and averages, never negative, so a mean of
    /// zero is zero everywhere.
    static func allZero(_ rows: [DifferenceRecord]) -> Bool {
        rows.allSatisfy { $0.baselineMean == 0 && $0.variantMean == 0 }
    }

    /// The chart pairs of `variant` for one country, in `metrics` order
    /// (metrics without rows are left out). `idPrefix` keeps the SVGs'
    /// pattern and clip ids apart from other charts on the same page.
    public static func pairs(rows: [DifferenceRecord], variant: String, country: String, metrics: [String],
                             events: [EventMarker], variantEvents: [EventMarker] = [], period: String, idPrefix: String) -> [Pair] {
        var out: [Pair] = []
        for metric in metrics {
            guard let charts = charts(rows: rows, variant: variant, country: country, metric: metric, events: events,
                                      variantEvents: variantEvents) else { continue }
            let id = "\(idPrefix)-\(country)-\(metric)"
            let zero = allZero(rows.filter { $0.variant == variant && $0.country == country && $0.metric == metric })
            out.append(Pair(metric: metric, title: charts.title, unit: MetricText.unit(metric, period: period),
                            levelsSVG: charts.levels.render(id: id + "-l").render(),
                            differenceSVG: charts.difference.render(id: id + "-d").render(), note: zero ? allZeroNote : nil))
        }
        return out
    }

    /// The levels chart (baseline solid, variant dashed, with their 90%
    /// bands when the rows carry them) and the difference chart (mean and
    /// 90% band of the paired difference, zero ruled), with the baseline's
    /// events and, beside them, the variant's own (`variantOwnEvents`).
    static func charts(rows: [DifferenceRecord], variant: String, country: String, metric: String,
                       events: [EventMarker], variantEvents: [EventMarker] = []) -> (title: String, levels: Chart, difference: Chart)? {
        let list = rows.filter { $0.variant == variant && $0.country == country && $0.metric == metric }.sorted { $0.start < $1.start }
        guard let first = list.first?.start, let last = list.map(\.end).max() else { return nil }
        let stock = MetricText.isStock(metric)
        let xs = list.map { stock ? Double($0.end.dayNumber + 1) : Double($0.start.dayNumber + $0.end.dayNumber + 1) / 2 }
        let own = variantOwnEvents(baseline: events, variant: variantEvents)
        let baselineMarks = eventLayers(events, from: first, to: last)
        let ownMarks = eventLayers(own, from: first, to: last, variantOwn: true)
        let eventMarks = baselineMarks + ownMarks
        let eventLegend: [(LegendSwatch, String)] = (baselineMarks.isEmpty ? [] : [(.event, "baseline event (numbered)")])
            + (ownMarks.isEmpty ? [] : [(.variantEvent, "event of variant \(variant) only (V-numbered)")])
        let title = MetricText.title(metric)
        var levelLayers: [Layer] = []
        var levelLegend: [(LegendSwatch, String)] = [(.line(.primary), "baseline mean"), (.line(.secondary), "variant \(variant) mean")]
        var levelValues = list.flatMap { [$0.baselineMean, $0.variantMean] }
        let baselineBands = list.compactMap(\.baselineBand), variantBands = list.compactMap(\.variantBand)
        if baselineBands.count == list.count && variantBands.count == list.count {
            levelLayers.append(.band(x: xs, low: baselineBands.map(\.p05), high: baselineBands.map(\.p95), ink: .primary))
            levelLayers.append(.band(x: xs, low: variantBands.map(\.p05), high: variantBands.map(\.p95), ink: .secondary))
            levelLegend += [(.band(.primary), "baseline 90% interval"), (.band(.secondary), "variant 90% interval")]
            levelValues += baselineBands.flatMap { [$0.p05, $0.p95] } + variantBands.flatMap { [$0.p05, $0.p95] }
        }
        levelLayers += [.line(x: xs, y: list.map(\.baselineMean), ink: .primary, width: 2),
                        .line(x: xs, y: list.map(\.variantMean), ink: .secondary, width: 2)]
        let levels = Chart(
            x: .dates(first, last), y: AxisMath.numericAxis(values: levelValues, wholeNumbers: MetricText.isWholeCount(metric)),
            layers: levelLayers + eventMarks, legend: levelLegend + eventLegend,
            ariaLabel: "\(title), \(country): baseline and \(variant)")
        let difference = Chart(
            x: .dates(first, last),
            y: AxisMath.numericAxis(values: list.flatMap { [$0.differenceMean, $0.differenceP05, $0.differenceP95] },
                                    wholeNumbers: MetricText.isWholeCount(metric)),
            layers: [.band(x: xs, low: list.map(\.differenceP05), high: list.map(\.differenceP95), ink: .secondary),
                     .horizontalRule(y: 0),
                     .line(x: xs, y: list.map(\.differenceMean), ink: .secondary, width: 2)] + eventMarks,
            legend: [(.line(.secondary), "difference, mean"), (.band(.secondary), "difference, 90% interval")] + eventLegend,
            ariaLabel: "\(title), \(country): \(variant) minus baseline")
        return (title, levels, difference)
    }

    /// Numbered dashed markers for the events inside [first, last], numbered
    /// by their place in `events` ("V1", "V2", ... for a variant's own).
    static func eventLayers(_ events: [EventMarker], from first: CivilDate, to last: CivilDate, variantOwn: Bool = false) -> [Layer] {
        events.enumerated().compactMap { i, e in
            guard e.date >= first, e.date <= last else { return nil }
            let label = Layer.eventLabel(i + 1, variantOwn: variantOwn)
            return .event(x: Double(e.date.dayNumber), number: i + 1,
                          hover: "\(variantOwn ? "Variant's event" : "Event") \(label), \(e.date): \(e.label)", variantOwn: variantOwn)
        }
    }

    /// The variant's events that the baseline does not have on the same
    /// date with the same note: those it adds or moves (an overlay that
    /// suspends cooperation on a date), in date order.
    public static func variantOwnEvents(baseline: [EventMarker], variant: [EventMarker]) -> [EventMarker] {
        variant.filter { !baseline.contains($0) }.sorted { $0.date < $1.date }
    }
}
