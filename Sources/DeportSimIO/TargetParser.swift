import DeportSimAnalysis
import DeportSimCore
import Foundation

public enum TargetParser {
    /// Default relative tolerance when a target gives none (the table's, ScenarioKeys.target).
    public static var defaultTolerance: Double {
        guard case .number(let x)? = ScenarioKeys.target.row("tolerance")?.defaultValue else { preconditionFailure("tolerance has a default") }
        return x
    }

    static func metricList(_ node: TreeNode, _ path: String, allowBorderWide: Bool = true) throws -> [Metric] {
        let items = node.items ?? [node]
        if items.isEmpty { throw DeportSimError.badInput(node.location, path, "expected a metric or a list of metrics, found an empty list") }
        let metrics = try items.map { v -> Metric in
            guard let s = v.scalarText, let m = Metric(name: s) else {
                let hint = didYouMean(v.scalarText, in: Metric.allCases.map(\.name))
                throw DeportSimError.badInput(v.location, path, "expected a metric name (docs/model.md, section 11), found \(v.found)\(hint)")
            }
            return m
        }
        if Set(metrics.map(\.isStock)).count > 1 {
            throw DeportSimError.badInput(node.location, path, "cannot sum flows and stocks together (\(metrics.map(\.name).joined(separator: ", ")))")
        }
        return metrics
    }

    static func country(_ r: MappingReader, metrics: [Metric], scenario: Scenario) throws -> String {
        let codes = scenario.parameters.countries.map(\.code)
        let country = try r.string("country", default: "ALL")
        if country != "ALL" && !codes.contains(country) {
            let hint = didYouMean(country, in: codes + ["ALL"])
            throw DeportSimError.badInput(r.node["country"]!.location, r.key("country"), "expected ALL or a country of this scenario (\(codes.joined(separator: ", "))), found '\(country)'\(hint)")
        }
        if country != "ALL", let m = metrics.first(where: \.isBorderWide) {
            throw DeportSimError.badInput(r.node["country"]!.location, r.key("country"), "\(m.name) is border-wide: use country ALL")
        }
        return country
    }

    static func period(_ r: MappingReader, scenario: Scenario) throws -> NamedPeriod {
        try periodInsideRun(try r.required("period", NamedPeriod.help), r, scenario: scenario)
    }

    /// The one rule for the period of a target and of a sweep outcome: it
    /// must lie inside the run, since a figure over days the run does not
    /// simulate cannot be compared or measured (a period reaching outside is
    /// an error, never cut to the run).
    static func periodInsideRun(_ node: TreeNode, _ r: MappingReader, scenario: Scenario) throws -> NamedPeriod {
        let p = try r.namedPeriod(node, "period")
        if p.first < scenario.start || p.last > scenario.end {
            let first = max(p.first, scenario.start), last = min(p.last, scenario.end)
            let hint = first <= last ? "; for the days the run covers, give \(first)..\(last)" : ""
            throw DeportSimError.badInput(node.location, r.key("period"), "expected a period inside the run (\(scenario.start) to \(scenario.end)), found \(p.first) to \(p.last)\(hint)")
        }
        return p
    }

    /// Every target is checked, each of its values independently, and all
    /// errors reported together (up to `Limits.errorsReported`), as a
    /// scenario's are: one pass fixes a targets file.
    public static func targets(_ node: TreeNode?, path: String, scenario: Scenario) throws -> [Target] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items else { throw DeportSimError.badInput(node.location, path, "expected a list of targets, found \(node.found)") }
        var errors = ErrorCollector()
        var targets: [Target] = []
        for (i, item) in items.enumerated() {
            let section = ScenarioKeys.target
            // Unknown keys are reported, and the known ones still checked.
            var unknown = ErrorCollector()
            guard let r = try errors.attempt({
                try MappingReader(item, path: "\(path).\(i)", allowed: section.keys, section: section, collecting: &unknown)
            }) else { continue }
            for e in unknown.errors { _ = try errors.attempt { throw e } }
            let metrics = try errors.attempt { try metricList(try r.required("metric", "a metric or a list of metrics"), r.key("metric")) }
            // Which countries a metric allows is checked only on valid metrics.
            let country = try errors.attempt { try self.country(r, metrics: metrics ?? [], scenario: scenario) }
            let period = try errors.attempt { try self.period(r, scenario: scenario) }
            let value = try errors.attempt { try r.number("value", what: "the reported value, a number >= 0") }
            let source = try errors.attempt { try r.string("source") }
            let tolerance = try errors.attempt { try r.number("tolerance", what: "a relative tolerance >= 0") }
            let weight = try errors.attempt { try r.number("weight", what: "a weight >= 0") }
            let role: TargetRole? = try errors.attempt { try r.choice("role") }
            if let metrics, let country, let period, let value, let source, let tolerance, let weight, let role {
                targets.append(Target(metrics: metrics, country: country, period: period, value: value, source: source,
                                      tolerance: tolerance, weight: weight, role: role, location: item.location))
            }
        }
        try errors.finish()
        return targets
    }

    /// The targets of a command: those of `file` when given (replacing the
    /// scenario's own), else the scenario's; an error when there are none.
    public static func forCommand(file: String?, loaded: LoadedScenario, purpose: String) throws -> [Target] {
        let targets = try file.map { try load(file: $0, scenario: loaded.scenario) } ?? loaded.targets
        if targets.isEmpty {
            throw DeportSimError.badInput(SourceLocation(file: file ?? loaded.file, line: 0, column: 0), "targets",
                             "no targets to \(purpose): add `targets:` to the scenario or give --targets FILE")
        }
        return targets
    }

    /// Targets from a separate file: a list, or a mapping with `targets:`.
    public static func load(file: String, scenario: Scenario) throws -> [Target] {
        let tree = try TreeNode.load(file: file)
        if tree.items != nil { return try targets(tree, path: "targets", scenario: scenario) }
        let r = try MappingReader(tree, path: "", section: ScenarioKeys.targetsFile)
        return try targets(try r.required("targets", "a list of targets"), path: "targets", scenario: scenario)
    }
}
