import CSV
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation

/// One row of summary.csv.
public struct SummaryRow: Sendable, Equatable {
    public var start: CivilDate
    public var end: CivilDate
    public var country: String
    public var metric: String
    public var mean: Double
    public var p05: Double
    public var p95: Double
}

/// One row of flights.csv: a scheduled charter of one replication.
public struct FlightRow: Sendable, Equatable {
    public var replication: Int
    public var date: CivilDate
    public var route: String
    public var seats: Int
    public var boarded: Int
    public var status: String
}

/// One row of comparison.csv: a reported figure against the simulation.
public struct ComparisonRecord: Sendable, Equatable {
    public var metric: String
    public var country: String
    public var period: String
    /// nil when the period text is not one of the named forms.
    public var namedPeriod: NamedPeriod?
    public var reported: Double
    public var mean: Double
    public var p05: Double
    public var p95: Double
    public var relativeError: Double
    public var withinInterval: Bool
    public var source: String
    /// The `pass` column, when the file has one.
    public var pass: Bool?
    /// The `tolerance`, `role` and `pass_by` columns, when the file has them.
    public var tolerance: Double? = nil
    public var role: String? = nil
    public var passBy: String? = nil
}

/// One row of difference.csv.
public struct DifferenceRecord: Sendable, Equatable {
    public var variant: String
    public var start: CivilDate
    public var end: CivilDate
    public var country: String
    public var metric: String
    public var baselineMean: Double
    public var variantMean: Double
    public var differenceMean: Double
    public var differenceP05: Double
    public var differenceP95: Double
    public var relativeChange: Double
    /// The 90% bands of the baseline and the variant themselves: known when
    /// the rows come straight from a run (the explorer), not in difference.csv.
    public var baselineBand: (p05: Double, p95: Double)? = nil
    public var variantBand: (p05: Double, p95: Double)? = nil

    public init(variant: String, start: CivilDate, end: CivilDate, country: String, metric: String, baselineMean: Double,
                variantMean: Double, differenceMean: Double, differenceP05: Double, differenceP95: Double, relativeChange: Double,
                baselineBand: (p05: Double, p95: Double)? = nil, variantBand: (p05: Double, p95: Double)? = nil) {
        self.variant = variant; self.start = start; self.end = end; self.country = country; self.metric = metric
        self.baselineMean = baselineMean; self.variantMean = variantMean; self.differenceMean = differenceMean
        self.differenceP05 = differenceP05; self.differenceP95 = differenceP95; self.relativeChange = relativeChange
        self.baselineBand = baselineBand; self.variantBand = variantBand
    }

    public static func == (a: DifferenceRecord, b: DifferenceRecord) -> Bool {
        a.variant == b.variant && a.start == b.start && a.end == b.end && a.country == b.country && a.metric == b.metric
            && a.baselineMean == b.baselineMean && a.variantMean == b.variantMean && a.differenceMean == b.differenceMean
            && a.differenceP05 == b.differenceP05 && a.differenceP95 == b.differenceP95 && a.relativeChange == b.relativeChange
            && a.baselineBand?.p05 == b.baselineBand?.p05 && a.baselineBand?.p95 == b.baselineBand?.p95
            && a.variantBand?.p05 == b.variantBand?.p05 && a.variantBand?.p95 == b.variantBand?.p95
    }
}

/// A sweep folder: points.csv and outcomes_summary.csv.
public struct SweepData: Sendable, Equatable {
    public struct Outcome: Sendable, Equatable {
        public var point: Int
        public var outcome: String
        public var mean: Double
        public var p05: Double
        public var p95: Double
    }
    /// Swept parameter paths, in column order.
    public var parameters: [String]
    /// point -> its values, one per parameter (as written).
    public var points: [Int: [String]]
    public var outcomes: [Outcome]
    public var outcomeNames: [String]
}

/// A saltelli or morris sweep's sensitivity.csv (first-order rows; S2 rows
/// are left to the CSV) and the noise share of replication_noise.csv.
public struct SensitivityData: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case sobol, morris }
    /// One outcome and parameter: (S1, S1_conf, ST, ST_conf) for Sobol,
    /// (mu*, mu*_conf, sigma, mu) for Morris.
    public struct Row: Sendable, Equatable {
        public var outcome: String
        public var parameter: String
        public var first: Double, firstConfidence: Double
        public var second: Double, secondConfidence: Double
    }
    public var kind: Kind
    public var rows: [Row]
    /// outcome -> noise share (NaN when unknown).
    public var noiseShare: [String: Double]
}

