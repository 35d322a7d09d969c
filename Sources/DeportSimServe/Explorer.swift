import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import DeportSimReport
import Foundation

/// What one server may be asked to do; every bound is a `deportsim serve` flag.
public struct ExplorerLimits: Sendable {
    /// Replications a request may ask for (each runs baseline and variant).
    public var maxReplications = 500
    /// Replications when a request names none: the scenario's, capped at this.
    public var defaultReplications = 200
    /// Longest run the server accepts, in days (the scenario's own length is checked at start).
    public var maxDays = 3_660
    /// Simulations running at once (each on one thread).
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Simulations waiting for a worker; beyond, 503.
    public var queue = 8
    /// Simulations one client (remote address) may have running or waiting.
    public var perClient = 1
    /// Seconds a request may wait and run before it is answered 503.
    public var timeLimitSeconds = 30.0
    /// Largest request body, in bytes; beyond, 413.
    public var maxBodyBytes = 64 * 1024
    public init() {}
}

/// A control of the page: a scenario path with its unit, range and baseline value.
public struct ExplorerControl: Codable, Sendable, Equatable {
    public var path: String
    public var label: String
    public var unit: String
    public var low: Double
    public var high: Double
    public var step: Double
    public var baseline: Double
    /// Why the value may not hold for the whole run (an event sets the path), or empty.
    public var note: String
}

/// What a request asks: settings (path = value) of the variant, the
/// countries to chart and the replications.
public struct ExplorerRequest: Sendable, Equatable {
    public var settings: [Setting]
    public var countries: [String]
    public var replications: Int

    public struct Setting: Sendable, Equatable {
        public var path: String
        public var value: Double
    }
}

/// A request the explorer refuses, with the CLI's located message.
public struct ExplorerInputError: Error, Sendable {
    public var message: String
    public var path: String
}

/// The explorer without HTTP: the loaded scenario, its controls, request
/// checking, the paired run and its JSON, the overlay and the CSV texts.
public final class Explorer: Sendable {
    public let baseline: LoadedScenario
    public let controls: [ExplorerControl]
    public let limits: ExplorerLimits
    /// The variant's name in difference.csv and the overlay.
    public var variantName: String { baseline.scenario.name + "-explorer" }
    /// Charts and tables come per output period; a whole-run scenario is charted by month.
    var period: PeriodKind { baseline.scenario.outputPeriod == .total ? .month : baseline.scenario.outputPeriod }

    public init(baseline: LoadedScenario, spec: SweepSpec? = nil, limits: ExplorerLimits = ExplorerLimits()) throws {
        if baseline.scenario.dayCount > limits.maxDays {
            throw DeportSimError.badInput(baseline.tree["end"]?.location, "end",
                                          "the explorer runs at most \(limits.maxDays) days (--max-days), found \(baseline.scenario.dayCount)")
        }
        self.baseline = baseline
        self.limits = limits
        controls = spec.map { Self.controls(spec: $0, in: baseline) } ?? Self.defaultControls(in: baseline)
    }

    // MARK: Controls

    static func number(_ tree: TreeNode, _ path: String) -> Double? {
        TreePaths.get(tree, path: path)?.scalarText.flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
    }

    static func control(_ path: String, label: String, unit: String, low: Double, high: Double, in loaded: LoadedScenario) -> ExplorerControl? {
        guard let value = number(loaded.tree, path) else { return nil }
        let whole = TreePaths.isWholeNumber(path)
        let lo = min(low, value), hi = max(high, value, lo + (whole ? 1 : 1e-6))
        let step = whole ? 1 : AxisMath.niceStep(span: hi - lo, count: 200)
        let note = loaded.scenario.overrideWarnings(path: path, what: "explorer's").map {
            $0.replacingOccurrences(of: "warning: ", with: "")
        }.joined(separator: "; ")
        return ExplorerControl(path: path, label: label, unit: unit, low: lo, high: hi, step: step, baseline: value, note: note)
    }

    /// A country's (or the other encounters') daily level: one process's
    /// `per_day`, or the sum of its two streams' (docs/model.md 5.3.1).
    static func encounterLevel(_ tree: TreeNode, _ prefix: String) -> Double {
        number(tree, prefix + ".per_day")
            ?? ((number(tree, prefix + ".border_patrol.per_day") ?? 0) + (number(tree, prefix + ".ports.per_day") ?? 0))
    }

