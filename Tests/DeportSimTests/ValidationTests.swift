import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// Every rule of the scenario format gets a located message: file, line,
/// column, key path, what was expected and what was found.
@Suite("Scenario validation")
struct ValidationTests {
    static let base = """
    start: 2024-01-01
    end: 2024-03-31
    capacity: { detention_beds: 100 }
    countries:
      AAA:
        encounters: { per_day: 20 }
        pathways: { expedited_removal: 0.5, notice_to_appear: 0.4, voluntary_return: 0.1 }
        court: { mean_days: 100, order_rate: 0.5 }
        travel_documents: { mean_days: 10, cooperation: 1 }
    routes:
      - { id: r1, countries: [AAA], seats: 100, schedule: { every_days: 7, first: 2024-01-05 } }
    """

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let replace: String
        let with: String
        let line: Int
        let keyPath: String
        let message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown key with a suggestion", replace: "court: { mean_days", with: "cour: { mean_days", line: 8,
             keyPath: "countries.AAA.cour", message: "did you mean 'court'?"),
        Case(name: "shares must sum to 1", replace: "voluntary_return: 0.1", with: "voluntary_return: 0.2", line: 7,
             keyPath: "countries.AAA.pathways", message: "summing to 1 (within 0.000001: |sum - 1| <= 0.000001), found a sum of 1.1"),
        Case(name: "probability in [0, 1]", replace: "order_rate: 0.5", with: "order_rate: 1.5", line: 8,
             keyPath: "countries.AAA.court.order_rate", message: "a probability in [0, 1], found 1.5"),
        Case(name: "non-negative counts", replace: "detention_beds: 100", with: "detention_beds: -5", line: 3,
             keyPath: "capacity.detention_beds", message: "found -5"),
        Case(name: "numbers, not text", replace: "per_day: 20", with: "per_day: lots", line: 6,
             keyPath: "countries.AAA.encounters.per_day", message: "found 'lots'"),
        Case(name: "thousands separators", replace: "detention_beds: 100", with: "detention_beds: \"38,000\"", line: 3,
             keyPath: "capacity.detention_beds", message: "without thousands separators"),
        Case(name: "valid dates", replace: "end: 2024-03-31", with: "end: 2024-02-30", line: 2,
             keyPath: "end", message: "expected a date YYYY-MM-DD, found '2024-02-30'"),
        Case(name: "end after start", replace: "end: 2024-03-31", with: "end: 2023-03-31", line: 2,
             keyPath: "end", message: "on or after start"),
        Case(name: "required keys", replace: "    court: { mean_days: 100, order_rate: 0.5 }\n", with: "", line: 6,
             keyPath: "countries.AAA.court", message: "required key missing"),
        Case(name: "route countries exist", replace: "countries: [AAA]", with: "countries: [AAB]", line: 11,
             keyPath: "routes.r1.countries.0", message: "did you mean 'AAA'?"),
        Case(name: "one schedule kind", replace: "every_days: 7, first: 2024-01-05", with: "every_days: 7, first: 2024-01-05, per_month: 2", line: 11,
             keyPath: "routes.r1.schedule", message: "exactly one of dates, every_days, per_month"),
        Case(name: "seasonality has 12 months", replace: "per_day: 20 }", with: "per_day: 20, seasonality: [1, 1] }", line: 6,
             keyPath: "countries.AAA.encounters.seasonality", message: "expected 12 monthly multipliers"),
        Case(name: "dispersion needs negative binomial", replace: "per_day: 20 }", with: "per_day: 20, dispersion: 3 }", line: 6,
             keyPath: "countries.AAA.encounters.dispersion", message: "negative_binomial only"),
        Case(name: "distribution names", replace: "per_day: 20 }", with: "per_day: 20, distribution: negbin }", line: 6,
             keyPath: "countries.AAA.encounters.distribution", message: "expected one of poisson, negative_binomial"),
        Case(name: "duplicate keys", replace: "end: 2024-03-31", with: "end: 2024-03-31\nend: 2024-04-30", line: 3,
             keyPath: "end", message: "duplicate key"),
        Case(name: "YAML syntax", replace: "capacity: { detention_beds: 100 }", with: "capacity: { detention_beds: 100", line: 4,
             keyPath: "", message: "YAML syntax error"),
        Case(name: "event dates inside the run", replace: "routes:", with: "events:\n  - { date: 2025-01-01, set: { capacity.detention_beds: 5 } }\nroutes:", line: 11,
             keyPath: "events.0.date", message: "inside the run"),
        Case(name: "events cannot set what is fixed at the start", replace: "routes:", with: "events:\n  - { date: 2024-02-01, set: { routes.r1.schedule.every_days: 3 } }\nroutes:", line: 11,
             keyPath: "events.0.set.routes.r1.schedule.every_days", message: "drawn at the start of a replication"),
        Case(name: "events name existing countries", replace: "routes:", with: "events:\n  - { date: 2024-02-01, set: { countries.AAB.court.mean_days: 3 } }\nroutes:", line: 11,
             keyPath: "countries.AAB", message: "did you mean 'AAA'?"),
        Case(name: "shares are checked again after an event", replace: "routes:", with: "events:\n  - { date: 2024-02-01, set: { countries.AAA.pathways.voluntary_return: 0.5 } }\nroutes:", line: 7,
             keyPath: "countries.AAA.pathways", message: "summing to 1"),
        Case(name: "event values are checked where they are written", replace: "routes:", with: "events:\n  - { date: 2024-02-01, set: { capacity.detention_beds: many } }\nroutes:", line: 11,
             keyPath: "capacity.detention_beds", message: "found 'many'"),
        Case(name: "runs of at most 100 years", replace: "end: 2024-03-31", with: "end: 2200-03-31", line: 2,
             keyPath: "end", message: "at most 100 years"),
        Case(name: "means that stay within GSL's samplers", replace: "per_day: 20 }", with: "per_day: 2000, trend_per_year: 50 }", line: 6,
             keyPath: "countries.AAA.encounters.trend_per_year", message: "at most 10,000,000"),
        Case(name: "stocks within bounds", replace: "per_day: 20 }", with: "per_day: 20 }\n    initial: { pending: 2000000000 }", line: 7,
             keyPath: "countries.AAA.initial.pending", message: "from 0 to 1,000,000,000"),
        Case(name: "target metric names", replace: "routes:", with: "targets:\n  - { metric: removal, country: AAA, period: 2024-02, value: 5 }\nroutes:", line: 11,
             keyPath: "targets.0.metric", message: "did you mean 'removals'?"),
        Case(name: "target periods inside the run", replace: "routes:", with: "targets:\n  - { metric: removals, country: AAA, period: FY2025, value: 5 }\nroutes:", line: 11,
             keyPath: "targets.0.period", message: "inside the run"),
    ]