/// A dated scenario event, for the vertical markers.
public struct EventMarker: Sendable, Equatable {
    public var date: CivilDate
    public var label: String
    public init(date: CivilDate, label: String) { self.date = date; self.label = label }
}

/// What run.json (or sweep.json) says about how the results were made.
public struct RunInfo: Sendable, Equatable {
    public var scenarioName = ""
    public var description = ""
    /// The file the scenario's description comes from (sweep.json), when
    /// recorded: a base the scenario extends when it gives none of its own.
    public var descriptionFile = ""
    /// A sweep spec's own `description` (sweep.json).
    public var sweepDescription = ""
    public var startTime = ""
    public var seed = ""
    public var replications = ""
    public var toolVersion = ""
    public var gslVersion = ""
    public var scenarioSHA256 = ""
    public var scenarioFile = ""
    public var period = ""
    /// The result files the run wrote (run.json's `files`); nil when not recorded.
    public var files: [String]?
    public var events: [EventMarker] = []
    /// The border-wide restriction rule's settings, as "key: value" lines; empty when the scenario has none.
    public var restrictionRule: [String] = []
    public var variants: [String] = []
    /// Per variant name, its events (run.json's `variants[].events`), for
    /// marking those it adds or moves beside the baseline's.
    public var variantEvents: [String: [EventMarker]] = [:]
    /// Country code -> name, from the resolved scenario.
    public var countryNames: [String: String] = [:]
    /// What the intervals include (run.json's `interval_includes`; older
    /// folders without it hold one parameter set: simulation noise only).
    public var intervalIncludes = IntervalContents.simulationNoiseOnly.label
}

/// Everything a report can show from one results folder.
public struct ResultsFolder: Sendable {
    public var path: String
    public var info: RunInfo
    /// Which metadata file `info` came from (run.json, sweep.json), if any.
    public var infoFile: String?
    public var summary: [SummaryRow]
    public var flights: [FlightRow]?
    public var comparison: [ComparisonRecord]?
    public var sweep: SweepData?
    public var difference: [DifferenceRecord]?
    /// difference_total.csv: the same over the whole run.
    public var differenceTotal: [DifferenceRecord]? = nil
    /// restriction.csv: per day, the share of replications with the rule active.
    public var restriction: [(date: CivilDate, share: Double)]?
    /// sensitivity.csv of a saltelli or morris sweep.
    public var sensitivity: SensitivityData? = nil

    public enum Kind: String, Sendable { case run, comparison, sweep, difference }

    /// The kinds of results this folder holds (a comparison folder is also a run).
    public var kinds: [Kind] {
        var k: [Kind] = []
        if !summary.isEmpty { k.append(.run) }
        if comparison != nil { k.append(.comparison) }
        if sweep != nil { k.append(.sweep) }
        if difference != nil { k.append(.difference) }
        return k
    }

    /// Reads a results folder. A folder needs at least one of summary.csv,
    /// outcomes_summary.csv (sweep) or difference.csv.
    public static func load(_ path: String) throws -> ResultsFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "", "no such results folder")
        }
        guard isDirectory.boolValue else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "", "expected a results folder, found a file")
        }
        func present(_ name: String) -> String? {
            let p = (path as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: p) ? p : nil
        }
        let summaryFile = present("summary.csv"), sweepFile = present("outcomes_summary.csv"), differenceFile = present("difference.csv")
        guard summaryFile != nil || sweepFile != nil || differenceFile != nil else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "",
                             "no summary.csv in the folder (nor a sweep's outcomes_summary.csv or a difference.csv): not a results folder")
        }
        var folder = ResultsFolder(path: path, info: RunInfo(), infoFile: nil, summary: [], flights: nil, comparison: nil,
                                   sweep: nil, difference: nil)
        if let f = present("run.json") ?? present("sweep.json") {
            folder.info = try readInfo(f)
            folder.infoFile = (f as NSString).lastPathComponent
        }
        // Only what this run wrote: a file left by an earlier run in the same
        // folder (not in run.json's list) is not shown as this run's.
        let listed = folder.info.files
        func file(_ name: String) -> String? {
            if let listed, !listed.contains(name) { return nil }
            return present(name)
        }
        if let f = file("summary.csv") { folder.summary = try readSummary(f) }
        if let f = file("flights.csv") { folder.flights = try readFlights(f) }
        if let f = file("comparison.csv") { folder.comparison = try readComparison(f) }
        if let f = file("outcomes_summary.csv") {
            guard let p = file("points.csv") else {
                throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "",
                                 "outcomes_summary.csv without points.csv: a sweep folder needs both")
            }
            folder.sweep = try readSweep(points: p, outcomes: f)
        }
        if folder.sweep != nil, let f = file("sensitivity.csv") {
            folder.sensitivity = try readSensitivity(f, noise: file("replication_noise.csv"))
        }
        if let f = file("difference.csv") { folder.difference = try readDifference(f) }
        if folder.difference != nil, let f = file("difference_total.csv") { folder.differenceTotal = try readDifference(f) }
        if let f = file("restriction.csv") { folder.restriction = try readRestriction(f) }
        return folder
    }
}