    /// An encounter process's level control, or one per stream when it is
    /// given as Border Patrol and port streams (docs/model.md 5.3.1).
    static func levelControls(_ prefix: String, label: String, unit: String, in loaded: LoadedScenario) -> [ExplorerControl?] {
        [("", ""), ("border_patrol.", " (Border Patrol)"), ("ports.", " (ports)")].compactMap { stream, what in
            let path = prefix + "." + stream + "per_day"
            return number(loaded.tree, path).map { control(path, label: label + what, unit: unit, low: 0, high: 2 * $0, in: loaded) }
        }
    }

    /// Without a sweep spec: encounter levels, travel documents, charters,
    /// beds and the rule's thresholds, for the paths the scenario sets; per
    /// country for the three largest by encounters, per route for the first
    /// three. Paths the scenario's `uncertain:` draws in every replication
    /// are left out: a value set there has no effect (docs/model.md 8.7).
    static func defaultControls(in loaded: LoadedScenario) -> [ExplorerControl] {
        let tree = loaded.tree
        let countries = loaded.scenario.parameters.countries.map(\.code)
            .sorted { encounterLevel(tree, "countries.\($0).encounters") > encounterLevel(tree, "countries.\($1).encounters") }
            .prefix(3)
        var list: [ExplorerControl?] = []
        for code in countries {
            let p = "countries.\(code)."
            let wait = number(tree, p + "travel_documents.mean_days") ?? 0
            list += levelControls(p + "encounters", label: "\(code) encounter level", unit: "people a day (before seasonality and trend)", in: loaded)
            list += [
                control(p + "travel_documents.cooperation", label: "\(code) cooperation on travel documents",
                        unit: "0 suspended to 1 full", low: 0, high: 1, in: loaded),
                control(p + "travel_documents.mean_days", label: "\(code) document wait at full cooperation", unit: "days",
                        low: 1, high: max(3 * wait, 10), in: loaded),
            ]
        }
        list += levelControls("border.other_encounters", label: "Other encounters (rest of the border)", unit: "people a day", in: loaded)
        for route in loaded.scenario.parameters.routes.prefix(3) {
            let p = "routes.\(route.id)."
            let every = number(tree, p + "schedule.every_days") ?? 0, seats = number(tree, p + "seats") ?? 0
            list += [
                control(p + "schedule.every_days", label: "Route \(route.id): charter interval", unit: "days between flights",
                        low: 1, high: max(3 * every, 14), in: loaded),
                control(p + "seats", label: "Route \(route.id): seats", unit: "seats per flight", low: 1, high: max(3 * seats, 10), in: loaded),
            ]
        }
        let beds = number(tree, "capacity.detention_beds") ?? 0
        list.append(control("capacity.detention_beds", label: "Detention beds", unit: "beds", low: 0, high: max(3 * beds, 100), in: loaded))
        for (key, label) in [("activate_at", "Rule switches on at"), ("deactivate_below", "Rule may switch off below")] {
            let v = number(tree, "border.restrictions." + key) ?? 0
            list.append(control("border.restrictions." + key, label: label, unit: "encounters a day (7-day mean)",
                                low: 0, high: max(2 * v, 100), in: loaded))
        }
        return list.compactMap { $0 }.filter { !loaded.scenario.drawsValue(at: $0.path) }
    }

    /// From a sweep spec's `parameters`: its ranges (or the span of its
    /// lists); parameters the scenario does not set are left out.
    static func controls(spec: SweepSpec, in loaded: LoadedScenario) -> [ExplorerControl] {
        spec.parameters.compactMap { p in
            let (low, high): (Double, Double)
            switch p.domain {
            case .range(let a, let b, _): (low, high) = (a, b)
            case .values(let v): (low, high) = (v.min() ?? 0, v.max() ?? 0)
            }
            return control(p.path, label: p.path, unit: "", low: low, high: high, in: loaded)
        }
    }

    // MARK: Requests

    /// Top-level keys a setting may not change: what the run is, not what it models.
    static let fixedKeys: Set = ["name", "description", "start", "end", "seed", "replications", "output", "events", "targets", "extends"]

