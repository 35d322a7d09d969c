import Crypto
import DeportSimAnalysis
import DeportSimCore
import Foundation
import GSLSupport

/// A sweep spec, checked against its scenario (docs/model.md, "Sweep spec").
public struct SweepSpec: Sendable {
    /// The spec file, or "command line" for a sweep given by --vary alone.
    public var file: String
    public var design: SweepDesign
    public var replications: Int
    public var seed: UInt64
    public var generator: RandomGeneratorKind
    public var outcomes: [SweepOutcome]
    /// Where each parameter was given (for errors at a point).
    public var parameterLocations: [SourceLocation]
    /// The points in design order.
    public var points: [[Double]]
    /// Everything that decides the results, one item a line; its SHA-256 is
    /// the spec hash that shards must share.
    public var canonicalText: String
    public var sha256: String
    /// Whether a point's values are also set in the scenario's events that
    /// set the same paths (`carry_into_events`), so they hold for the whole run.
    public var carryIntoEvents: Bool = false
    /// The spec's own `description` (what the sweep asks), for sweep.json
    /// and the report; not part of the spec hash, as it changes no result.
    public var description: String = ""

    public var parameters: [SweepParameter] { design.parameters }
}

/// Command-line additions to a spec (`deportsim sweep` flags).
public struct SweepOverrides: Sendable {
    public var vary: [String] = []
    public var design: SweepDesignKind?
    public var points: Int?
    /// Trajectories of a morris design (`--trajectories`).
    public var trajectories: Int?
    public var replications: Int?
    public var seed: UInt64?
    public var generator: RandomGeneratorKind = .taus2
    public init(vary: [String] = [], design: SweepDesignKind? = nil, points: Int? = nil, trajectories: Int? = nil,
                replications: Int? = nil, seed: UInt64? = nil, generator: RandomGeneratorKind = .taus2) {
        self.vary = vary; self.design = design; self.points = points; self.trajectories = trajectories
        self.replications = replications
        self.seed = seed; self.generator = generator
    }
}

public enum SweepSpecParser {
    static let topKeys = ["description", "design", "points", "replications", "seed", "parameters", "rows", "outcomes", "carry_into_events"]
        + sensitivityKeys.values.flatMap { $0 }.sorted()
    /// The keys only a sensitivity design takes.
    static let sensitivityKeys: [SweepDesignKind: [String]] = [.saltelli: ["second_order"], .morris: ["trajectories", "levels", "candidates"]]
    static let outcomeKeys = ["name", "metric", "country", "period", "statistic"]

    /// The outcomes of a spec that names none: whole-run figures for ALL.
    static func defaultOutcomes() -> [SweepOutcome] {
        [SweepOutcome(name: "removals", metrics: [.removals], country: "ALL", period: nil, statistic: .total),
         SweepOutcome(name: "encounters_total", metrics: [.encountersTotal], country: "ALL", period: nil, statistic: .total),
         SweepOutcome(name: "detained_max", metrics: [.detained], country: "ALL", period: nil, statistic: .max),
         SweepOutcome(name: "cost_total", metrics: [.costTotal], country: "ALL", period: nil, statistic: .total)]
    }

    /// Reads a spec file (or none: --vary alone), applies the command-line
    /// overrides and checks it against the scenario, every point included.
    /// Nothing is written.
    public static func load(file: String?, overrides: SweepOverrides, scenario loaded: LoadedScenario) throws -> SweepSpec {
        let cli = SourceLocation(file: "command line", line: 0, column: 0)
        var tree = try file.map { try TreeNode.load(file: $0) } ?? TreeNode(.mapping([]), cli)
        guard var top = tree.entries else {
            throw DeportSimError.badInput(tree.location, "", "expected a mapping of sweep keys (\(topKeys.joined(separator: ", "))), found \(tree.found)")
        }
        func put(_ key: String, _ value: TreeNode, into entries: inout [TreeEntry]) {
            if let i = entries.firstIndex(where: { $0.key == key }) { entries[i].value = value }
            else { entries.append(TreeEntry(key: key, keyLocation: value.location, value: value)) }
        }
        func scalar(_ text: String, _ option: String) -> TreeNode {
            TreeNode(.scalar(text, isNull: false), SourceLocation(file: "\(option) \(text)", line: 0, column: 0))
        }
        if !overrides.vary.isEmpty {
            var params = tree["parameters"]?.entries ?? []
            if let p = tree["parameters"], p.entries == nil, !p.isNull {
                throw DeportSimError.badInput(p.location, "parameters", "expected a mapping of paths to values or ranges, found \(p.found)")
            }
            for text in overrides.vary {
                let (path, value) = try parseVary(text)
                put(path, value, into: &params)
            }
            put("parameters", TreeNode(.mapping(params), tree["parameters"]?.location ?? cli), into: &top)
        }
        if let d = overrides.design { put("design", scalar(d.rawValue, "--design"), into: &top) }
        if let n = overrides.points { put("points", scalar(String(n), "--points"), into: &top) }
        if let n = overrides.trajectories { put("trajectories", scalar(String(n), "--trajectories"), into: &top) }
        if let r = overrides.replications { put("replications", scalar(String(r), "--replications"), into: &top) }
        if let s = overrides.seed { put("seed", scalar(String(s), "--seed"), into: &top) }
        tree = TreeNode(.mapping(top), tree.location)
        return try parse(tree, file: file ?? "command line", scenario: loaded, generator: overrides.generator)
    }