// MARK: - CSV tables

/// A CSV file read by header name, every error located by line and column.
struct CSVTable {
    let file: String
    let header: [String]
    /// (line number in the file, fields)
    let rows: [(line: Int, fields: [String])]

    init(file: String, required: [String]) throws {
        self.file = file
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 0, column: 0), "", "cannot read the file as UTF-8 text")
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 1, column: 1), "", "not a CSV file: \(error)")
        }
        guard let header = reader.headerRow, !header.isEmpty, header != [""] else {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 1, column: 1), "", "empty file: expected a header row")
        }
        self.header = header
        for name in required where !header.contains(name) {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 1, column: 1), name,
                             "missing column: expected \(required.joined(separator: ",")), found \(header.joined(separator: ","))")
        }
        var rows: [(Int, [String])] = []
        // Line of the next row: rows with quoted line breaks span several lines.
        var line = 2
        while let row = reader.next() {
            if row == [""] { line += 1; continue }
            guard row.count == header.count else {
                throw DeportSimError.badInput(SourceLocation(file: file, line: line, column: 1), "",
                                 "expected \(header.count) fields, found \(row.count)")
            }
            rows.append((line, row))
            line += 1 + row.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
        }
        if let error = reader.error {
            throw DeportSimError.badInput(SourceLocation(file: file, line: line, column: 1), "", "malformed CSV: \(error)")
        }
        self.rows = rows
    }

    func index(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The 1-based character column where field `i` of a row starts (exact for unquoted rows).
    func column(of i: Int, in fields: [String]) -> Int { fields.prefix(i).reduce(1) { $0 + $1.count + 1 } }

    func string(_ name: String, _ row: (line: Int, fields: [String])) -> String {
        row.fields[index(name)!]
    }

    func number(_ name: String, _ row: (line: Int, fields: [String])) throws -> Double {
        let i = index(name)!
        let s = row.fields[i].trimmingCharacters(in: .whitespaces)
        switch s {
        case "NA", "": return .nan
        case "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard let v = Double(s) else {
                throw DeportSimError.badInput(SourceLocation(file: file, line: row.line, column: column(of: i, in: row.fields)), name,
                                 "expected a number, found '\(row.fields[i])'")
            }
            return v
        }
    }

    func integer(_ name: String, _ row: (line: Int, fields: [String])) throws -> Int {
        let i = index(name)!
        guard let v = Int(row.fields[i].trimmingCharacters(in: .whitespaces)) else {
            throw DeportSimError.badInput(SourceLocation(file: file, line: row.line, column: column(of: i, in: row.fields)), name,
                             "expected a whole number, found '\(row.fields[i])'")
        }
        return v
    }

    func date(_ name: String, _ row: (line: Int, fields: [String])) throws -> CivilDate {
        let i = index(name)!
        guard let d = CivilDate(iso: row.fields[i]) else {
            throw DeportSimError.badInput(SourceLocation(file: file, line: row.line, column: column(of: i, in: row.fields)), name,
                             "expected a date YYYY-MM-DD, found '\(row.fields[i])'")
        }
        return d
    }

    func bool(_ name: String, _ row: (line: Int, fields: [String])) throws -> Bool {
        let i = index(name)!
        switch row.fields[i].lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw DeportSimError.badInput(SourceLocation(file: file, line: row.line, column: column(of: i, in: row.fields)), name,
                             "expected true or false, found '\(row.fields[i])'")
        }
    }
}

extension ResultsFolder {
    static func readSummary(_ file: String) throws -> [SummaryRow] {
        let t = try CSVTable(file: file, required: ["period_start", "period_end", "country", "metric", "mean", "p05", "p95"])
        return try t.rows.map { r in
            SummaryRow(start: try t.date("period_start", r), end: try t.date("period_end", r), country: t.string("country", r),
                       metric: t.string("metric", r), mean: try t.number("mean", r), p05: try t.number("p05", r),
                       p95: try t.number("p95", r))
        }
    }

