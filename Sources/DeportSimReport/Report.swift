import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation
import Plot

/// The analyst's HTML report of a results folder: one self-contained file
/// (inline CSS and SVG, system fonts, nothing fetched). Its one script is
/// `ChartSave.script`, static, which adds the buttons that save a chart.
public enum Report {
    /// The report of the folder at `path`, as HTML text.
    public static func html(folder path: String) throws -> String {
        html(for: try ResultsFolder.load(path))
    }

    public static func html(for folder: ResultsFolder) -> String {
        ReportBuilder(folder: folder).document()
    }

    /// Writes the report (default: `<folder>/report.html`) under a temporary
    /// name and renames it into place; returns the path written.
    @discardableResult
    public static func write(folder path: String, to output: String? = nil) throws -> String {
        let target = output ?? (path as NSString).appendingPathComponent("report.html")
        if output != nil { try OutputPath.checkFile(target) }
        let text = try html(folder: path)
        try AtomicFile.write(text, to: target)
        return target
    }

    /// The report's style sheet; the explorer's page uses it for the same charts.
    package static var stylesheet: String { ReportBuilder.css }

    /// The main flows and stocks charted for every country.
    static let mainMetrics = ["encounters", "book_ins", "removals", "released_at_limit", "pending", "at_large", "detained"]
    /// Border-wide metrics charted for ALL as well.
    static let borderWideMetrics = ["encounters_total", "encounters_7day_average", "beds_occupied"]
    static let costMetrics = ["cost_detention", "cost_charter", "cost_commercial"]
    static let differenceMetrics = ["encounters", "book_ins", "removals", "detained", "at_large", "cost_total"]
}

/// Words and units for metric names (the report's and the explorer's),
/// from `Metric` itself; a sum of metrics ("removals+departures") is titled
/// by its names.
package enum MetricText {
    static func metrics(_ name: String) -> [Metric]? {
        let parts = name.split(separator: "+").map { Metric(name: String($0)) }
        return parts.contains(where: { $0 == nil }) ? nil : parts.compactMap { $0 }
    }

    package static func title(_ metric: String) -> String {
        if let m = Metric(name: metric) { return m.label }
        return Metric.words(metric.split(separator: "+").joined(separator: " + "))
    }

    package static func isStock(_ metric: String) -> Bool { Metric(name: metric)?.isStock ?? false }

    /// Whether one replication's value is a whole count (people, flights,
    /// days): costs and averages are not.
    package static func isWholeCount(_ metric: String) -> Bool {
        !metric.hasPrefix("cost") && !metric.contains("average") && Metric(name: metric) != nil
    }

    package static func unit(_ metric: String, period: String) -> String {
        let per = period.isEmpty ? "period" : (period == "fiscal_year" ? "fiscal year" : period)
        // One period for the whole run: totals and end values.
        let each = period == "total" ? "over the whole run" : "per \(per)"
        let end = period == "total" ? "at the end of the run" : "at the end of each \(per)"
        // A sum's parts share a unit (and are all flows or all stocks), or it counts people.
        let parts = metrics(metric) ?? []
        let unit = Set(parts.map(\.unit)).count == 1 ? parts[0].unit : .people
        return parts.first?.isStock ?? false ? "\(unit.text), \(end)" : "\(unit.text) \(each)"
    }
}

final class ReportBuilder {
    let folder: ResultsFolder
    var info: RunInfo { folder.info }
    private var chartCount = 0
    typealias M = Markup

    init(folder: ResultsFolder) { self.folder = folder }

    /// The reporting period word ("month"), from run.json or the summary.
    var periodWord: String {
        if !info.period.isEmpty { return info.period }
        // Without run.json: judge by the length of a whole (not the first or last) period.
        var spans: [(CivilDate, CivilDate)] = []
        for r in folder.summary where !spans.contains(where: { $0 == (r.start, r.end) }) { spans.append((r.start, r.end)) }
        if spans.count == 1 { return "total" }
        let sample = spans.count > 2 ? spans[1] : spans.first ?? (CivilDate(dayNumber: 0), CivilDate(dayNumber: 0))
        switch sample.1.dayNumber - sample.0.dayNumber + 1 {
        case 1: return "day"
        case 7: return "week"
        case 28...31: return "month"
        case 365, 366: return "year"
        default: return ""
        }
    }

    var replicationsText: String { info.replications.isEmpty ? "the" : info.replications }