    /// `PATH=a,b,c` (a list) or `PATH=LOW..HIGH` (a range).
    static func parseVary(_ text: String) throws -> (String, TreeNode) {
        let loc = SourceLocation(file: "--vary \(text)", line: 0, column: 0)
        guard let eq = text.firstIndex(of: "=") else {
            throw DeportSimError.badInput(loc, "", "expected PATH=a,b,c or PATH=LOW..HIGH, like countries.CHN.court.mean_days=600..1200")
        }
        let path = InputText.trimmingBlanks(String(text[..<eq]))
        let raw = InputText.trimmingBlanks(text[text.index(after: eq)...])
        if path.isEmpty { throw DeportSimError.badInput(loc, "", "expected a path before '='") }
        if raw.contains("..") { return (path, TreeNode(.scalar(raw, isNull: false), loc)) }
        let items = raw.isEmpty ? [] : raw.split(separator: ",", omittingEmptySubsequences: false).map {
            TreeNode(.scalar(InputText.trimmingBlanks($0), isNull: false), loc)
        }
        return (path, TreeNode(.sequence(items), loc))
    }

    static func parse(_ tree: TreeNode, file: String, scenario loaded: LoadedScenario,
                      generator: RandomGeneratorKind) throws -> SweepSpec {
        // Every part is checked even after an earlier one failed (and after
        // unknown keys), the errors reported together, as a scenario's are.
        var errors = ErrorCollector()
        let r = try MappingReader(tree, path: "", allowed: topKeys, collecting: &errors)
        let scenario = loaded.scenario

        // Parameters: `parameters` (path -> list or range) or list rows.
        var parameters: [SweepParameter] = []
        var locations: [SourceLocation] = []
        var parametersRead = true
        if let rowsNode = r.optional("rows") {
            if r.optional("parameters") != nil {
                _ = try errors.attempt { throw DeportSimError.badInput(rowsNode.location, "rows", "give either rows (a list design's table) or parameters, not both") }
                parametersRead = false
            } else if let read = try errors.attempt({ try rows(rowsNode) }) {
                (parameters, locations) = read
            } else {
                parametersRead = false
            }
        } else if let node = try errors.attempt({ () throws -> TreeNode in
            let node = try r.required("parameters", "a mapping of scenario paths to [values] or \"LOW..HIGH\"")
            guard let entries = node.entries, !entries.isEmpty else {
                throw DeportSimError.badInput(node.location, "parameters", "expected a mapping of scenario paths to [values] or \"LOW..HIGH\", found \(node.found == "a mapping" ? "an empty mapping" : node.found)")
            }
            return node
        }) {
            for e in node.entries! {
                let key = "parameters." + e.key
                if let domain = try errors.attempt({ try self.domain(e.value, key: key, path: e.key) }) {
                    parameters.append(SweepParameter(path: e.key, domain: domain))
                    locations.append(e.value.location)
                } else {
                    parametersRead = false
                }
            }
        } else {
            parametersRead = false
        }
        for (p, loc) in zip(parameters, locations) {
            // Fixed for the whole sweep: run settings (dates, seed), the lists of
            // countries and routes, and what identifies a route (ScenarioKeys).
            if ScenarioKeys.facts(p.path).fixedInSweep {
                _ = try errors.attempt {
                    throw DeportSimError.badInput(loc, "parameters." + p.path, "a sweep cannot vary '\(p.path)': it is fixed for the whole sweep (vary values inside countries, routes, capacity, costs or border)")
                }
            }
        }
        let anyRange = parameters.contains { if case .range = $0.domain { true } else { false } }

        let defaultDesign: SweepDesignKind = r.optional("rows") != nil ? .list : (anyRange ? .latinHypercube : .grid)
        let readKind: SweepDesignKind? = try errors.attempt { try r.choice("design", default: defaultDesign) }
        var pointCount = 0, secondOrder = false, trajectories = 0, levels = 4
        var candidates: Int?
        if let kind = readKind {
            if kind.takesPointCount {
                if r.optional("points") == nil && file == "command line" {
                    // A sweep of --vary alone has no spec to name: name the flag.
                    _ = try errors.attempt { throw DeportSimError.badInput(SourceLocation(file: file, line: 0, column: 0), "--points",
                        "a \(kind.rawValue) design needs a point count; give --points N") }
                } else {
                    pointCount = try errors.attempt { try r.integer("points", min: 1, what: "a whole number of points >= 1") } ?? 0
                }
            } else if let v = r.optional("points") {
                let runs = kind == .grid ? "every combination of the values" : kind == .list ? "one point per row" : "trajectories x (parameters + 1) points"
                _ = try errors.attempt { throw DeportSimError.badInput(v.location, "points", "a \(kind.rawValue) design takes no point count (it runs \(runs)); remove it") }
            }
            for (owner, keys) in sensitivityKeys.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where owner != kind {
                for key in keys {
                    if let v = r.optional(key) {
                        _ = try errors.attempt { throw DeportSimError.badInput(v.location, key, "only a \(owner.rawValue) design takes \(key); this is a \(kind.rawValue) design; remove it") }
                    }
                }
            }
            if kind == .saltelli { secondOrder = try errors.attempt { try r.bool("second_order", default: false) } ?? false }
            if kind == .morris {
                trajectories = try errors.attempt { try r.integer("trajectories", min: 1, what: "a whole number of trajectories >= 2") } ?? 0
                levels = try errors.attempt { try r.integer("levels", default: 4, min: 1, what: "an even number of levels >= 2") } ?? 4
                candidates = try errors.attempt { try r.optionalInteger("candidates", min: 1, what: "a whole number of candidate trajectories") } ?? nil
            }
            if kind == .grid || kind == .list {
                for (p, loc) in zip(parameters, locations) {
                    if case .range(let lo, let hi, _) = p.domain {
                        _ = try errors.attempt {
                            throw DeportSimError.badInput(loc, "parameters." + p.path, "a \(kind.rawValue) design takes a list of values, found the range \(formatNumber(lo))..\(formatNumber(hi)); list the values or use design latin_hypercube, sobol or random")
                        }
                    }
                }
            }
            if kind == .list, let n = parameters.first?.listValues.count {
                for (p, loc) in zip(parameters, locations) where p.listValues.count != n {
                    _ = try errors.attempt {
                        throw DeportSimError.badInput(loc, "parameters." + p.path, "a list design pairs the i-th values of every parameter, so all lists need the same length: \(parameters[0].path) has \(n), this one \(p.listValues.count)")
                    }
                }
            }
            if kind == .sobol && parameters.count > SobolSequence.maxDimension {
                _ = try errors.attempt {
                    throw DeportSimError.badInput(tree["parameters"]?.location, "parameters", "GSL's Sobol sequence takes at most \(SobolSequence.maxDimension) parameters, found \(parameters.count)")
                }
            }
        }
        let readReplications = try errors.attempt {
            try r.integer("replications", default: scenario.replications, min: 1, max: Limits.replications,
                          what: "a whole number of replications from 1 to \(thousands(Double(Limits.replications))) (the limit)")
        }
        let readSeed = try errors.attempt { try r.seed(default: scenario.seed) }
        let readOutcomes = try errors.attempt { try self.outcomes(r, scenario: scenario) }
        let readCarry = try errors.attempt { try r.bool("carry_into_events", default: false) }
        let readDescription = try errors.attempt { try r.string("description", default: "") }
        try errors.finish()
        guard parametersRead, let kind = readKind, let replications = readReplications, let seed = readSeed,
              let outcomes = readOutcomes, let carryIntoEvents = readCarry, let description = readDescription else {
            throw DeportSimError.badInput(tree.location, "", "the sweep spec could not be checked")
        }
        let design = SweepDesign(kind: kind, parameters: parameters, pointCount: pointCount, seed: seed, secondOrder: secondOrder,
                                 trajectories: trajectories, levels: levels, candidateTrajectories: candidates)
        if design.count > Limits.sweepPoints {
            let count = design.count == .max ? "over 9.2 x 10^18" : thousands(Double(design.count))
            throw DeportSimError.badInput(tree["parameters"]?.location, "parameters", "the \(kind.rawValue) design has \(count) points, more than the limit of \(thousands(Double(Limits.sweepPoints)))")
        }
        try checkSensitivitySettings(design, r, parameters: tree["parameters"]?.location ?? tree.location)

        var settings: [String] = []
        switch kind {
        case .saltelli: settings = ["base_samples: \(pointCount)", "second_order: \(secondOrder)"]
        case .morris: settings = ["trajectories: \(trajectories)", "levels: \(levels)", "candidates: \(candidates.map(String.init) ?? "none")"]
        default: break
        }
        var lines = ["deportsim sweep spec v1", "design: \(kind.rawValue)"] + settings + ["points: \(design.count)",
                     "replications: \(replications)", "seed: \(seed)", "rng: \(generator.rawValue)"]
        // Only when on, so specs without it keep their hash (shards of a sweep begun before it existed still merge).
        if carryIntoEvents { lines.append("carry_into_events: true") }
        lines.append("parameters:")
        for p in parameters {
            switch p.domain {
            case .values(let v): lines.append("  \(p.path): [\(v.map(exactNumber).joined(separator: ", "))]")
            case .range(let lo, let hi, let whole): lines.append("  \(p.path): \(exactNumber(lo))..\(exactNumber(hi))\(whole ? " whole" : "")")
            }
        }
        lines.append("outcomes:")
        lines += outcomes.map { "  " + $0.canonical }
        let canonical = lines.joined(separator: "\n") + "\n"
        return SweepSpec(file: file, design: design, replications: replications, seed: seed, generator: generator,
                         outcomes: outcomes, parameterLocations: locations, points: design.points(),
                         canonicalText: canonical, sha256: SHA256.hash(data: Data(canonical.utf8)).hex,
                         carryIntoEvents: carryIntoEvents, description: description)
    }