    static func readFlights(_ file: String) throws -> [FlightRow] {
        let t = try CSVTable(file: file, required: ["replication", "date", "route", "seats", "boarded", "status"])
        return try t.rows.map { r in
            FlightRow(replication: try t.integer("replication", r), date: try t.date("date", r), route: t.string("route", r),
                      seats: try t.integer("seats", r), boarded: try t.integer("boarded", r), status: t.string("status", r))
        }
    }

    static func readRestriction(_ file: String) throws -> [(date: CivilDate, share: Double)] {
        let t = try CSVTable(file: file, required: ["date", "share_active"])
        return try t.rows.map { r in (try t.date("date", r), try t.number("share_active", r)) }
    }

    static func readComparison(_ file: String) throws -> [ComparisonRecord] {
        let t = try CSVTable(file: file, required: ["metric", "country", "period", "reported", "mean", "p05", "p95",
                                                    "relative_error", "within_interval", "source"])
        let hasPass = t.index("pass") != nil
        let hasTolerance = t.index("tolerance") != nil, hasRole = t.index("role") != nil, hasPassBy = t.index("pass_by") != nil
        return try t.rows.map { r in
            var record = ComparisonRecord(metric: t.string("metric", r), country: t.string("country", r), period: t.string("period", r),
                             namedPeriod: NamedPeriod(t.string("period", r)), reported: try t.number("reported", r),
                             mean: try t.number("mean", r), p05: try t.number("p05", r), p95: try t.number("p95", r),
                             relativeError: try t.number("relative_error", r), withinInterval: try t.bool("within_interval", r),
                             source: t.string("source", r), pass: hasPass ? try t.bool("pass", r) : nil)
            if hasTolerance { record.tolerance = try t.number("tolerance", r) }
            if hasRole { record.role = t.string("role", r) }
            if hasPassBy { record.passBy = t.string("pass_by", r) }
            return record
        }
    }

    static func readDifference(_ file: String) throws -> [DifferenceRecord] {
        let t = try CSVTable(file: file, required: ["variant", "period_start", "period_end", "country", "metric", "baseline_mean",
                                                    "variant_mean", "difference_mean", "difference_p05", "difference_p95",
                                                    "relative_change"])
        return try t.rows.map { r in
            DifferenceRecord(variant: t.string("variant", r), start: try t.date("period_start", r), end: try t.date("period_end", r),
                             country: t.string("country", r), metric: t.string("metric", r),
                             baselineMean: try t.number("baseline_mean", r), variantMean: try t.number("variant_mean", r),
                             differenceMean: try t.number("difference_mean", r), differenceP05: try t.number("difference_p05", r),
                             differenceP95: try t.number("difference_p95", r), relativeChange: try t.number("relative_change", r))
        }
    }

    static func readSweep(points: String, outcomes: String) throws -> SweepData {
        let p = try CSVTable(file: points, required: ["point"])
        let parameters = p.header.filter { $0 != "point" }
        var values: [Int: [String]] = [:]
        for r in p.rows {
            values[try p.integer("point", r)] = parameters.map { p.string($0, r) }
        }
        let o = try CSVTable(file: outcomes, required: ["point", "outcome", "mean", "p05", "p95"])
        var names: [String] = []
        let rows = try o.rows.map { r in
            let point = try o.integer("point", r)
            guard values[point] != nil else {
                throw DeportSimError.badInput(SourceLocation(file: outcomes, line: r.line, column: 1), "point",
                                 "point \(point) is not in points.csv")
            }
            let name = o.string("outcome", r)
            if !names.contains(name) { names.append(name) }
            return SweepData.Outcome(point: point, outcome: name, mean: try o.number("mean", r),
                                     p05: try o.number("p05", r), p95: try o.number("p95", r))
        }
        return SweepData(parameters: parameters, points: values, outcomes: rows, outcomeNames: names)
    }