    /// Checks a request's raw parts. `settings` are path = number text.
    public func request(settings: [(String, String)], countries: String?, replications: String?) throws -> ExplorerRequest {
        if settings.count > 64 { throw ExplorerInputError(message: "at most 64 settings, found \(settings.count)", path: "") }
        var list: [ExplorerRequest.Setting] = []
        for (path, text) in settings {
            let origin = "--set \(path)=\(text)"
            guard path.count <= 200, text.count <= 40 else {
                throw ExplorerInputError(message: "\(origin.prefix(80)): error: setting too long", path: path)
            }
            let head = String(path.split(separator: ".").first ?? "")
            if Self.fixedKeys.contains(head) {
                throw ExplorerInputError(message: "\(origin): error: \(path): the explorer keeps the scenario's \(head)", path: path)
            }
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw ExplorerInputError(message: "\(origin): error: \(path): expected a number, found '\(text)'", path: path)
            }
            list.removeAll { $0.path == path }
            list.append(.init(path: path, value: value))
        }
        let codes = baseline.scenario.parameters.countries.map(\.code)
        var chosen: [String] = []
        for code in (countries ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !code.isEmpty {
            guard codes.contains(code) else {
                throw ExplorerInputError(message: "countries: error: unknown country '\(code)'\(didYouMean(code, in: codes))", path: "countries")
            }
            if !chosen.contains(code) { chosen.append(code) }
        }
        if chosen.isEmpty, let first = codes.first { chosen = [first] }
        if chosen.count > 8 { throw ExplorerInputError(message: "countries: error: at most 8 countries at once", path: "countries") }
        var reps = min(baseline.scenario.replications, limits.defaultReplications, limits.maxReplications)
        if let replications, !replications.isEmpty {
            guard let r = Int(replications), r >= 1, r <= limits.maxReplications else {
                throw ExplorerInputError(message: "replications: error: expected a whole number from 1 to \(limits.maxReplications) (--max-replications), found '\(replications)'", path: "replications")
            }
            reps = r
        }
        return ExplorerRequest(settings: list, countries: chosen, replications: reps)
    }

    /// A POST body: `{"settings": {"path": number, ...}, "countries": ["CHN"], "replications": 200}`.
    public func request(json data: Data) throws -> ExplorerRequest {
        guard let object = try? JSONSerialization.jsonObject(with: data), let body = object as? [String: Any] else {
            throw ExplorerInputError(message: "request body: error: expected a JSON object like {\"settings\": {\"path\": 1}}", path: "")
        }
        for key in body.keys where !["settings", "countries", "replications"].contains(key) {
            throw ExplorerInputError(message: "request body: error: unknown key '\(key)' (settings, countries, replications)", path: key)
        }
        guard let settings = (body["settings"] ?? [String: Any]()) as? [String: Any] else {
            throw ExplorerInputError(message: "settings: error: expected a mapping of path to number", path: "settings")
        }
        let pairs = try settings.keys.sorted().map { path -> (String, String) in
            switch settings[path] {
            case let n as NSNumber: return (path, exactNumber(n.doubleValue))
            case let s as String: return (path, s)
            default: throw ExplorerInputError(message: "--set \(path): error: \(path): expected a number", path: path)
            }
        }
        let countries = (body["countries"] as? [Any])?.map { "\($0)" }.joined(separator: ",")
        let replications = body["replications"].map { "\($0)" }
        return try request(settings: pairs, countries: countries, replications: replications)
    }

    /// A query string (downloads, and the page's own URL): `country=CHN,MEX`,
    /// `replications=N`, and every other key a path (paths hold dots; these two do not).
    public func request(query: [(String, String)]) throws -> ExplorerRequest {
        let settings = query.filter { $0.0.contains(".") }
        for (key, _) in query where !key.contains(".") && key != "country" && key != "replications" {
            throw ExplorerInputError(message: "query: error: unknown parameter '\(key)' (a scenario path, country or replications)", path: key)
        }
        return try request(settings: settings, countries: query.last { $0.0 == "country" }?.1,
                           replications: query.last { $0.0 == "replications" }?.1)
    }

