import Crypto
import DeportSimAnalysis
import DeportSimCore
import Foundation

/// Reads a scenario's `uncertain:` mapping (docs/model.md 8.7): each path
/// resolved once to a setter on the model's values, each distribution
/// checked against its key's domain, and an optional `from:` sample file.
enum UncertainParser {
    static let distributions = ["uniform", "normal", "lognormal", "beta", "triangular", "choice"]

    static func uncertainty(_ root: TreeNode, scenario: Scenario) throws -> Uncertainty {
        guard let node = root["uncertain"], !node.isNull else { return Uncertainty() }
        guard let entries = node.entries else {
            throw DeportSimError.badInput(node.location, "uncertain", "expected a mapping of paths to distributions, found \(node.found)")
        }
        var inputs: [UncertainInput] = []
        var sample: ParameterSample?
        var seen: [String: SourceLocation] = [:]
        var shareSets: [String: String] = [:]
        func claim(_ target: UncertainTarget, at location: SourceLocation, key: String) throws {
            if seen[target.path] != nil {
                throw DeportSimError.badInput(location, key, "the path \(target.path) is uncertain twice (also at \(seen[target.path]!))")
            }
            if let set = target.shareSet {
                if let other = shareSets[set] {
                    throw DeportSimError.badInput(location, key, "only one share of \(set) may be uncertain (\(other) already is): the other two make up the rest")
                }
                shareSets[set] = target.path
            }
            seen[target.path] = location
        }
        for e in entries where e.key != "from" {
            let key = "uncertain." + e.key
            let target = try resolve(e.key, scenario: scenario, location: e.keyLocation, key: key)
            try claim(target, at: e.keyLocation, key: key)
            let distribution = try self.distribution(e.value, key: key, whole: target.domain.whole)
            if let why = target.domain.refusal(for: distribution) {
                throw DeportSimError.badInput(e.value.location, key, "this key \(why)")
            }
            inputs.append(UncertainInput(target: target, distribution: distribution))
        }
        if let from = node["from"] {
            sample = try self.sample(from, scenario: scenario, claim: claim)
        }
        // A drawn value is set in each event snapshot until an event sets its path (or its share set).
        let targets = inputs.map(\.target) + (sample?.targets ?? [])
        let applies = targets.map { t in
            scenario.changes.map { change in
                guard let event = t.event else { return !scenario.eventSets(t.overridePath, onOrBefore: change.date) }
                // An event's value: from its date until a later event sets the same path.
                return change.date >= event.date && !scenario.eventNotes.contains { n in
                    n.date > event.date && n.date <= change.date && n.paths.contains { Scenario.overlaps($0, event.path) }
                }
            }
        }
        return Uncertainty(inputs: inputs, sample: sample, appliesToChange: applies)
    }

    /// The warnings that events override uncertain values, as sweeps warn.
    static func warnings(_ u: Uncertainty, scenario: Scenario) -> [String] {
        u.targets.flatMap { scenario.eventOverrideWarnings(path: $0.overridePath, what: "uncertain") }
    }

    private static func resolve(_ path: String, scenario: Scenario, location: SourceLocation, key: String) throws -> UncertainTarget {
        // The uncertain-path table (UncertainTarget.resolve) decides; a refused
        // key fixed at the start is explained in the key table's words.
        do {
            if path.hasPrefix("events.") { return try eventValue(path, scenario: scenario) }
            return try UncertainTarget.resolve(path, in: scenario.parameters)
        } catch {
            if !path.hasPrefix("events."), let why = TreePaths.fixedAtStartReason(path) {
                throw DeportSimError.badInput(location, key, "\(path) cannot be uncertain: it \(why)")
            }
            throw DeportSimError.badInput(location, key, "\(path) cannot be uncertain: \(error.reason.hasPrefix("is ") ? "it " : "")\(error.reason)")
        }
    }