    /// A saltelli or morris design's settings, checked by the design itself
    /// (SaltelliDesign, MorrisDesign) and reported at the key that gave the
    /// value at fault.
    static func checkSensitivitySettings(_ design: SweepDesign, _ r: MappingReader, parameters: SourceLocation) throws {
        do {
            switch design.kind {
            case .saltelli: _ = try design.saltelliDesign()
            case .morris: _ = try design.morrisDesign()
            default: return
            }
        } catch let e as SensitivityError {
            let key: String
            switch e.argument {
            case .baseSamples: key = "points"
            case .trajectories: key = "trajectories"
            case .levels: key = "levels"
            case .candidates: key = "candidates"
            case .parameterCount, nil: key = "parameters"
            }
            let location = key == "parameters" ? parameters : (r.optional(key)?.location ?? r.node.location)
            throw DeportSimError.badInput(location, key, e.description)
        }
    }

    /// A parameter's values: a list, a single value, or "LOW..HIGH".
    static func domain(_ node: TreeNode, key: String, path: String) throws -> SweepDomain {
        let whole = TreePaths.isWholeNumber(path)
        if let items = node.items {
            if items.isEmpty { throw DeportSimError.badInput(node.location, key, "expected at least one value, found an empty list") }
            return .values(try items.map { try MappingReader.number($0, key) })
        }
        guard let text = node.scalarText else {
            throw DeportSimError.badInput(node.location, key, "expected a list of numbers or a range \"LOW..HIGH\", found \(node.found)")
        }
        guard let dots = text.range(of: "..") else { return .values([try MappingReader.number(node, key)]) }
        let loText = InputText.trimmingBlanks(text[..<dots.lowerBound])
        let hiText = InputText.trimmingBlanks(text[dots.upperBound...])
        guard let lo = Double(loText), let hi = Double(hiText), lo.isFinite, hi.isFinite else {
            throw DeportSimError.badInput(node.location, key, "expected a range LOW..HIGH of two numbers, found '\(text)'")
        }
        if lo > hi { throw DeportSimError.badInput(node.location, key, "expected LOW <= HIGH in LOW..HIGH, found '\(text)' (LOW > HIGH)") }
        if lo == hi { throw DeportSimError.badInput(node.location, key, "expected LOW < HIGH, found the empty range '\(text)'; give a single value as [\(loText)]") }
        if whole && (lo != lo.rounded() || hi != hi.rounded()) {
            throw DeportSimError.badInput(node.location, key, "'\(path.split(separator: ".").last!)' takes whole numbers: expected whole LOW and HIGH, found '\(text)'")
        }
        return .range(low: lo, high: hi, wholeNumbers: whole)
    }