    @Test(arguments: cases)
    func ruleGivesALocatedMessage(_ c: Case) throws {
        #expect(Self.base.contains(c.replace), "the case's text must occur in the base scenario")
        let text = Self.base.replacingOccurrences(of: c.replace, with: c.with)
        do {
            _ = try scenario(text, file: "bad.yaml")
            Issue.record("expected an error for \(c.name)")
        } catch let e as DeportSimError {
            #expect(e.location?.file == "bad.yaml")
            #expect(e.location?.line == c.line, "\(e)")
            #expect((e.location?.column ?? 0) >= 1, "\(e)")
            #expect(e.keyPath == c.keyPath, "\(e)")
            #expect(e.message.contains(c.message), "\(e)")
            #expect(e.description.hasPrefix("bad.yaml:\(c.line):"))
        }
    }

    @Test func baseScenarioIsValid() throws {
        #expect(try scenario(Self.base).scenario.parameters.countries.count == 1)
    }

    @Test func setOverridesUseThePathSyntaxAndAreLocated() throws {
        let dir = temporaryFolder()
        let file = dir.appendingPathComponent("s.yaml").path
        try Self.base.write(toFile: file, atomically: true, encoding: .utf8)
        let ok = try ScenarioLoader.load(file: file, overrides: ["countries.AAA.court.mean_days=900", "routes.r1.seats=50",
                                                                 "capacity.detention_beds=null"])
        #expect(ok.scenario.parameters.countries[0].court.meanDays == 900)
        #expect(ok.scenario.parameters.routes[0].seats == 50)
        #expect(ok.scenario.parameters.capacity.detentionBeds == nil)
        #expect(throws: DeportSimError.self) { try ScenarioLoader.load(file: file, overrides: ["routes.r2.seats=5"]) }
        let e = try #require(throws: DeportSimError.self) {
            try ScenarioLoader.load(file: file, overrides: ["countries.AAA.court.mean_dayz=5"])
        }
        #expect(e.isBadInput)
        #expect(e.description.contains("--set countries.AAA.court.mean_dayz=5"))
        #expect(e.message.contains("did you mean 'mean_days'?"))
    }

    @Test func extendsMergesRelativeToTheFileAndDetectsLoops() throws {
        let dir = temporaryFolder()
        try Self.base.write(to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("v"), withIntermediateDirectories: true)
        try "extends: ../base.yaml\nroutes:\n  - { id: r1, seats: 7 }\n  - { id: r2, countries: [AAA], seats: 3, schedule: { per_month: 1 } }\n"
            .write(to: dir.appendingPathComponent("v/over.yaml"), atomically: true, encoding: .utf8)
        let s = try ScenarioLoader.load(file: dir.appendingPathComponent("v/over.yaml").path).scenario
        #expect(s.name == "over")
        #expect(s.parameters.routes.map(\.seats) == [7, 3])
        try "extends: b.yaml\n".write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "extends: a.yaml\n".write(to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(file: dir.appendingPathComponent("a.yaml").path)
            Issue.record("a loop of extends must fail")
        } catch let e as DeportSimError {
            #expect(e.message.contains("loop"))
        }
    }
}