    /// `events.<id>.set.<path>`: the value the event with that id sets, as
    /// `--fit` and sweeps name it (docs/model.md 8.7, 9.1); resolved against
    /// the values in force from the event's date.
    private static func eventValue(_ path: String, scenario: Scenario) throws(UncertainPathRefusal) -> UncertainTarget {
        let c = path.split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard c.count == 4, c[2] == "set", !c[1].isEmpty, !c[3].isEmpty else {
            throw UncertainPathRefusal(reason: "is not an event's value: expected events.<id>.set.<path>")
        }
        let (id, inner) = (c[1], c[3])
        guard let note = scenario.eventNotes.first(where: { $0.id == id }) else {
            let ids = scenario.eventNotes.compactMap(\.id)
            throw UncertainPathRefusal(reason: "no event has the id '\(id)'\(ids.isEmpty ? " (no event has an id)" : "; ids: " + ids.joined(separator: ", "))")
        }
        guard note.paths.contains(inner) else {
            throw UncertainPathRefusal(reason: "the event '\(id)' does not set \(inner) (it sets \(note.paths.joined(separator: ", ")))")
        }
        guard let change = scenario.changes.first(where: { $0.date == note.date }) else {
            throw UncertainPathRefusal(reason: "the event '\(id)' has no values in force")
        }
        var target = try UncertainTarget.resolve(inner, in: change.parameters)
        guard target.shareSet == nil else {
            throw UncertainPathRefusal(reason: "is a pathway share that an event sets: make the whole set uncertain in the event's place, not one share")
        }
        target.path = path
        target.event = (note.date, inner)
        return target
    }

    /// One distribution: a mapping with exactly one of `distributions`.
    static func distribution(_ node: TreeNode, key: String, whole: Bool) throws -> InputDistribution {
        guard let entries = node.entries, entries.count == 1, let e = entries.first else {
            throw DeportSimError.badInput(node.location, key, "expected one distribution (\(distributions.joined(separator: ", "))), like { uniform: [0.8, 1.2] }, found \(node.found)")
        }
        let k = key + "." + e.key
        func numbers(_ count: Int, _ form: String) throws -> [Double] {
            guard let items = e.value.items, items.count == count else {
                throw DeportSimError.badInput(e.value.location, k, "expected \(form), found \(e.value.found)")
            }
            return try items.enumerated().map { i, v in try MappingReader.number(v, k + ".\(i)") }
        }
        func fail(_ why: String) -> DeportSimError { DeportSimError.badInput(e.value.location, k, why) }
        switch e.key {
        case "uniform":
            let x = try numbers(2, "[low, high]")
            guard x[0] < x[1] else { throw fail("expected low < high, found [\(x[0]), \(x[1])]") }
            if whole, x.allSatisfy({ $0 == $0.rounded() && abs($0) < 9e15 }) { return .uniformWhole(low: Int(x[0]), high: Int(x[1])) }
            return .uniform(low: x[0], high: x[1])
        case "normal":
            let r = try MappingReader(e.value, path: k, allowed: ["mean", "sd"])
            let mean = try r.number("mean", min: -.infinity, what: "a number")
            let sd = try r.positive("sd")
            return .normal(mean: mean, sd: sd)
        case "lognormal":
            let r = try MappingReader(e.value, path: k, allowed: ["median", "sd_log", "p05", "p95"])
            if r.contains("p05") || r.contains("p95") {
                if r.contains("median") || r.contains("sd_log") { throw fail("expected either {median, sd_log} or {p05, p95}, found both") }
                let p05 = try r.positive("p05"), p95 = try r.positive("p95")
                guard p05 < p95 else { throw fail("expected p05 < p95, found p05 \(p05), p95 \(p95)") }
                return .lognormal(median: (p05 * p95).squareRoot(), sdLog: log(p95 / p05) / (2 * InputDistribution.normalQuantile95))
            }
            return .lognormal(median: try r.positive("median"), sdLog: try r.positive("sd_log"))
        case "beta":
            let r = try MappingReader(e.value, path: k, allowed: ["mean", "sd"])
            let mean = try r.number("mean", min: 0, max: 1, what: "a mean strictly between 0 and 1")
            let sd = try r.positive("sd")
            guard mean > 0, mean < 1, sd * sd < mean * (1 - mean) else {
                throw fail("expected 0 < mean < 1 and sd < sqrt(mean (1 - mean)) = \(exactNumber((mean * (1 - mean)).squareRoot())), found mean \(exactNumber(mean)), sd \(exactNumber(sd))")
            }
            return .beta(mean: mean, sd: sd)
        case "triangular":
            let x = try numbers(3, "[low, mode, high]")
            guard x[0] <= x[1], x[1] <= x[2], x[0] < x[2] else { throw fail("expected low <= mode <= high and low < high, found \(x)") }
            return .triangular(low: x[0], mode: x[1], high: x[2])
        case "choice":
            let r = try MappingReader(e.value, path: k, allowed: ["values", "weights"])
            guard let items = try r.list("values"), !items.isEmpty else { throw fail("expected a non-empty list of values") }
            let values = try items.enumerated().map { i, v in try MappingReader.number(v, r.key("values.\(i)")) }
            var weights = Array(repeating: 1.0, count: values.count)
            if let w = try r.list("weights") {
                guard w.count == values.count else {
                    throw DeportSimError.badInput(r.node["weights"]!.location, r.key("weights"), "expected \(values.count) weights, one per value, found \(w.count)")
                }
                weights = try w.enumerated().map { i, v in try MappingReader.number(v, r.key("weights.\(i)"), "a weight >= 0") }
                if weights.contains(where: { $0 < 0 }) || !(weights.reduce(0, +) > 0) {
                    throw DeportSimError.badInput(r.node["weights"]!.location, r.key("weights"), "expected weights >= 0 with a positive sum")
                }
            }
            return .choice(values: values, weights: weights)
        default:
            let hint = didYouMean(e.key, in: distributions, otherwise: "; distributions: \(distributions.joined(separator: ", "))")
            throw DeportSimError.badInput(e.keyLocation, k, "unknown distribution '\(e.key)'\(hint)")
        }
    }