    /// A list design's `rows`: mappings path -> value, all with the same paths.
    static func rows(_ node: TreeNode) throws -> ([SweepParameter], [SourceLocation]) {
        guard let items = node.items, !items.isEmpty else {
            throw DeportSimError.badInput(node.location, "rows", "expected a list of rows (mappings of paths to values), found \(node.found)")
        }
        guard let first = items[0].entries, !first.isEmpty else {
            throw DeportSimError.badInput(items[0].location, "rows.0", "expected a mapping of scenario paths to values, found \(items[0].found)")
        }
        let paths = first.map(\.key)
        var values = [[Double]](repeating: [], count: paths.count)
        for (i, item) in items.enumerated() {
            guard let entries = item.entries else {
                throw DeportSimError.badInput(item.location, "rows.\(i)", "expected a mapping of scenario paths to values, found \(item.found)")
            }
            if entries.map(\.key) != paths {
                let missing = paths.filter { p in !entries.contains { $0.key == p } }
                let extra = entries.map(\.key).filter { !paths.contains($0) }
                let what = !missing.isEmpty ? "misses \(missing.joined(separator: ", "))"
                    : !extra.isEmpty ? "has paths row 0 lacks: \(extra.joined(separator: ", "))" : "gives the paths in another order"
                throw DeportSimError.badInput(item.location, "rows.\(i)", "every row sets the same paths in the same order as row 0; this one \(what)")
            }
            for (j, e) in entries.enumerated() { values[j].append(try MappingReader.number(e.value, "rows.\(i).\(e.key)")) }
        }
        return (zip(paths, values).map { SweepParameter(path: $0, domain: .values($1)) }, first.map(\.value.location))
    }