    /// GET /api/controls: what the page builds its form from.
    public func controlsJSON() throws -> Data {
        struct Country: Encodable { var code, name: String }
        struct Controls: Encodable {
            var scenario, description, file, start, end, period: String
            var countries: [Country]
            var controls: [ExplorerControl]
            var replications, max_replications: Int
            var seed: UInt64
        }
        let s = baseline.scenario
        let value = Controls(scenario: s.name, description: s.description, file: URL(fileURLWithPath: baseline.file).lastPathComponent,
                             start: s.start.description, end: s.end.description, period: period.rawValue,
                             countries: s.parameters.countries.map { Country(code: $0.code, name: $0.name) }, controls: controls,
                             replications: min(s.replications, limits.defaultReplications, limits.maxReplications),
                             max_replications: limits.maxReplications, seed: s.seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// The variant: the baseline's resolved tree with the settings applied,
    /// checked as `--set` is (the same located messages).
    public func variant(_ request: ExplorerRequest) throws -> LoadedScenario {
        var tree = baseline.tree
        do {
            for s in request.settings {
                let (path, value) = try TreePaths.parseAssignment("\(s.path)=\(exactNumber(s.value))")
                tree = try TreePaths.set(tree, path: path, value: value, origin: value.location)
            }
            let origin = SourceLocation(file: "explorer", line: 0, column: 0)
            tree = try TreePaths.set(tree, path: "name", value: TreeNode(.scalar(variantName, isNull: false), origin), origin: origin)
            return try ScenarioLoader.build(tree: tree, file: baseline.file)
        } catch let e as DeportSimError {
            throw ExplorerInputError(message: e.description, path: e.keyPath)
        }
    }

    /// Baseline and variant with common random numbers (the `diff` code).
    public func difference(_ request: ExplorerRequest, variant: LoadedScenario) -> DifferenceResult {
        DifferenceResult.run(baseline: baseline.scenario, variants: [(variantName, variant.scenario)],
                             options: RunOptions(replications: request.replications, jobs: 1, period: period))
    }

    // MARK: Answers

    /// Metrics charted per country, and for ALL in addition.
    static let chartMetrics = ["encounters", "book_ins", "removals", "detained", "pending", "at_large", "released_at_limit"]
    static let borderWideChartMetrics = ["restriction_days", "beds_occupied", "cost_total"]
    /// The whole-run table's metrics, in this order.
    static let tableMetrics: [Metric] = [.encounters, .removals, .removalsCharter, .removalsCommercial, .flights, .flightsCancelled,
                                         .bookIns, .documentsIssued, .releasedAtLimit, .detained, .pending, .atLarge,
                                         .encountersTotal, .restrictionDays, .costTotal]

    struct Answer: Encodable {
        struct Event: Encodable { var number: Int; var date: String; var label: String }
        struct ChartPair: Encodable { var metric, title, unit, levels_svg, difference_svg: String; var note: String? }
        struct Country: Encodable { var code, name: String; var charts: [ChartPair] }
        struct Row: Encodable {
            var country, metric, title, unit: String
            var baseline_mean, variant_mean, difference_mean, difference_p05, difference_p95: Double
            var relative_change: Double?
            var interval_contains_zero: Bool
        }
        var scenario: String
        var variant: String
        var replications: Int
        var seed: UInt64
        var period: String
        var seconds: Double
        var settings: [String: Double]
        var events: [Event]
        var countries: [Country]
        var whole_run: [Row]
        var warnings: [String]
    }

    /// The page's JSON: per chosen country (and ALL when more than one
    /// country is modelled) the chart pairs as SVG, then the whole-run table.
    public func answerJSON(_ request: ExplorerRequest, variant: LoadedScenario, result: DifferenceResult, seconds: Double) throws -> Data {
        let layout = result.layout
        let codes = layout.countryCodes
        let rows = codes.count > 1 ? request.countries + ["ALL"] : request.countries
        var records: [DifferenceRecord] = []
        for r in 0...layout.allRow where rows.contains(layout.rowName(r)) {
            for m in layout.metrics(row: r) {
                for p in layout.periods.indices {
                    let cell = layout.cell(period: p, row: r, metric: m)
                    let b = result.baseline.quantiles(cell: cell), v = result.variants[0].quantiles(cell: cell)
                    let d = result.differences[0].quantiles(cell: cell)
                    let bm = result.baseline.mean(cell: cell), dm = result.differences[0].mean(cell: cell)
                    records.append(DifferenceRecord(
                        variant: variantName, start: layout.periods[p].start, end: layout.periods[p].end, country: layout.rowName(r),
                        metric: m.name, baselineMean: bm, variantMean: result.variants[0].mean(cell: cell), differenceMean: dm,
                        differenceP05: d.p05, differenceP95: d.p95, relativeChange: bm == 0 ? .nan : dm / bm,
                        baselineBand: (b.p05, b.p95), variantBand: (v.p05, v.p95)))
                }
            }
        }
        let events = baseline.scenario.eventNotes.map { EventMarker(date: $0.date, label: $0.note) }
        let variantEvents = variant.scenario.eventNotes.map { EventMarker(date: $0.date, label: $0.note) }
        let names = Dictionary(uniqueKeysWithValues: baseline.scenario.parameters.countries.map { ($0.code, $0.name) })
        let countries = rows.map { code in
            let metrics = code == "ALL" || codes.count == 1 ? Self.chartMetrics + Self.borderWideChartMetrics.filter {
                $0 != "restriction_days" || baseline.scenario.hasRestrictionRule || variant.scenario.hasRestrictionRule
            } : Self.chartMetrics
            let pairs = DifferenceCharts.pairs(rows: records, variant: variantName, country: code, metrics: metrics, events: events,
                                               variantEvents: variantEvents, period: period.rawValue, idPrefix: "x")
            return Answer.Country(code: code, name: code == "ALL" ? "ALL — modelled countries together" : names[code] ?? code,
                                  charts: pairs.map { .init(metric: $0.metric, title: $0.title, unit: $0.unit,
                                                            levels_svg: $0.levelsSVG, difference_svg: $0.differenceSVG, note: $0.note) })
        }
        let table = result.totalRows.filter { rows.contains($0.country) && Self.tableMetrics.contains($0.metric) }
            .sorted { (Self.tableMetrics.firstIndex(of: $0.metric)!, rows.firstIndex(of: $0.country)!)
                < (Self.tableMetrics.firstIndex(of: $1.metric)!, rows.firstIndex(of: $1.country)!) }
            .map { r in
                Answer.Row(country: r.country, metric: r.metric.name, title: MetricText.title(r.metric.name),
                           unit: MetricText.unit(r.metric.name, period: "total"), baseline_mean: r.baselineMean,
                           variant_mean: r.variantMean, difference_mean: r.differenceMean, difference_p05: r.differenceP05,
                           difference_p95: r.differenceP95, relative_change: r.relativeChange,
                           interval_contains_zero: r.intervalContainsZero)
            }
        let warnings = request.settings.flatMap { baseline.scenario.overrideWarnings(path: $0.path, what: "explorer's") }
        let answer = Answer(
            scenario: baseline.scenario.name, variant: variantName, replications: request.replications, seed: baseline.scenario.seed,
            period: period.rawValue, seconds: seconds,
            settings: Dictionary(request.settings.map { ($0.path, $0.value) }, uniquingKeysWith: { $1 }),
            events: events.enumerated().map { .init(number: $0.offset + 1, date: $0.element.date.description, label: $0.element.label) },
            countries: countries, whole_run: table, warnings: warnings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(answer)
    }

    /// difference.csv as `deportsim diff BASELINE overlay.yaml` writes it.
    public func differenceCSV(_ result: DifferenceResult) -> String { Variants.csv(result.periodRows) }

    /// The variant's summary.csv, as `deportsim run overlay.yaml -r N` writes it.
    public func summaryCSV(_ request: ExplorerRequest, variant: LoadedScenario) -> String {
        let result = runScenario(variant.scenario, options: RunOptions(replications: request.replications, jobs: 1,
                                                                       period: variant.scenario.outputPeriod))
        return ResultWriter.summaryCSV(result.summary)
    }

    /// The settings as an overlay scenario that `extends` the loaded file.
    public func overlayYAML(_ request: ExplorerRequest) -> String {
        let base = URL(fileURLWithPath: baseline.file).standardizedFileURL.path
        var lines = [
            "# The deportsim serve explorer's settings, as an overlay of \(URL(fileURLWithPath: base).lastPathComponent).",
            "# deportsim diff \(base) THIS_FILE   (or: deportsim run THIS_FILE)",
            "extends: \(yamlScalar(base))",
            "name: \(variantName)",
        ]
        // Group the paths into nested mappings; a route is a list entry with its id.
        var routes: [String: [(String, Double)]] = [:], routeOrder: [String] = []
        var rest: [(String, Double)] = []
        for s in request.settings {
            let parts = s.path.split(separator: ".", maxSplits: 2).map(String.init)
            if parts.count == 3 && parts[0] == "routes" {
                if routes[parts[1]] == nil { routeOrder.append(parts[1]) }
                routes[parts[1], default: []].append((parts[2], s.value))
            } else {
                rest.append((s.path, s.value))
            }
        }
        lines += nestedYAML(rest, indent: "")
        if !routeOrder.isEmpty {
            lines.append("routes:")
            for id in routeOrder {
                lines.append("  - id: \(yamlScalar(id))")
                lines += nestedYAML(routes[id]!, indent: "    ")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func nestedYAML(_ items: [(String, Double)], indent: String) -> [String] {
        var order: [String] = [], groups: [String: [(String, Double)]] = [:]
        var lines: [String] = []
        for (path, value) in items {
            let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 1 { lines.append("\(indent)\(yamlScalar(parts[0])): \(exactNumber(value))"); continue }
            if groups[parts[0]] == nil { order.append(parts[0]) }
            groups[parts[0], default: []].append((parts[1], value))
        }
        for key in order {
            lines.append("\(indent)\(yamlScalar(key)):")
            lines += nestedYAML(groups[key]!, indent: indent + "  ")
        }
        return lines
    }

    /// A key or text safe in YAML: plain when it is letters, digits, `_`, `-`, `/` and `.`, else quoted.
    func yamlScalar(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "_-./".contains($0) }), !(s.first?.isNumber ?? false) { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