    /// `from: FILE`: a CSV of parameter sets, `draw,<path>...[,weight][,log_likelihood|distance]`.
    private static func sample(_ node: TreeNode, scenario: Scenario,
                               claim: (UncertainTarget, SourceLocation, String) throws -> Void) throws -> ParameterSample {
        guard let rel = node.scalarText, !rel.isEmpty else {
            throw DeportSimError.badInput(node.location, "uncertain.from", "expected the path of a CSV file of parameter sets, found \(node.found)")
        }
        let path = rel.hasPrefix("/") ? rel
            : URL(fileURLWithPath: node.location.file).deletingLastPathComponent().appendingPathComponent(rel).path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DeportSimError.badInput(node.location, "uncertain.from",
                                          FileManager.default.fileExists(atPath: path) ? "cannot read \(path) as UTF-8 text" : "no such file: \(path)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        func at(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(file: path, line: line, column: column) }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init), header.first == "draw" else {
            throw DeportSimError.badInput(at(1, 1), "draw", "expected a header starting with draw, then one column per path")
        }
        let info: Set = ["log_likelihood", "distance"]
        let weightColumn = header.firstIndex(of: "weight")
        var columns: [(index: Int, target: UncertainTarget)] = []
        var column = 1
        for (i, name) in header.enumerated() {
            defer { column += name.count + 1 }
            if i == 0 || i == weightColumn || info.contains(name) { continue }
            let target = try resolve(name, scenario: scenario, location: at(1, column), key: name)
            try claim(target, at(1, column), name)
            columns.append((i, target))
        }
        if columns.isEmpty { throw DeportSimError.badInput(at(1, 1), "", "expected at least one path column after draw") }
        var draws: [Int] = [], rows: [[Double]] = [], weights: [Double] = []
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else {
                throw DeportSimError.badInput(at(n + 1, 1), "", "expected \(header.count) fields as in the header, found \(fields.count)")
            }
            var starts: [Int] = [1]
            for f in fields { starts.append(starts.last! + f.count + 1) }
            func number(_ i: Int, _ what: String) throws -> Double {
                guard let x = Double(fields[i]), x.isFinite else {
                    throw DeportSimError.badInput(at(n + 1, starts[i]), header[i], "expected \(what), found '\(fields[i])'")
                }
                return x
            }
            let draw = try number(0, "a whole draw number")
            guard draw == draw.rounded(), abs(draw) < 9e15 else {
                throw DeportSimError.badInput(at(n + 1, 1), "draw", "expected a whole draw number, found '\(fields[0])'")
            }
            draws.append(Int(draw))
            rows.append(try columns.map { i, target in
                let x = try number(i, "a number")
                if let why = target.domain.refusal(for: .choice(values: [x], weights: [1])) {
                    throw DeportSimError.badInput(at(n + 1, starts[i]), header[i], "this key \(why)")
                }
                return x
            })
            if let w = weightColumn {
                let x = try number(w, "a weight >= 0")
                if x < 0 { throw DeportSimError.badInput(at(n + 1, starts[w]), "weight", "expected a weight >= 0, found \(fields[w])") }
                weights.append(x)
            }
        }
        if rows.isEmpty { throw DeportSimError.badInput(at(2, 1), "", "expected at least one row of parameter values") }
        if weightColumn != nil, !(weights.reduce(0, +) > 0) {
            throw DeportSimError.badInput(at(1, 1), "weight", "expected weights with a positive sum")
        }
        return ParameterSample(file: path, sha256: SHA256.hash(data: data).hex, targets: columns.map(\.target), draws: draws, rows: rows,
                               weights: weightColumn == nil ? nil : weights)
    }
}