    /// An outcome's period (nil: the whole run), inside the run as a target's must be.
    static func period(_ o: MappingReader, scenario: Scenario) throws -> NamedPeriod? {
        guard let node = o.optional("period") else { return nil }
        return try TargetParser.periodInsideRun(node, o, scenario: scenario)
    }

    static func outcomes(_ r: MappingReader, scenario: Scenario) throws -> [SweepOutcome] {
        guard let items = try r.list("outcomes") else { return defaultOutcomes() }
        if items.isEmpty { throw DeportSimError.badInput(r.node["outcomes"]!.location, "outcomes", "expected at least one outcome, found an empty list") }
        var names: Set<String> = []
        var errors = ErrorCollector()
        let read = try items.enumerated().map { i, item in try errors.attempt { () throws -> SweepOutcome in
            let o = try MappingReader(item, path: "outcomes.\(i)", allowed: outcomeKeys)
            let name = try o.string("name")
            if name.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) == nil || ["point", "replication"].contains(name) {
                throw DeportSimError.badInput(item["name"]!.location, o.key("name"), "expected a column name of letters, digits and _ (not point or replication), found '\(name)'")
            }
            if !names.insert(name).inserted { throw DeportSimError.badInput(item["name"]!.location, o.key("name"), "duplicate outcome name '\(name)'") }
            let metrics = try TargetParser.metricList(try o.required("metric", "a metric or a list of metrics"), o.key("metric"))
            let country = try TargetParser.country(o, metrics: metrics, scenario: scenario)
            let period = try self.period(o, scenario: scenario)
            let statistic: OutcomeStatistic = try o.choice("statistic", default: metrics[0].isStock ? .end : .total)
            return SweepOutcome(name: name, metrics: metrics, country: country, period: period, statistic: statistic)
        } }
        try errors.finish()
        return read.compactMap { $0 }
    }
}

extension SweepSpec {
    /// The scenario of one point: the resolved scenario tree with the
    /// point's values set at their paths (and, with `carry_into_events`, in
    /// every event that sets those paths), checked like a scenario file. A
    /// bad value is reported at the spec line that gave the parameter.
    public func scenario(point: Int, base: LoadedScenario) throws -> Scenario {
        var tree = base.tree
        let values = points[point]
        do {
            for (j, p) in parameters.enumerated() {
                let loc = parameterLocations[j]
                let value = TreeNode(.scalar(exactNumber(values[j]), isNull: false), loc)
                tree = try TreePaths.set(tree, path: p.path, value: value, origin: loc)
                if carryIntoEvents { tree = try TreePaths.setInEvents(tree, path: p.path, value: value, origin: loc).tree }
            }
            return try ScenarioLoader.build(tree: tree, file: base.file, hashingResolved: false).scenario
        } catch let e as DeportSimError {
            let setting = zip(parameters, values).map { "\($0.path)=\(exactNumber($1))" }.joined(separator: ", ")
            throw DeportSimError.badInput(e.location, e.keyPath, "at sweep point \(point) (\(setting)): \(e.message)")
        }
    }

    /// The outcome specs in the model's terms.
    public func outcomeSpecs(in scenario: Scenario) -> [OutcomeSpec] { outcomes.map { $0.spec(in: scenario) } }
}