@Suite("Scenario formats")
struct ScenarioFormatTests {
    /// JSON is accepted too, with the same checks and locations.
    @Test func jsonScenariosLoadLikeYAML() throws {
        let yaml = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("conf-three.yaml").path)
        // Written by hand, in the scenario's key order (countries' order matters).
        func json(_ n: TreeNode, _ indent: String = "") -> String {
            switch n.value {
            case .scalar(_, true): return "null"
            case .scalar(let s, false): return Double(s) != nil && s.rangeOfCharacter(from: .letters) == nil ? s : "\"\(s)\""
            case .sequence(let items): return "[" + items.map { json($0, indent) }.joined(separator: ", ") + "]"
            case .mapping(let es):
                return "{\n" + es.map { indent + "  \"\($0.key)\" : " + json($0.value, indent + "  ") }.joined(separator: ",\n") + "\n" + indent + "}"
            }
        }
        let json = json(yaml.tree)
        let dir = temporaryFolder()
        let file = dir.appendingPathComponent("conf-three.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        #expect(json.contains("\"order_rate\" : 0.5"))
        let loaded = try ScenarioLoader.load(file: file.path)
        #expect(loaded.scenario.parameters == yaml.scenario.parameters)
        #expect(loaded.scenario.changes.count == yaml.scenario.changes.count)
        try json.replacingOccurrences(of: "\"order_rate\" : 0.5", with: "\"order_rate\" : 5").write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(file: file.path)
            Issue.record("an out-of-range probability in JSON must fail")
        } catch let e as DeportSimError {
            #expect(e.location?.file == file.path && (e.location?.line ?? 0) > 1)
            #expect(e.keyPath.hasSuffix("court.order_rate"))
        }
    }
}