    func document() -> String {
        let title = info.scenarioName.isEmpty ? "DeportSim report" : "DeportSim report: \(info.scenarioName)"
        let sections = orderedSections()
        var body: [HNode] = [header(), tableOfContents(sections.map { ($0.id, $0.title) })]
        body += sections.map(\.node)
        body.append(M.el("footer", [("id", "report-end")], [
            .text("Made by deportsim report from \(folder.path). Charts: lines are means over replications, "
                  + "bands and whiskers the 5th to 95th percentiles; hover a mark for its figures."),
        ]))
        let html = HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: title),
                .style(Self.css)
            ),
            .body(.group(body + [.raw("<script id=\"chart-save\" data-save=\"all\">" + ChartSave.script + "</script>")]))
        )
        return html.render()
    }

    // MARK: Sections and their order

    /// The page's sections, charts before long tables: a what-if's
    /// differences first, then flows and stocks, flights, costs, a sweep's
    /// charts, sensitivity indices, and the table of targets last.
    func orderedSections() -> [(id: String, title: String, node: HNode)] {
        var list: [(String, String, HNode)] = []
        if let d = folder.difference { list.append(("difference", "Variants against the baseline", differenceSection(d))) }
        if !folder.summary.isEmpty {
            let whole = Set(folder.summary.map(\.start)).count == 1
            list.append(("series", whole ? "Flows and stocks, whole run" : "Flows and stocks over time", timeSeriesSection()))
            list.append(("flights", "Charter flights", flightSection()))
            list.append(("costs", "Costs by category", costSection()))
        }
        if let s = folder.sweep { list.append(("sweep", "Sweep: outcomes against swept parameters", sweepSection(s))) }
        if let s = folder.sensitivity {
            list.append(("sensitivity", s.kind == .sobol ? "Sensitivity: Sobol indices" : "Sensitivity: Morris elementary effects", sensitivitySection(s)))
        }
        if let c = folder.comparison { list.append(("comparison", "Reported figures against the simulation (\(c.count) targets)", comparisonSection(c))) }
        return list.map { (id: $0.0, title: $0.1, node: $0.2) }
    }

    /// Links to the sections (their h2 ids).
    func tableOfContents(_ entries: [(id: String, title: String)]) -> HNode {
        M.el("nav", [("class", "toc"), ("aria-label", "Contents")], [
            M.el("h2", [], text: "Contents"),
            M.el("ol", [], entries.map { M.el("li", [], [M.el("a", [("href", "#" + $0.id)], text: $0.title)]) }),
        ])
    }

    // MARK: Header

    func header() -> HNode {
        var rows: [(String, String)] = [
            ("Scenario", info.scenarioName.isEmpty ? "(not recorded)" : info.scenarioName),
            ("Run date", info.startTime.isEmpty ? "(not recorded)" : info.startTime),
            ("Seed", info.seed.isEmpty ? "(not recorded)" : info.seed),
            ("Replications", info.replications.isEmpty ? "(not recorded)" : info.replications),
            ("Tool", info.toolVersion.isEmpty ? "deportsim (version not recorded)" : "deportsim \(info.toolVersion)"),
            ("GSL", info.gslVersion.isEmpty ? "(not recorded)" : info.gslVersion),
            ("Scenario SHA-256", info.scenarioSHA256.isEmpty ? "(not recorded)" : info.scenarioSHA256),
        ]
        if !info.scenarioFile.isEmpty { rows.append(("Scenario file", info.scenarioFile)) }
        if !info.period.isEmpty { rows.append(("Output period", info.period)) }
        if !info.variants.isEmpty { rows.append(("Variants", info.variants.joined(separator: ", "))) }
        rows.append(("Results folder", folder.path))
        rows.append(("Contents", folder.kinds.map(\.rawValue).joined(separator: ", ")
                        + (folder.infoFile.map { " (metadata from \($0))" } ?? " (no run.json: metadata not recorded)")))
        var nodes: [HNode] = [
            M.el("h1", [], text: info.scenarioName.isEmpty ? "DeportSim report" : info.scenarioName),
        ] + descriptionNodes() + [
            M.el("table", [("class", "meta")], rows.map { k, v in
                M.el("tr", [], [M.el("th", [("scope", "row")], text: k), M.el("td", k.contains("SHA") ? [("class", "mono")] : [], text: v)])
            }),
        ]
        if !info.events.isEmpty {
            nodes.append(M.el("h3", [], text: "Scenario events (numbered markers on the charts)"))
            nodes.append(M.el("ol", [("class", "events")], info.events.map { e in
                M.el("li", [], [M.el("span", [("class", "mono")], text: e.date.description), .text(" " + e.label)])
            }))
        }
        if !info.restrictionRule.isEmpty {
            nodes.append(M.el("h3", [], text: "Border-wide restriction rule"))
            nodes.append(M.el("p", [("class", "small")], text: info.restrictionRule.joined(separator: "; ")))
        }
        return M.el("header", [], nodes)
    }

    /// The lead: a sweep spec's own description first (what the sweep
    /// asks), then the scenario's, saying so when the scenario gives none of
    /// its own and the text is that of a base it extends.
    func descriptionNodes() -> [HNode] {
        var nodes: [HNode] = []
        if !info.sweepDescription.isEmpty { nodes.append(M.el("p", [("class", "lead")], text: info.sweepDescription)) }
        let scenarioText = info.description.isEmpty ? "(no description)" : info.description
        nodes.append(M.el("p", [("class", info.sweepDescription.isEmpty ? "lead" : "small")],
                          text: info.sweepDescription.isEmpty ? scenarioText : "Scenario: " + scenarioText))
        let from = info.descriptionFile
        if !from.isEmpty, !info.scenarioFile.isEmpty,
           URL(fileURLWithPath: from).standardized.path != URL(fileURLWithPath: info.scenarioFile).standardized.path {
            nodes.append(M.el("p", [("class", "small")], text: "This description is that of \((from as NSString).lastPathComponent), "
                              + "which \((info.scenarioFile as NSString).lastPathComponent) extends; the sweep's scenario gives none of its own."))
        }
        return nodes
    }

    // MARK: Time series

    /// Countries in file order, ALL first.
    var countries: [String] {
        var seen: [String] = []
        for r in folder.summary where !seen.contains(r.country) { seen.append(r.country) }
        return seen.filter { $0 == "ALL" } + seen.filter { $0 != "ALL" }
    }

    var runFirstDay: CivilDate? { folder.summary.map(\.start).min() }
    var runLastDay: CivilDate? { folder.summary.map(\.end).max() }

    /// Periods in which the restriction rule was active on more than half
    /// of the days on average over replications (ALL `restriction_days`
    /// mean / days in the period > 0.5), adjacent periods merged.
    func restrictionSpans() -> [(first: Int, last: Int, hover: String)] {
        if let daily = folder.restriction { return dailyRestrictionSpans(daily) }
        let rows = folder.summary.filter { $0.country == "ALL" && $0.metric == "restriction_days" }.sorted { $0.start < $1.start }
        var spans: [(Int, Int, String)] = []
        var activeDays = 0.0
        for r in rows {
            let days = Double(r.end.dayNumber - r.start.dayNumber + 1)
            guard r.mean.isFinite, r.mean / days > 0.5 else { continue }
            if let last = spans.last, last.1 + 1 == r.start.dayNumber {
                activeDays += r.mean
                spans[spans.count - 1].1 = r.end.dayNumber
            } else {
                activeDays = r.mean
                spans.append((r.start.dayNumber, r.end.dayNumber, ""))
            }
            let s = spans[spans.count - 1]
            spans[spans.count - 1].2 = "Restriction rule active on \(readableNumber(activeDays)) of \(s.1 - s.0 + 1) days on average, "
                + "\(CivilDate(dayNumber: s.0)) to \(CivilDate(dayNumber: s.1))"
        }
        return spans.map { (first: $0.0, last: $0.1, hover: $0.2) }
    }

    /// Runs of days on which the rule was active in more than half of the
    /// replications (restriction.csv), whatever the output period.
    func dailyRestrictionSpans(_ daily: [(date: CivilDate, share: Double)]) -> [(first: Int, last: Int, hover: String)] {
        var spans: [(first: Int, last: Int, hover: String)] = []
        var shares: [Double] = []
        func close() {
            guard let s = spans.last, !shares.isEmpty else { return }
            let mean = shares.reduce(0, +) / Double(shares.count)
            spans[spans.count - 1].hover = "Restriction rule active \(CivilDate(dayNumber: s.first)) to \(CivilDate(dayNumber: s.last)) "
                + "in more than half of the replications (\(readableNumber(100 * mean))% of them on average)"
            shares = []
        }
        for d in daily.sorted(by: { $0.date < $1.date }) where d.share > 0.5 {
            if let last = spans.last, last.last + 1 == d.date.dayNumber {
                spans[spans.count - 1].last = d.date.dayNumber
            } else {
                close()
                spans.append((d.date.dayNumber, d.date.dayNumber, ""))
            }
            shares.append(d.share)
        }
        close()
        return spans
    }

    func metrics(for country: String) -> [String] {
        var list = Report.mainMetrics + (country == "ALL" ? Report.borderWideMetrics : [])
        for c in folder.comparison ?? [] where c.country == country && !c.metric.contains("+") && !list.contains(c.metric) {
            list.append(c.metric)
        }
        let present = Set(folder.summary.filter { $0.country == country }.map(\.metric))
        return list.filter(present.contains)
    }

    /// With one period for the whole run (`--period total`) there is no
    /// time to draw: a table of each country's figures instead.
    func totalsSection() -> HNode {
        let rows = countries.flatMap { country in
            metrics(for: country).compactMap { m in folder.summary.first { $0.country == country && $0.metric == m } }
        }
        let period = folder.summary.first.map { "\($0.start) to \($0.end)" } ?? ""
        return M.el("section", [], [
            M.el("h2", [("id", "series")], text: "Flows and stocks, whole run"),
            M.el("p", [("class", "small")], text: "One output period (\(period)): flows are totals over the run, stocks the values on its last day; "
                     + "mean and 5th to 95th percentile over \(replicationsText) replications. Run with --period month (or week, day) for charts over time."),
            M.el("table", [("class", "data")], [
                M.el("thead", [], [M.el("tr", [], ["Country", "Metric", "Mean", "90% interval (\(info.intervalIncludes))", "Unit"].map { M.el("th", [("scope", "col")], text: $0) })]),
                M.el("tbody", [], rows.map { r in
                    M.el("tr", [], [
                        M.el("td", [], text: r.country), M.el("td", [], text: MetricText.title(r.metric)),
                        M.el("td", [("class", "num")], text: readableNumber(r.mean)),
                        M.el("td", [("class", "num range")], text: "\(readableNumber(r.p05)) to \(readableNumber(r.p95))"),
                        M.el("td", [("class", "small")], text: MetricText.unit(r.metric, period: "total")),
                    ])
                }),
            ]),
        ])
    }

    func timeSeriesSection() -> HNode {
        if Set(folder.summary.map(\.start)).count == 1 { return totalsSection() }
        let spans = restrictionSpans()
        var note = "Per country and for ALL (the modelled countries together): the mean over \(replicationsText) replications "
            + "(line) and the 5th to 95th percentile band. Flows are drawn at the middle of each period, stocks at its end."
        if !info.restrictionRule.isEmpty {
            note += folder.restriction != nil
                ? " Hatched: days on which the border-wide restriction rule was active in more than half of the replications (restriction.csv)."
                : " Hatched: periods in which the border-wide restriction rule was active on more than half of the days, "
                    + "on average over replications (from ALL restriction_days; use --period week or day for finer shading)."
        } else if folder.infoFile != nil {
            note += " The scenario has no border-wide restriction rule."
        }
        if folder.comparison != nil {
            note += " Diamonds: reported figures from comparison.csv whose period is a chart period (flows) or ends at a chart point (stocks)."
        }
        var nodes: [HNode] = [M.el("h2", [("id", "series")], text: "Flows and stocks over time"), M.el("p", [("class", "small")], text: note)]
        for country in countries {
            let name = info.countryNames[country].map { "\(country) — \($0)" } ?? (country == "ALL" ? "ALL — modelled countries together" : country)
            let charts = metrics(for: country).compactMap { timeChart(country: country, metric: $0, spans: spans) }
            guard !charts.isEmpty else { continue }
            nodes.append(M.el("section", [("class", "country")], [M.el("h3", [], text: name), M.el("div", [("class", "grid")], charts)]))
        }
        return M.el("section", [], nodes)
    }

    func figure(title: String, unit: String, chart: Chart, note: String? = nil) -> HNode {
        chartCount += 1
        var children: [HNode] = [
            M.el("figcaption", [], [M.el("strong", [], text: title), M.el("span", [("class", "unit")], text: " " + unit)]),
            chart.render(id: String(chartCount)),
        ]
        if let note { children.append(M.el("p", [("class", "small")], text: note)) }
        return M.el("figure", [], children)
    }

    /// Whether a summary's series is zero in every replication.
    static func allZero(_ rows: [SummaryRow]) -> Bool { rows.allSatisfy { $0.mean == 0 && $0.p05 == 0 && $0.p95 == 0 } }

    func eventLayers(from first: CivilDate, to last: CivilDate) -> [Layer] {
        DifferenceCharts.eventLayers(info.events, from: first, to: last)
    }

    func timeChart(country: String, metric: String, spans: [(first: Int, last: Int, hover: String)]) -> HNode? {
        let rows = folder.summary.filter { $0.country == country && $0.metric == metric }.sorted { $0.start < $1.start }
        guard let first = rows.first?.start, let last = rows.map(\.end).max() else { return nil }
        let stock = MetricText.isStock(metric)
        let xs = rows.map { stock ? Double($0.end.dayNumber + 1) : Double($0.start.dayNumber + $0.end.dayNumber + 1) / 2 }
        var layers: [Layer] = []
        var legend: [(LegendSwatch, String)] = [(.line(.primary), "mean"), (.band(.primary), "90% interval (p05–p95; \(info.intervalIncludes))")]
        let visibleSpans = spans.filter { $0.last >= first.dayNumber && $0.first <= last.dayNumber }
        for s in visibleSpans { layers.append(.shade(x0: Double(s.first), x1: Double(s.last + 1), hover: s.hover)) }
        if !visibleSpans.isEmpty { legend.append((.shade, "restriction rule active")) }
        layers.append(.band(x: xs, low: rows.map(\.p05), high: rows.map(\.p95), ink: .primary))
        layers.append(.line(x: xs, y: rows.map(\.mean), ink: .primary, width: 2))
        if rows.count == 1 {
            layers.append(.whiskers(x: xs, low: rows.map(\.p05), high: rows.map(\.p95), mean: rows.map(\.mean),
                                    hover: ["mean \(readableNumber(rows[0].mean)), 90% interval \(readableNumber(rows[0].p05)) to \(readableNumber(rows[0].p95))"]))
        }
        // Reported figures that can stand on this chart.
        var rx: [Double] = [], ry: [Double] = [], rh: [String] = []
        for c in folder.comparison ?? [] where c.country == country && c.metric == metric {
            guard let p = c.namedPeriod else { continue }
            var x: Double?
            if stock {
                if p.last >= first && p.last <= last { x = Double(p.last.dayNumber + 1) }
            } else if rows.contains(where: { $0.start == p.first && $0.end == p.last }) {
                x = Double(p.first.dayNumber + p.last.dayNumber + 1) / 2
            }
            guard let x else { continue }
            rx.append(x); ry.append(c.reported)
            rh.append("Reported \(readableNumber(c.reported)) for \(c.period) — source: \(c.source.isEmpty ? "not given" : c.source). "
                      + "Simulated mean \(readableNumber(c.mean)), 90% interval \(readableNumber(c.p05)) to \(readableNumber(c.p95)).")
        }
        if !rx.isEmpty {
            layers.append(.reported(x: rx, y: ry, hover: rh))
            legend.append((.reported, "reported figure (hover: source)"))
        }
        let events = eventLayers(from: first, to: last)
        layers += events
        if !events.isEmpty { legend.append((.event, "scenario event (numbered)")) }
        let y = AxisMath.numericAxis(values: rows.flatMap { [$0.mean, $0.p05, $0.p95] } + ry, wholeNumbers: MetricText.isWholeCount(metric))
        let title = MetricText.title(metric)
        let chart = Chart(x: .dates(first, last), y: y, layers: layers, legend: legend,
                          ariaLabel: "\(title), \(country), \(first) to \(last)")
        return figure(title: title, unit: MetricText.unit(metric, period: periodWord), chart: chart,
                      note: Self.allZero(rows) ? DifferenceCharts.allZeroNote : nil)
    }

    // MARK: Comparison

    func comparisonSection(_ rows: [ComparisonRecord]) -> HNode {
        let hasPass = rows.contains { $0.pass != nil }
        let hasTolerance = rows.contains { $0.tolerance != nil }, hasRole = rows.contains { $0.role != nil }
        let passed = rows.filter { $0.pass ?? $0.withinInterval }.count
        let byTolerance = rows.filter { $0.passBy == PassKind.tolerance.rawValue }.count
        let headerCells = ["Metric", "Country", "Period", "Reported", "Simulated mean", "90% interval", "Relative error"]
            + (hasTolerance ? ["Tolerance"] : []) + ["In interval"] + (hasRole ? ["Role"] : []) + (hasPass ? ["Pass"] : []) + ["Source"]
        var summaryText = hasPass
            ? "\(passed) of \(rows.count) targets pass (the pass column of comparison.csv)."
            : "\(passed) of \(rows.count) reported figures lie within the simulated 90% interval."
        if byTolerance > 0 { summaryText += " \(byTolerance) of them pass by tolerance only: outside the interval, the mean within the target's tolerance (marked ≈)." }
        if hasRole {
            summaryText += " Fitted targets were used by the calibration; check targets were not, so only they test the model out of sample."
        }
        return M.el("section", [], [
            M.el("h2", [("id", "comparison")], text: "Reported figures against the simulation"),
            M.el("p", [], text: summaryText),
            M.el("p", [("class", "small")], text: "90% intervals include: \(info.intervalIncludes)."),
            M.el("table", [("class", "data")], [
                M.el("thead", [], [M.el("tr", [], headerCells.map { M.el("th", [("scope", "col")], text: $0) })]),
                M.el("tbody", [], rows.map { r in
                    let ok = r.pass ?? r.withinInterval
                    var cells: [HNode] = [
                        M.el("td", [], Self.breakable(r.metric, after: ["+", "_"])), M.el("td", [], text: r.country),
                        M.el("td", [("class", "period")], Self.breakable(r.period, after: [".."])),
                        M.el("td", [("class", "num")], text: readableNumber(r.reported)),
                        M.el("td", [("class", "num")], text: readableNumber(r.mean)),
                        M.el("td", [("class", "num range")], text: "\(readableNumber(r.p05)) to \(readableNumber(r.p95))"),
                        M.el("td", [("class", "num")], text: r.relativeError.isFinite ? groupedNumber(100 * r.relativeError, decimals: 1) + "%" : "NA"),
                    ]
                    if hasTolerance {
                        cells.append(M.el("td", [("class", "num")], text: r.tolerance.map { groupedNumber(100 * $0, decimals: 0) + "%" } ?? ""))
                    }
                    cells.append(M.el("td", [], text: r.withinInterval ? "yes" : "no"))
                    if hasRole { cells.append(M.el("td", [], text: r.role ?? "")) }
                    if hasPass {
                        let text = !ok ? "✗ FAIL" : r.passBy == PassKind.tolerance.rawValue ? "≈ pass by tolerance" : "✓ pass"
                        cells.append(M.el("td", [("class", ok ? (r.passBy == PassKind.tolerance.rawValue ? "pass tolerance" : "pass") : "fail")], text: text))
                    }
                    cells.append(M.el("td", [("class", "small")], Self.breakable(r.source, after: ["/", "_"])))
                    return M.el("tr", [("class", ok ? "ok" : "bad")], cells)
                }),
            ]),
        ])
    }

    /// Text that may wrap only after one of `separators` (a range period's
    /// "..", a sum's "+", a file name's "_" or "/"), so a 1,200 px page
    /// fits the table without breaking a date, a number or a word.
    static func breakable(_ text: String, after separators: [String]) -> [HNode] {
        var pieces = [text]
        for separator in separators {
            pieces = pieces.flatMap { piece -> [String] in
                let parts = piece.components(separatedBy: separator)
                return parts.indices.map { parts[$0] + ($0 < parts.count - 1 ? separator : "") }
            }
        }
        return pieces.filter { !$0.isEmpty }.enumerated().flatMap { i, piece -> [HNode] in
            i == 0 ? [.text(piece)] : [.raw("<wbr>"), .text(piece)]
        }
    }

    // MARK: Flights

    func flightSection() -> HNode {
        var nodes: [HNode] = [M.el("h2", [("id", "flights")], text: "Charter flights")]
        guard let flights = folder.flights, !flights.isEmpty,
              let first = runFirstDay ?? flights.map(\.date).min(), let last = runLastDay ?? flights.map(\.date).max() else {
            let why = folder.flights == nil
                ? "No flights.csv in this folder, so no flight timeline: run with --write-flights to get one."
                : "flights.csv lists no scheduled charters."
            nodes.append(M.el("p", [("class", "notice")], text: why))
            return M.el("section", [], nodes)
        }
        let replications = Double(Int(info.replications) ?? ((flights.map(\.replication).max() ?? 0) + 1))
        var routes: [String] = []
        for f in flights where !routes.contains(f.route) { routes.append(f.route) }
        // Weekly bins (Monday to Sunday) for runs up to about a year, monthly beyond.
        let weekly = last.dayNumber - first.dayNumber <= 400
        func binStart(_ d: CivilDate) -> Int {
            weekly ? d.dayNumber - (d.isoWeekday - 1) : CivilDate(year: d.year, month: d.month, day: 1)!.dayNumber
        }
        func binEnd(_ start: Int) -> Int {
            let d = CivilDate(dayNumber: start)
            return weekly ? start + 7 : start + CivilDate.daysIn(year: d.year, month: d.month)
        }
        nodes.append(M.el("p", [("class", "small")], text:
            "From flights.csv: per route and \(weekly ? "week" : "month"), seats on charters that flew (dashed outline) and people "
            + "boarded (filled), each per replication on average over \(Int(replications)) replications."))
        var tableRows: [HNode] = []
        var charts: [HNode] = []
        for route in routes {
            let list = flights.filter { $0.route == route }
            let flown = list.filter { $0.status == "flown" }
            var seats: [Int: Double] = [:], boarded: [Int: Double] = [:], count: [Int: Double] = [:]
            for f in flown {
                let b = binStart(f.date)
                seats[b, default: 0] += Double(f.seats) / replications
                boarded[b, default: 0] += Double(f.boarded) / replications
                count[b, default: 0] += 1 / replications
            }
            let bins = seats.keys.sorted()
            let x0 = bins.map { Double(max($0, first.dayNumber)) + 0.3 }
            let x1 = bins.map { Double(min(binEnd($0), last.dayNumber + 1)) - 0.3 }
            let hover = bins.map { b in
                "\(CivilDate(dayNumber: b)) \(weekly ? "week" : "month"): \(readableNumber(count[b] ?? 0)) charters flown, "
                    + "\(readableNumber(seats[b] ?? 0)) seats, \(readableNumber(boarded[b] ?? 0)) boarded (per replication)"
            }
            let y = AxisMath.numericAxis(values: bins.map { seats[$0] ?? 0 })
            let layers: [Layer] = [
                .outlinedBars(x0: x0, x1: x1, y: bins.map { seats[$0] ?? 0 }, hover: hover),
                .bars(x0: x0, x1: x1, y0: bins.map { _ in 0 }, y1: bins.map { boarded[$0] ?? 0 }, ink: .primary, hover: hover),
            ] + eventLayers(from: first, to: last)
            let chart = Chart(x: .dates(first, last), y: y, layers: layers,
                              legend: [(.outlinedBar, "seats on flights flown"), (.bar(.primary), "boarded")],
                              ariaLabel: "Charter route \(route): seats and boarded")
            charts.append(figure(title: "Route \(route)", unit: "people per \(weekly ? "week" : "month") per replication", chart: chart))
            let statuses = Dictionary(grouping: list, by: \.status).mapValues { Double($0.count) / replications }
            let cancelled = statuses.filter { $0.key != "flown" }.sorted { $0.key < $1.key }
                .map { "\($0.key.replacingOccurrences(of: "cancelled_", with: "")) \(readableNumber($0.value))" }.joined(separator: ", ")
            let seatsFlown = flown.reduce(0.0) { $0 + Double($1.seats) }, boardedTotal = flown.reduce(0.0) { $0 + Double($1.boarded) }
            tableRows.append(M.el("tr", [], [
                M.el("td", [], text: route),
                M.el("td", [("class", "num")], text: readableNumber(Double(list.count) / replications)),
                M.el("td", [("class", "num")], text: readableNumber(Double(flown.count) / replications)),
                M.el("td", [], text: cancelled.isEmpty ? "none" : cancelled),
                M.el("td", [("class", "num")], text: readableNumber(seatsFlown / replications)),
                M.el("td", [("class", "num")], text: readableNumber(boardedTotal / replications)),
                M.el("td", [("class", "num")], text: seatsFlown > 0 ? groupedNumber(100 * boardedTotal / seatsFlown, decimals: 1) + "%" : "NA"),
            ]))
        }
        nodes.append(M.el("table", [("class", "data")], [
            M.el("thead", [], [M.el("tr", [], ["Route", "Scheduled", "Flown", "Cancelled (by reason)", "Seats flown", "Boarded", "Load factor"]
                .map { M.el("th", [("scope", "col")], text: $0) })]),
            M.el("tbody", [], tableRows),
            M.el("caption", [], text: "Per replication, on average over the whole run."),
        ]))
        nodes.append(M.el("div", [("class", "grid")], charts))
        return M.el("section", [], nodes)
    }

    // MARK: Costs

    func costSection() -> HNode {
        var nodes: [HNode] = [M.el("h2", [("id", "costs")], text: "Costs by category")]
        let series = Report.costMetrics.map { m in
            (m, folder.summary.filter { $0.country == "ALL" && $0.metric == m }.sorted { $0.start < $1.start })
        }
        guard let periods = series.first?.1.map({ ($0.start, $0.end) }), !periods.isEmpty,
              series.allSatisfy({ $0.1.map { ($0.start, $0.end) }.elementsEqual(periods, by: ==) }),
              let first = runFirstDay, let last = runLastDay else {
            nodes.append(M.el("p", [("class", "notice")], text: "summary.csv has no cost_detention, cost_charter and cost_commercial rows for ALL."))
            return M.el("section", [], nodes)
        }
        let inks: [Ink] = [.primary, .secondary, .tertiary]
        var base = periods.map { _ in 0.0 }
        var layers: [Layer] = []
        var legend: [(LegendSwatch, String)] = []
        for (k, (metric, rows)) in series.enumerated() {
            let top = zip(base, rows).map { $0 + ($1.mean.isFinite ? $1.mean : 0) }
            layers.append(.bars(x0: periods.map { Double($0.0.dayNumber) + 0.5 }, x1: periods.map { Double($0.1.dayNumber) + 0.5 },
                                y0: base, y1: top, ink: inks[k],
                                hover: rows.map { "\(MetricText.title(metric)), \($0.start) to \($0.end): US$ \(readableNumber($0.mean)) (90%: \(readableNumber($0.p05)) to \(readableNumber($0.p95)))" }))
            legend.append((.bar(inks[k]), MetricText.title(metric).replacingOccurrences(of: "Cost ", with: "")))
            base = top
        }
        let chart = Chart(x: .dates(first, last), y: AxisMath.numericAxis(values: base), layers: layers, legend: legend,
                          ariaLabel: "Costs by category, stacked, per period")
        // A category the scenario gives no price (costs.detention_bed_day ...) is zero throughout: say which.
        let zero = series.filter { Self.allZero($0.1) }.map(\.0)
        let note = zero.isEmpty ? nil : zero.count == series.count
            ? "Zero in every replication: the scenario sets no costs (costs.detention_bed_day, costs.charter_flight_hour, costs.commercial_removal)."
            : zero.joined(separator: ", ") + (zero.count == 1 ? " is" : " are") + " zero in every replication: the scenario sets nothing that produces "
                + (zero.count == 1 ? "it." : "them.")
        nodes.append(M.el("div", [("class", "grid")], [figure(title: "Costs by category (stacked means)",
                                                              unit: MetricText.unit("cost_total", period: periodWord), chart: chart, note: note)]))
        var rows: [HNode] = []
        for (metric, list) in series + [("cost_total", folder.summary.filter { $0.country == "ALL" && $0.metric == "cost_total" })] where !list.isEmpty {
            let total = list.reduce(0.0) { $0 + ($1.mean.isFinite ? $1.mean : 0) }
            rows.append(M.el("tr", [], [M.el("td", [], text: metric),
                                        M.el("td", [("class", "num")], text: "US$ " + groupedNumber(total))]))
        }
        nodes.append(M.el("table", [("class", "data narrow")], [
            M.el("thead", [], [M.el("tr", [], [M.el("th", [], text: "Category"), M.el("th", [], text: "Whole run, mean")])]),
            M.el("tbody", [], rows),
        ]))
        return M.el("section", [], nodes)
    }

    // MARK: Sweep

    func sweepSection(_ sweep: SweepData) -> HNode {
        var nodes: [HNode] = [
            M.el("h2", [("id", "sweep")], text: "Sweep: outcomes against swept parameters"),
            M.el("p", [("class", "small")], text: "\(sweep.points.count) points, \(sweep.outcomeNames.count) outcomes, "
                     + "\(sweep.parameters.count) parameters. Each dot is a point's mean over its replications; whiskers run from the 5th to the 95th percentile."),
            M.el("p", [("class", "small")], text: "90% intervals include: \(info.intervalIncludes)."),
        ]
        for outcome in sweep.outcomeNames {
            let rows = sweep.outcomes.filter { $0.outcome == outcome }
            var charts: [HNode] = []
            for (k, parameter) in sweep.parameters.enumerated() {
                let texts = rows.map { sweep.points[$0.point]?[k] ?? "" }
                let numbers = texts.map { Double($0) }
                let x: XAxis
                let xs: [Double]
                if numbers.allSatisfy({ $0 != nil && $0!.isFinite }) {
                    x = .numeric(AxisMath.numericAxis(values: numbers.map { $0! }, includeZero: false))
                    xs = numbers.map { $0! }
                } else {
                    var categories: [String] = []
                    for t in texts where !categories.contains(t) { categories.append(t) }
                    x = .categories(categories)
                    xs = texts.map { Double(categories.firstIndex(of: $0)!) }
                }
                let hover = zip(rows, texts).map { r, t in
                    "point \(r.point): \(parameter) = \(t); \(outcome) mean \(readableNumber(r.mean)), 90% \(readableNumber(r.p05)) to \(readableNumber(r.p95))"
                }
                let chart = Chart(x: x, y: AxisMath.numericAxis(values: rows.flatMap { [$0.mean, $0.p05, $0.p95] }, includeZero: false),
                                  layers: [.whiskers(x: xs, low: rows.map(\.p05), high: rows.map(\.p95), mean: rows.map(\.mean), hover: hover)],
                                  legend: [(.whisker, "point mean and 90% interval")], ariaLabel: "\(outcome) against \(parameter)")
                charts.append(figure(title: "\(outcome) against \(parameter)", unit: "", chart: chart))
            }
            nodes.append(M.el("section", [], [M.el("h3", [], text: outcome), M.el("div", [("class", "grid")], charts)]))
        }
        return M.el("section", [], nodes)
    }

    // MARK: Sensitivity

    /// Per outcome, S1 and ST with their intervals (Sobol), or mu* against
    /// sigma (Morris), from sensitivity.csv.
    func sensitivitySection(_ data: SensitivityData) -> HNode {
        let sobol = data.kind == .sobol
        var nodes: [HNode] = [
            M.el("h2", [("id", "sensitivity")], text: sobol ? "Sensitivity: Sobol indices" : "Sensitivity: Morris elementary effects"),
            M.el("p", [("class", "small")], text: sobol
                 ? "From sensitivity.csv: the first-order index S1 (the share of an outcome's variance a parameter explains alone) and the total index ST (alone and with the others), computed on each point's mean over its replications; whiskers are 95% bootstrap intervals (100 resamples of the base rows). Parameters are ranked by ST."
                 : "From sensitivity.csv: mu* (the mean absolute change of the outcome per Morris step of a parameter) against sigma (how much that change depends on the other parameters: interactions or non-linearity), computed on each point's mean over its replications. Parameters far right matter most; high sigma means their effect is not additive."),
        ]
        var outcomes: [String] = []
        for r in data.rows where !outcomes.contains(r.outcome) { outcomes.append(r.outcome) }
        var charts: [HNode] = []
        for outcome in outcomes {
            let rows = data.rows.filter { $0.outcome == outcome }
            let names = rows.map { $0.parameter.split(separator: ".").last.map(String.init) ?? $0.parameter }
            let labels = Set(names).count == names.count ? names : rows.map(\.parameter)
            let share = data.noiseShare[outcome].flatMap { $0.isNaN ? nil : $0 }
            let note = share.map { String(format: "Replication noise: %.1f%% of the variance of the point means.", 100 * $0) }
            let chart: Chart
            if sobol {
                let order = rows.indices.sorted { rows[$0].second > rows[$1].second || (rows[$0].second == rows[$1].second && $0 < $1) }
                let x = order.indices.map(Double.init)
                func hover(_ k: Int, _ name: String, _ v: Double, _ c: Double) -> String {
                    "\(rows[order[k]].parameter): \(name) \(readableNumber(v)) ± \(readableNumber(c))"
                }
                let s1 = order.map { rows[$0].first }, s1c = order.map { rows[$0].firstConfidence }
                let st = order.map { rows[$0].second }, stc = order.map { rows[$0].secondConfidence }
                let s1Low: [Double] = zip(s1, s1c).map { $0 - $1 }, s1High: [Double] = zip(s1, s1c).map { $0 + $1 }
                let stLow: [Double] = zip(st, stc).map { $0 - $1 }, stHigh: [Double] = zip(st, stc).map { $0 + $1 }
                let zeros: [Double] = x.map { _ in 0 }
                let s1Hover: [String] = x.indices.map { hover($0, "S1", s1[$0], s1c[$0]) }
                let stHover: [String] = x.indices.map { hover($0, "ST", st[$0], stc[$0]) }
                let left: [Double] = x.map { $0 - 0.19 }, right: [Double] = x.map { $0 + 0.19 }
                let layers: [Layer] = [
                    .bars(x0: left.map { $0 - 0.17 }, x1: left.map { $0 + 0.17 }, y0: zeros, y1: s1, ink: .primary, hover: s1Hover),
                    .bars(x0: right.map { $0 - 0.17 }, x1: right.map { $0 + 0.17 }, y0: zeros, y1: st, ink: .secondary, hover: stHover),
                    .whiskers(x: left, low: s1Low, high: s1High, mean: s1, hover: s1Hover),
                    .whiskers(x: right, low: stLow, high: stHigh, mean: st, hover: stHover),
                ]
                let extent: [Double] = s1Low + s1High + stLow + stHigh + [1]
                chart = Chart(x: .categories(order.map { labels[$0] }), y: AxisMath.numericAxis(values: extent),
                              layers: layers,
                              legend: [(.bar(.primary), "S1, first order"), (.bar(.secondary), "ST, total order"),
                                       (.whisker, "95% bootstrap interval")],
                              ariaLabel: "Sobol indices of \(outcome)")
            } else {
                let muStar = rows.map(\.first), sigma = rows.map(\.second)
                let hover = rows.map { "\($0.parameter): mu* \(readableNumber($0.first)) ± \(readableNumber($0.firstConfidence)), sigma \(readableNumber($0.second)), mu \(readableNumber($0.secondConfidence))" }
                chart = Chart(x: .numeric(AxisMath.numericAxis(values: muStar)), y: AxisMath.numericAxis(values: sigma),
                              layers: [.whiskers(x: muStar, low: muStar.map { _ in .nan }, high: muStar.map { _ in .nan }, mean: sigma, hover: hover),
                                       .labels(x: muStar, y: sigma, text: labels)],
                              legend: [(.whisker, "parameter (mu* across, sigma up)")], ariaLabel: "Morris mu* against sigma of \(outcome)")
            }
            charts.append(figure(title: sobol ? "\(outcome): S1 and ST" : "\(outcome): mu* against sigma", unit: "", chart: chart, note: note))
        }
        nodes.append(M.el("div", [("class", "grid")], charts))
        return M.el("section", [], nodes)
    }

    // MARK: Difference

    /// Per variant: the whole-run table (difference_total.csv) first, the
    /// events the variant adds or moves, then per country the level and
    /// difference charts with the baseline's events and the variant's own.
    func differenceSection(_ rows: [DifferenceRecord]) -> HNode {
        var nodes: [HNode] = [
            M.el("h2", [("id", "difference")], text: "Variants against the baseline"),
            M.el("p", [("class", "small")], text: "From difference.csv and difference_total.csv. The table: each metric over the whole run "
                     + "(flows summed, stocks at its end), the paired difference's mean and 5th to 95th percentile. Charts, left: baseline "
                     + "(solid) and variant (dashed) means. Right: the paired difference variant minus baseline, its mean and 5th to 95th "
                     + "percentile band; the dark horizontal line is zero. Numbered dashed lines: the baseline's events; "
                     + "V-numbered dotted lines: events of the variant that the baseline does not have."),
            M.el("p", [("class", "small")], text: "90% intervals include: \(info.intervalIncludes)."),
        ]
        var variants: [String] = []
        for r in rows where !variants.contains(r.variant) { variants.append(r.variant) }
        var countryOrder: [String] = []
        for r in rows where !countryOrder.contains(r.country) { countryOrder.append(r.country) }
        countryOrder = countryOrder.filter { $0 == "ALL" } + countryOrder.filter { $0 != "ALL" }
        let metrics = differenceChartMetrics(rows)
        for variant in variants {
            let own = DifferenceCharts.variantOwnEvents(baseline: info.events, variant: info.variantEvents[variant] ?? [])
            var sections: [HNode] = [wholeRunDifferenceTable(variant: variant, rows: rows, countries: countryOrder, metrics: metrics)]
            if !own.isEmpty {
                sections.append(M.el("h4", [], text: "Events of \(variant) that the baseline does not have (V-numbered on its charts)"))
                sections.append(M.el("ol", [("class", "events")], own.enumerated().map { i, e in
                    M.el("li", [], [M.el("span", [("class", "mono")], text: "V\(i + 1) " + e.date.description), .text(" " + e.label)])
                }))
            }
            for country in countryOrder {
                var charts: [HNode] = []
                for metric in metrics {
                    guard let (title, levels, difference) = DifferenceCharts.charts(
                        rows: rows, variant: variant, country: country, metric: metric, events: info.events,
                        variantEvents: info.variantEvents[variant] ?? []) else { continue }
                    let unit = MetricText.unit(metric, period: periodWord)
                    let zero = DifferenceCharts.allZero(rows.filter { $0.variant == variant && $0.country == country && $0.metric == metric })
                    charts.append(figure(title: title, unit: unit, chart: levels, note: zero ? DifferenceCharts.allZeroNote : nil))
                    charts.append(figure(title: "\(title): \(variant) − baseline", unit: unit, chart: difference))
                }
                if !charts.isEmpty {
                    let name = info.countryNames[country].map { "\(country) — \($0)" } ?? country
                    sections.append(M.el("section", [("class", "country")], [M.el("h4", [], text: name), M.el("div", [("class", "grid")], charts)]))
                }
            }
            nodes.append(M.el("section", [], [M.el("h3", [], text: "Variant \(variant)")] + sections))
        }
        return M.el("section", [], nodes)
    }

    /// The whole-run rows of one variant: difference_total.csv, or
    /// difference.csv itself when it has one period (`--period total`);
    /// `metrics` in order, countries ALL first. With one modelled country
    /// ALL repeats it, so ALL keeps only the border-wide metrics.
    func wholeRunDifferenceTable(variant: String, rows: [DifferenceRecord], countries: [String], metrics: [String]) -> HNode {
        let whole = folder.differenceTotal ?? (Set(rows.map(\.start)).count == 1 ? rows : [])
        guard !whole.isEmpty else {
            return M.el("p", [("class", "notice")], text: "No difference_total.csv in this folder (made by an older deportsim): "
                        + "run `deportsim diff` again, or with --period total, for the whole-run table.")
        }
        let single = countries.filter { $0 != "ALL" }.count == 1
        var list: [DifferenceRecord] = []
        for metric in metrics {
            for country in countries {
                if single && country == "ALL", let m = Metric(name: metric), Metric.perCountry.contains(m) { continue }
                if let r = whole.first(where: { $0.variant == variant && $0.country == country && $0.metric == metric }) { list.append(r) }
            }
        }
        let span = whole.first.map { "\($0.start) to \($0.end)" } ?? ""
        return M.el("section", [("class", "whole-run")], [
            M.el("h4", [], text: "Whole run (\(span)): \(variant) against the baseline"),
            M.el("table", [("class", "data")], [
                M.el("thead", [], [M.el("tr", [], ["Metric", "Country", "Baseline", "Variant", "Difference", "90% interval of the difference",
                                                   "Relative change", "Unit"].map { M.el("th", [("scope", "col")], text: $0) })]),
                M.el("tbody", [], list.map { r in
                    M.el("tr", [], [
                        M.el("td", [], text: MetricText.title(r.metric)), M.el("td", [], text: r.country),
                        M.el("td", [("class", "num")], text: readableNumber(r.baselineMean)),
                        M.el("td", [("class", "num")], text: readableNumber(r.variantMean)),
                        M.el("td", [("class", "num")], text: readableNumber(r.differenceMean)),
                        M.el("td", [("class", "num range")], text: "\(readableNumber(r.differenceP05)) to \(readableNumber(r.differenceP95))"
                             + (r.differenceP05 <= 0 && r.differenceP95 >= 0 ? " (contains 0)" : "")),
                        M.el("td", [("class", "num")], text: r.relativeChange.isFinite ? groupedNumber(100 * r.relativeChange, decimals: 1) + "%" : "NA"),
                        M.el("td", [("class", "small")], text: MetricText.unit(r.metric, period: "total")),
                    ])
                }),
            ]),
        ])
    }

    /// The metrics of difference.csv when it holds a selection (`diff
    /// --metrics`), in its order; otherwise the main ones.
    func differenceChartMetrics(_ rows: [DifferenceRecord]) -> [String] {
        var present: [String] = []
        for r in rows where !present.contains(r.metric) { present.append(r.metric) }
        return present.count < Metric.allCases.count ? present : Report.differenceMetrics
    }

    // MARK: Style

    static let css = """
    :root{color-scheme:light}
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;margin:0 auto;max-width:1160px;padding:16px 20px;line-height:1.4}
    h1{font-size:1.7em;margin:.2em 0}h2{border-bottom:2px solid #15315e;padding-bottom:2px;margin-top:1.6em}
    h3{margin:1.1em 0 .3em}.lead{font-size:1.1em;color:#333}
    .small{font-size:.85em;color:#444}.notice{background:#f4f4f4;border-left:4px solid #777;padding:6px 10px}
    .mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
    td.period{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.85em}
    table.data td.small{overflow-wrap:break-word;min-width:12em}table.data{table-layout:auto;max-width:100%}
    nav.toc ol{columns:2;margin:.2em 0 1em}nav.toc h2{border:none;margin-top:1em}
    table{border-collapse:collapse;margin:.5em 0}table.meta th{text-align:left;padding:1px 12px 1px 0;font-weight:600;vertical-align:top}
    table.data{width:100%;font-size:.88em}table.data.narrow{width:auto}
    table.data th,table.data td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}table.data th{background:#eef1f6}
    td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}td.num.range{white-space:normal}
    td.pass{font-weight:600}td.tolerance{font-weight:400;font-style:italic}td.fail{font-weight:700;background:#e0e0e0;text-decoration:underline}
    caption{caption-side:bottom;font-size:.8em;color:#555;text-align:left}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:10px 18px}
    figure{margin:0;max-width:640px;break-inside:avoid;page-break-inside:avoid}figcaption{font-size:.92em}.unit{color:#555;font-size:.9em}
    svg.chart{width:100%;height:auto;display:block}
    \(Chart.stylesheet)
    .save-row{margin-top:2px}button.save{font:inherit;font-size:.8em;margin-right:.5em}
    ol.events{margin-top:0}footer{margin-top:2em;font-size:.8em;color:#555;border-top:1px solid #ccc;padding-top:6px}
    @media print{body{max-width:none;padding:0;font-size:10pt}.save-row{display:none}.grid{grid-template-columns:1fr 1fr}h2{break-before:auto;break-after:avoid}
    h3{break-after:avoid}section.country{break-inside:auto}a{color:inherit}}
    @page{size:A4;margin:14mm}
    """
}
