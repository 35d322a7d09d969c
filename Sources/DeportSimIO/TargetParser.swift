import DeportSimAnalysis
import DeportSimCore
import Foundation

public enum TargetParser {
    /// Default relative tolerance when a target gives none.
    public static let defaultTolerance = 0.1

    static func metricList(_ node: TreeNode, _ path: String, allowBorderWide: Bool = true) throws -> [Metric] {
        let items = node.items ?? [node]
        if items.isEmpty { throw DeportSimError.badInput(node.location, path, "expected a metric or a list of metrics, found an empty list") }
        let metrics = try items.map { v -> Metric in
            guard let s = v.scalarText, let m = Metric(name: s) else {
                let hint = didYouMean(v.scalarText, in: Metric.allCases.map(\.name))
                throw DeportSimError.badInput(v.location, path, "expected a metric name (see the README's output reference), found \(v.found)\(hint)")
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
        let node = try r.required("period", NamedPeriod.help)
        let p = try r.namedPeriod(node, "period")
        if p.first < scenario.start || p.last > scenario.end {
            throw DeportSimError.badInput(node.location, r.key("period"), "expected a period inside the run (\(scenario.start) to \(scenario.end)), found \(p.first) to \(p.last)")
        }
        return p
    }

    static func role(_ r: MappingReader) throws -> TargetRole {
        guard let node = r.node["role"] else { return .default }
        guard let text = node.scalarText, let role = TargetRole(rawValue: text) else {
            let names = TargetRole.allCases.map(\.rawValue)
            throw DeportSimError.badInput(node.location, r.key("role"), "expected \(names.joined(separator: " or ")), found \(node.found)\(didYouMean(node.scalarText, in: names))")
        }
        return role
    }

    public static func targets(_ node: TreeNode?, path: String, scenario: Scenario) throws -> [Target] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items else { throw DeportSimError.badInput(node.location, path, "expected a list of targets, found \(node.found)") }
        return try items.enumerated().map { i, item in
            let r = try MappingReader(item, path: "\(path).\(i)", allowed: ["metric", "country", "period", "value", "source", "tolerance", "weight", "role"])
            let metrics = try metricList(try r.required("metric", "a metric or a list of metrics"), r.key("metric"))
            return Target(metrics: metrics, country: try country(r, metrics: metrics, scenario: scenario),
                          period: try period(r, scenario: scenario),
                          value: try r.number("value", what: "the reported value, a number >= 0"),
                          source: try r.string("source", default: ""),
                          tolerance: try r.number("tolerance", default: defaultTolerance, what: "a relative tolerance >= 0"),
                          weight: try r.number("weight", default: 1, what: "a weight >= 0"),
                          role: try role(r), location: item.location)
        }
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
        let r = try MappingReader(tree, path: "", allowed: ["targets"])
        return try targets(try r.required("targets", "a list of targets"), path: "targets", scenario: scenario)
    }
}