    static func readSensitivity(_ file: String, noise: String?) throws -> SensitivityData {
        let t = try CSVTable(file: file, required: ["outcome", "parameter"])
        let morris = t.index("mu_star") != nil
        let columns = morris ? ["mu_star", "mu_star_conf", "sigma", "mu"] : ["S1", "S1_conf", "ST", "ST_conf"]
        for c in columns where t.index(c) == nil {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 1, column: 1), c,
                                          "missing column: expected outcome,parameter,\(morris ? "mu,mu_star,sigma,mu_star_conf" : "S1,S1_conf,ST,ST_conf")")
        }
        // S2 rows name a second parameter; the chart shows first and total order.
        let rows = try t.rows.filter { t.index("parameter_2") == nil || t.string("parameter_2", $0).isEmpty }.map { r in
            SensitivityData.Row(outcome: t.string("outcome", r), parameter: t.string("parameter", r),
                                first: try t.number(columns[0], r), firstConfidence: try t.number(columns[1], r),
                                second: try t.number(columns[2], r), secondConfidence: try t.number(columns[3], r))
        }
        var shares: [String: Double] = [:]
        if let noise {
            let n = try CSVTable(file: noise, required: ["outcome", "noise_share"])
            for r in n.rows { shares[n.string("outcome", r)] = try n.number("noise_share", r) }
        }
        return SensitivityData(kind: morris ? .morris : .sobol, rows: rows, noiseShare: shares)
    }

    static func readInfo(_ file: String) throws -> RunInfo {
        let object: Any
        let at = SourceLocation(file: file, line: 0, column: 0)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DeportSimError.badInput(at, "", "cannot read the file (no permission, or not a file)")
        }
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            // Foundation's reason ("not in the correct format") says nothing more.
            throw DeportSimError.badInput(at, "", "the file is not valid JSON (edited, or cut short?); run the command that wrote this folder again")
        }
        guard let d = object as? [String: Any] else {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 1, column: 1), "", "expected a JSON object")
        }
        func text(_ v: Any?) -> String {
            switch v {
            case let s as String: return s
            case let n as NSNumber: return n.stringValue
            case nil, is NSNull: return ""
            default: return String(describing: v!)
            }
        }
        var info = RunInfo()
        let parameters = d["parameters"] as? [String: Any] ?? [:]
        info.scenarioName = text(d["scenario_name"] ?? parameters["name"])
        info.description = text(d["scenario_description"] ?? parameters["description"])
        info.descriptionFile = text(d["scenario_description_file"])
        info.sweepDescription = text(d["sweep_description"])
        info.startTime = text(d["start_time"])
        info.seed = text(d["seed"])
        info.replications = text(d["replications"])
        info.toolVersion = text(d["tool_version"])
        info.gslVersion = text(d["gsl_version"])
        info.scenarioSHA256 = text(d["scenario_sha256"])
        info.scenarioFile = text(d["scenario_file"])
        info.period = text(d["period"])
        info.files = d["files"] as? [String]
        if let label = d["interval_includes"] as? String, !label.isEmpty { info.intervalIncludes = label }
        func events(_ list: Any?, key: String) throws -> [EventMarker] {
            try (list as? [Any] ?? []).enumerated().compactMap { i, e in
                guard let e = e as? [String: Any] else { return nil }
                guard let date = CivilDate(iso: text(e["date"])) else {
                    throw DeportSimError.badInput(SourceLocation(file: file, line: 0, column: 0), "\(key).\(i).date",
                                     "expected a date YYYY-MM-DD, found '\(text(e["date"]))'")
                }
                var label = text(e["note"])
                if label.isEmpty, let set = e["set"] as? [String: Any] {
                    label = "set " + set.keys.sorted().joined(separator: ", ")
                }
                return EventMarker(date: date, label: label)
            }.sorted { $0.date < $1.date }
        }
        info.events = try events(parameters["events"], key: "parameters.events")
        if let rule = (parameters["border"] as? [String: Any])?["restrictions"] as? [String: Any] {
            info.restrictionRule = flatten(rule, prefix: "").map { "\($0.0): \($0.1)" }
        }
        for (code, c) in parameters["countries"] as? [String: Any] ?? [:] {
            if let name = (c as? [String: Any])?["name"] { info.countryNames[code] = text(name) }
        }
        for (i, v) in (d["variants"] as? [Any] ?? []).enumerated() {
            guard let v = v as? [String: Any] else { continue }
            let name = text(v["name"])
            info.variants.append(name)
            if v["events"] != nil { info.variantEvents[name] = try events(v["events"], key: "variants.\(i).events") }
        }
        return info
    }

    private static func flatten(_ d: [String: Any], prefix: String) -> [(String, String)] {
        d.keys.sorted().flatMap { k -> [(String, String)] in
            if let sub = d[k] as? [String: Any] { return flatten(sub, prefix: prefix + k + ".") }
            if let n = d[k] as? NSNumber { return [(prefix + k, readableNumber(n.doubleValue))] }
            return [(prefix + k, "\(d[k] ?? "")")]
        }
    }
}
