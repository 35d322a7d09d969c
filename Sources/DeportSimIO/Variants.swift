import DeportSimAnalysis
import DeportSimCore
import Foundation

public enum Variants {
    /// Parses `--variant "name:PATH=VALUE,PATH=VALUE"` and applies it to the
    /// baseline's resolved tree. Commas inside values (lists) are kept:
    /// assignments are split only at a comma followed by `path=`.
    public static func fromSpec(_ spec: String, baseline: LoadedScenario) throws -> (name: String, scenario: LoadedScenario) {
        let origin = SourceLocation(file: "--variant \(spec)", line: 0, column: 0)
        guard let colon = spec.firstIndex(of: ":") else {
            throw DeportSimError.badInput(origin, "", "expected NAME:PATH=VALUE[,PATH=VALUE...], like every3weeks:routes.china-charter.schedule.every_days=21")
        }
        let name = InputText.trimmingBlanks(String(spec[..<colon]))
        if name.isEmpty || name.contains(",") {
            throw DeportSimError.badInput(origin, "", "expected a variant name before ':' (no commas), found '\(name)'")
        }
        let body = String(spec[spec.index(after: colon)...])
        let pieces = splitAssignments(body)
        if pieces.isEmpty { throw DeportSimError.badInput(origin, "", "expected at least one PATH=VALUE after '\(name):'") }
        var tree = baseline.tree
        var paths: [String] = []
        for piece in pieces {
            let (path, value) = try TreePaths.parseAssignment(piece, option: "--variant \(name):")
            tree = try TreePaths.set(tree, path: path, value: value, origin: value.location)
            paths.append(path)
        }
        tree = try TreePaths.set(tree, path: "name", value: TreeNode(.scalar(name, isNull: false), origin), origin: origin)
        // Before building, so the message names the --variant that moved the days.
        try checkCovers(tree, baseline: baseline)
        var loaded: LoadedScenario
        do {
            loaded = try ScenarioLoader.build(tree: tree, file: baseline.file)
        } catch var e as DeportSimError {
            if !(e.location?.file.hasPrefix("--variant") ?? false) { e.message = "in variant \(name): " + e.message }
            throw e
        }
        loaded.fileSHA256 = baseline.fileSHA256
        loaded.warnings += paths.flatMap { loaded.scenario.overrideWarnings(path: $0, what: "--variant \(name)", alsoSet: paths) }
        return (name, loaded)
    }

    /// Whether `path=` starts at `start` (after white space): `[A-Za-z_][A-Za-z0-9_.-]*=`.
    /// Scans only up to the next character outside a path, so splitting a
    /// long argument stays linear (a slice and a regex per comma did not).
    static func startsAssignment(_ chars: [Character], at start: Int) -> Bool {
        var i = start
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        guard i < chars.count, chars[i].isASCII, chars[i].isLetter || chars[i] == "_" else { return false }
        while i < chars.count, chars[i].isASCII, chars[i].isLetter || chars[i].isNumber || "_.-".contains(chars[i]) { i += 1 }
        return i < chars.count && chars[i] == "="
    }

    static func splitAssignments(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            if ch == "[" || ch == "{" { depth += 1 }
            if ch == "]" || ch == "}" { depth -= 1 }
            if ch == ",", depth == 0, startsAssignment(chars, at: i + 1) {
                parts.append(InputText.trimmingBlanks(current)); current = ""; continue
            }
            current.append(ch)
        }
        let last = InputText.trimmingBlanks(current)
        if !last.isEmpty { parts.append(last) }
        return parts
    }

    /// A variant must cover the same days as its baseline.
    public static func checkComparable(_ v: LoadedScenario, baseline: LoadedScenario) throws {
        try checkCovers(v.tree, baseline: baseline)
    }

    /// The one check: paired differences compare day by day, so a variant's
    /// start and end must be the baseline's. Dates that do not parse are
    /// left to the scenario check.
    static func checkCovers(_ tree: TreeNode, baseline: LoadedScenario) throws {
        for (key, b) in [("start", baseline.scenario.start), ("end", baseline.scenario.end)] {
            guard let v = tree[key], let a = v.scalarText.flatMap({ CivilDate(iso: InputText.trimmingBlanks($0)) }),
                  a != b else { continue }
            throw DeportSimError.badInput(v.location, key, "a variant must run over the baseline's days: expected \(b) (the baseline's \(key)), found \(a)")
        }
    }

    public static let header = ["variant", "period_start", "period_end", "country", "metric", "baseline_mean", "variant_mean",
                                "difference_mean", "difference_p05", "difference_p95", "relative_change"]

    /// A variant's events for run.json's `variants` entry (date and note,
    /// or the keys it sets when it has no note), so the report can mark the
    /// events a variant adds or moves beside the baseline's.
    public static func eventsJSON(_ scenario: Scenario) -> [[String: String]] {
        scenario.eventNotes.map { e in
            ["date": e.date.description, "note": e.note.isEmpty ? "set " + e.paths.sorted().joined(separator: ", ") : e.note]
        }
    }

    public static func csv(_ rows: [DifferenceResult.Row]) -> String {
        var out = csvLine(header)
        for r in rows {
            out += csvLine([r.variant, r.period.start.description, r.period.end.description, r.country, r.metric.name,
                            formatNumber(r.baselineMean), formatNumber(r.variantMean), formatNumber(r.differenceMean),
                            formatNumber(r.differenceP05), formatNumber(r.differenceP95),
                            r.relativeChange.map(formatNumber) ?? "NA"])
        }
        return out
    }
}
