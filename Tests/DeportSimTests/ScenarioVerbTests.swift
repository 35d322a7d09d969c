import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// Event ids in paths, an overlay's `delete:`, a sweep's `carry_into_events`
/// and fitting an event's value (docs/model.md 8 and 9).
@Suite("Scenario verbs")
struct ScenarioVerbTests {
    /// One event, `resume`, raising cooperation on 2024-01-21 (day 20).
    static let resumeEvent = "events=[{id: resume, date: 2024-01-21, set: {countries.AAA.travel_documents.cooperation: 0.3}, note: resumes}]"
    static let eventPath = "events.resume.set.countries.AAA.travel_documents.cooperation"

    static func cooperation(_ s: Scenario, afterEvent: Bool) -> Double {
        (afterEvent ? s.changes[0].parameters : s.parameters).countries[0].travelDocuments.cooperation
    }

    func thrown(_ body: () throws -> Void) -> DeportSimError? {
        do { try body() } catch let e as DeportSimError { return e } catch { return nil }
        return nil
    }

    // MARK: event ids in paths

    @Test func setAndVariantChangeTheValueTheEventSets() throws {
        let loaded = try baseScenario(setting: [Self.resumeEvent, "\(Self.eventPath)=0.7"])
        #expect(Self.cooperation(loaded.scenario, afterEvent: false) == 1, "the value before the event is the scenario's own")
        #expect(Self.cooperation(loaded.scenario, afterEvent: true) == 0.7)
        #expect(loaded.scenario.changes.count == 1 && loaded.scenario.changes[0].date == CivilDate(iso: "2024-01-21"))

        let variant = try Variants.fromSpec("later:\(Self.eventPath)=0.6,countries.AAA.court.mean_days=50", baseline: loaded).scenario
        #expect(Self.cooperation(variant.scenario, afterEvent: true) == 0.6)
        #expect(variant.scenario.parameters.countries[0].court.meanDays == 50)
    }

    @Test func aSweepVariesTheValueTheEventSets() throws {
        let loaded = try baseScenario(setting: [Self.resumeEvent])
        let spec = try SweepSpecParser.load(file: nil, overrides: SweepOverrides(vary: ["\(Self.eventPath)=0.2,0.4"]), scenario: loaded)
        #expect(spec.points == [[0.2], [0.4]])
        let point = try spec.scenario(point: 1, base: loaded)
        #expect(Self.cooperation(point, afterEvent: false) == 1)
        #expect(Self.cooperation(point, afterEvent: true) == 0.4)
        // What the table says about the value applies through the event path.
        #expect(!ScenarioKeys.facts(Self.eventPath).fixedInSweep)
        #expect(TreePaths.isWholeNumber("events.x.set.capacity.detention_beds"))
        #expect(ScenarioKeys.facts("events.resume.date").fixedInSweep, "an event's date stays fixed in a sweep")
    }

    @Test func anEventAssignmentInsideAMappingValueIsNamedByItsLeafPath() throws {
        let loaded = try baseScenario(setting: [
            "events=[{id: docs, date: 2024-01-21, set: {countries.AAA.travel_documents: {cooperation: 0.3, mean_days: 20}}}]",
            "events.docs.set.countries.AAA.travel_documents.mean_days=40",
        ])
        #expect(loaded.scenario.changes[0].parameters.countries[0].travelDocuments.meanDays == 40)
        #expect(Self.cooperation(loaded.scenario, afterEvent: true) == 0.3)
    }

    @Test func unknownIdsAndPathsTheEventDoesNotSetAreErrors() throws {
        let unknown = thrown { _ = try baseScenario(setting: [Self.resumeEvent, "events.resumed.set.countries.AAA.travel_documents.cooperation=0.7"]) }
        #expect(unknown?.keyPath == "events.resumed")
        #expect(unknown?.message.contains("no event with id 'resumed' (event ids: resume); did you mean 'resume'?") == true, "\(String(describing: unknown))")
        #expect(unknown?.location?.file.hasPrefix("--set events.resumed") == true)

        let notSet = thrown { _ = try baseScenario(setting: [Self.resumeEvent, "events.resume.set.countries.AAA.travel_documents.mean_days=5"]) }
        #expect(notSet?.message.contains("the event 'resume' does not set 'countries.AAA.travel_documents.mean_days' (it sets countries.AAA.travel_documents.cooperation)") == true,
                "\(String(describing: notSet))")

        let fit = thrown { _ = try FitParameter.parse("events.0.set.countries.AAA.travel_documents.cooperation=0.1..0.5",
                                                      tree: try baseScenario(setting: [Self.resumeEvent]).tree) }
        #expect(fit?.message.contains("name the event by its id") == true, "\(String(describing: fit))")

        let noEvents = thrown { _ = try baseScenario(setting: ["\(Self.eventPath)=0.7"]) }
        #expect(noEvents?.message.contains("the scenario has no events") == true)
    }

    @Test func anEventCannotSetAnotherEventsValue() throws {
        let e = thrown { _ = try baseScenario(setting: [
            "events=[{id: a, date: 2024-01-21, set: {capacity.detention_beds: 5}}, {id: b, date: 2024-01-22, set: {events.a.set.capacity.detention_beds: 6}}]",
        ]) }
        #expect(e?.message.contains("names another event's value") == true, "\(String(describing: e))")
    }

    @Test(arguments: [
        ("  - { id: same, date: 2024-01-10, set: { capacity.detention_beds: 5 } }\n  - { id: same, date: 2024-01-20, set: { capacity.detention_beds: 6 } }",
         2, 11, "events.1.id", "duplicate event id 'same' (also events.0, at test.yaml:2:11)"),
        ("  - { id: 12, date: 2024-01-10, set: { capacity.detention_beds: 5 } }", 1, 11, "events.0.id", "not a number, found '12'"),
        ("  - { id: a b, date: 2024-01-10, set: { capacity.detention_beds: 5 } }", 1, 11, "events.0.id", "letters, digits, '_' or '-'"),
    ])
    func badEventIdsAreLocated(events: String, line: Int, column: Int, keyPath: String, message: String) throws {
        // The events block starts the file, so its lines are the file's first.
        let text = "events:\n" + events + "\n" + oneCountry()
        let e = thrown { _ = try scenario(text) }
        #expect(e?.location?.line == line + 1 && e?.location?.column == column, "\(String(describing: e))")
        #expect(e?.keyPath == keyPath)
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
    }

    // MARK: delete in overlays

    /// A base with a route, an event with an id and a trend, and an overlay of it.
    func overlay(_ text: String) throws -> (base: LoadedScenario, overlay: () throws -> LoadedScenario, file: String) {
        let dir = temporaryFolder()
        let base = oneCountry(days: 60, extra: """
        capacity: { detention_beds: 500 }
        routes:
          - { id: r1, countries: [AAA], seats: 50, schedule: { every_days: 7, first: 2024-01-05 } }
        events:
          - { id: resume, date: 2024-01-21, set: { countries.AAA.travel_documents.cooperation: 0.3 } }
          - { date: 2024-02-01, set: { capacity.detention_beds: 600 } }
        """).replacingOccurrences(of: "encounters: { per_day: 20 }", with: "encounters: { per_day: 20, trend_per_year: 0.5 }")
        try base.write(to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("overlay.yaml").path
        try ("extends: base.yaml\n" + text).write(toFile: file, atomically: true, encoding: .utf8)
        return (try ScenarioLoader.load(file: dir.appendingPathComponent("base.yaml").path), { try ScenarioLoader.load(file: file) }, file)
    }

    @Test func deleteRemovesRoutesEventsAndKeys() throws {
        let (base, load, _) = try overlay("delete: [routes.r1, events.resume, capacity.detention_beds]\n")
        #expect(base.scenario.parameters.routes.count == 1 && base.scenario.changes.count == 2)
        let s = try load().scenario
        #expect(s.parameters.routes.isEmpty)
        #expect(s.changes.map(\.date) == [CivilDate(iso: "2024-02-01")!], "only the event without the id is left")
        #expect(s.parameters.capacity.detentionBeds == nil, "a deleted capacity is unlimited, its default")
        #expect(try load().tree["delete"] == nil, "delete: is a directive, not a value of the resolved scenario")
    }

    @Test func deleteTakesAMappingOfPathsToNullAndOneAssignmentOfAnEvent() throws {
        let (_, load, _) = try overlay("delete:\n  countries.AAA.encounters.trend_per_year: ~\n  events.resume.set.countries.AAA.travel_documents.cooperation: ~\n")
        let e = thrown { _ = try load() }
        // The event is left with no assignment, which the event check refuses.
        #expect(e?.message.contains("expected a mapping of paths to values") == true, "\(String(describing: e))")
        let (_, trendOnly, _) = try overlay("delete:\n  countries.AAA.encounters.trend_per_year: ~\n")
        #expect(try trendOnly().scenario.parameters.countries[0].encounters.trendPerYear == 0)
    }

    @Test func aDeletedKeyGivenAgainIsReplacedNotMerged() throws {
        let (_, load, _) = try overlay("delete: [countries.AAA.encounters]\ncountries:\n  AAA:\n    encounters: { per_day: 5 }\n")
        let encounters = try load().scenario.parameters.countries[0].encounters
        #expect(encounters.perDay == 5 && encounters.trendPerYear == 0, "the base's trend went with the deleted mapping")
    }

    @Test(arguments: [
        ("delete: [countries.AAA.court.mean_days]\n", 2, 10, "countries.AAA.court.mean_days", "cannot delete 'countries.AAA.court.mean_days': a scenario requires it"),
        ("delete: [start]\n", 2, 10, "start", "a scenario requires it"),
        ("delete: [routes.r1.seats]\n", 2, 10, "routes.r1.seats", "a scenario requires it"),
        ("delete:\n  - countries.AAA.court.mean_dayz\n", 3, 5, "countries.AAA.court.mean_dayz", "nothing to delete: 'countries.AAA.court' has no 'mean_dayz'; did you mean 'mean_days'?"),
        ("delete: [routes.r2]\n", 2, 10, "routes.r2", "no route with id 'r2' (route ids: r1)"),
        ("delete: [events.resumes]\n", 2, 10, "events.resumes", "did you mean 'resume'?"),
        ("delete: { capacity.detention_beds: 5 }\n", 2, 36, "delete.capacity.detention_beds", "expected ~"),
    ])
    func badDeletionsAreLocated(text: String, line: Int, column: Int, keyPath: String, message: String) throws {
        let (_, load, file) = try overlay(text)
        let e = thrown { _ = try load() }
        #expect(e?.location == SourceLocation(file: file, line: line, column: column), "\(String(describing: e))")
        #expect(e?.keyPath == keyPath)
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
    }

    @Test func deleteNeedsABaseAndCannotBeSetFromTheCommandLine() throws {
        let dir = temporaryFolder()
        let file = dir.appendingPathComponent("alone.yaml").path
        try ("delete: [capacity]\n" + oneCountry()).write(toFile: file, atomically: true, encoding: .utf8)
        let alone = thrown { _ = try ScenarioLoader.load(file: file) }
        #expect(alone?.location == SourceLocation(file: file, line: 1, column: 9))
        #expect(alone?.message.contains("this file has no `extends:`") == true, "\(String(describing: alone))")
        let cli = thrown { _ = try TreePaths.parseAssignment("delete=[capacity]") }
        #expect(cli?.message.contains("directive of an overlay file") == true)
    }

    @Test func anOverlaysEventWithABaseIdChangesThatEvent() throws {
        let (_, load, _) = try overlay("events:\n  - { id: resume, set: { countries.AAA.travel_documents.cooperation: 0.5 } }\n  - { date: 2024-02-10, set: { capacity.detention_beds: 700 } }\n")
        let s = try load().scenario
        #expect(s.changes.map(\.date.description) == ["2024-01-21", "2024-02-01", "2024-02-10"], "merged in place, the date kept")
        #expect(Self.cooperation(s, afterEvent: true) == 0.5)
    }

    // MARK: carry_into_events

    func carrySweep(carry: Bool?) throws -> (LoadedScenario, SweepSpec) {
        let loaded = try baseScenario(setting: [Self.resumeEvent])
        let dir = temporaryFolder()
        let file = dir.appendingPathComponent("s.sweep.yaml").path
        try ((carry.map { "carry_into_events: \($0)\n" } ?? "") + "parameters:\n  countries.AAA.travel_documents.cooperation: [0.6, 0.8]\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        return (loaded, try SweepSpecParser.load(file: file, overrides: SweepOverrides(), scenario: loaded))
    }

    @Test func carryIntoEventsReplacesTheEventsLaterValue() throws {
        let (loaded, spec) = try carrySweep(carry: true)
        let point = try spec.scenario(point: 0, base: loaded)
        #expect(Self.cooperation(point, afterEvent: false) == 0.6)
        #expect(Self.cooperation(point, afterEvent: true) == 0.6, "the swept value holds for the whole run")
        #expect(spec.canonicalText.contains("carry_into_events: true\n"))

        let (_, plain) = try carrySweep(carry: nil)
        let off = try plain.scenario(point: 0, base: loaded)
        #expect(Self.cooperation(off, afterEvent: false) == 0.6)
        #expect(Self.cooperation(off, afterEvent: true) == 0.3, "without it the event's value holds from its date")
        #expect(!plain.canonicalText.contains("carry_into_events"), "the default leaves the spec's hash as it was")
        #expect(try carrySweep(carry: false).1.sha256 == plain.sha256)
        #expect(plain.sha256 != spec.sha256)
    }

    /// The command warns about the event only when the value is not carried
    /// into it, and sweep.json records the option.
    @Test(arguments: [false, true])
    func sweepWarnsUnlessCarriedAndRecordsIt(carry: Bool) throws {
        let dir = temporaryFolder()
        let scenarioFile = dir.appendingPathComponent("s.yaml")
        try (oneCountry(days: 40) + "\nevents:\n  - { id: resume, date: 2024-01-21, set: { countries.AAA.travel_documents.cooperation: 0.3 } }\n")
            .write(to: scenarioFile, atomically: true, encoding: .utf8)
        let spec = dir.appendingPathComponent("c.sweep.yaml")
        try "carry_into_events: \(carry)\nreplications: 2\nparameters:\n  countries.AAA.travel_documents.cooperation: [0.6]\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out").path
        let r = try runTool(["sweep", scenarioFile.path, spec.path, "--out", out, "-j", "1"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("warning: the scenario's event of 2024-01-21 sets countries.AAA.travel_documents.cooperation") == !carry, "\(r.err)")
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/sweep.json"))) as? [String: Any]
        #expect(meta?["carry_into_events"] as? Bool == carry)
    }

    // MARK: fitting an event's value

    /// Targets made by the model at a known cooperation after the event;
    /// `--fit` on the event's value finds it again.
    @Test func calibrationRecoversAnEventsValue() throws {
        let stock = 3000.0, meanDays = 30.0, before = 0.05, truth = 0.3
        let eventDay = 10, lastDay = 90   // 2024-01-11 and 2024-03-31
        let known = try baseScenario(days: lastDay + 1, setting: [
            "countries.AAA.encounters.per_day=0", "countries.AAA.initial.detained_awaiting=\(Int(stock))",
            "countries.AAA.travel_documents={mean_days: \(meanDays), cooperation: \(before)}",
            "events=[{id: resume, date: 2024-01-11, set: {countries.AAA.travel_documents.cooperation: \(truth)}}]",
        ])
        let probe = ["2024-01-11..2024-01-31", "2024-02", "2024-03"].map { p in
            Target(metrics: [.documentsIssued], country: "AAA", period: NamedPeriod(p)!, value: 1, source: "model", tolerance: 0.1,
                   weight: 1, location: SourceLocation(file: "x", line: 0, column: 0))
        }
        let generatedReplications = 400, fitReplications = 40
        let generated = Comparison.run(known.scenario, targets: probe,
                                       options: RunOptions(replications: generatedReplications, jobs: 2, seed: 5)).1
        let targets = zip(probe, generated).map { t, row in var t = t; t.value = row.mean; return t }
        // Fitting starts from another value of the event.
        let start = try Variants.fromSpec("start:\(Self.eventPath)=0.1", baseline: known).scenario
        let fit = try FitParameter.parse("events.resume.set.countries.AAA.travel_documents.cooperation=0.05..0.5", tree: start.tree)
        let result = try Calibration.fit([fit], start: [fit.start(from: 0.1).u], targets: targets,
                                         options: RunOptions(replications: fitReplications, jobs: 2, period: .month, seed: 99),
                                         sizeTolerance: 1e-3, maxIterations: 100) { values in
            try ScenarioLoader.build(tree: try Calibration.tree(start.tree, [fit], values), file: "x").scenario
        }
        // The documents issued after the event, D, are about binomial over the
        // stock S left at the event (each awaiting person documented within
        // the T days with probability q = 1 - (1 - c/m)^T), so
        // sd(D) = sqrt(S q (1 - q)) and dD/dc = S T/m (1 - c/m)^(T-1); the fit's
        // error is about sd(D) / (dD/dc) sqrt(1/40 + 1/400) = 0.0013 (fits with
        // seeds 94 to 99 landed within 0.0024 of the truth).
        let s = stock * pow(1 - before / meanDays, Double(eventDay))
        let days = Double(lastDay - eventDay + 1)
        let q = 1 - pow(1 - truth / meanDays, days)
        let slope = s * days / meanDays * pow(1 - truth / meanDays, days - 1)
        let sdFit = sqrt(s * q * (1 - q)) / slope * sqrt(1 / Double(fitReplications) + 1 / Double(generatedReplications))
        #expect(abs(result.values[0] - truth) < 4 * sdFit, "fitted \(result.values[0]), 4 sd = \(4 * sdFit)")
        #expect(result.converged)

        // The overlay calibrate writes changes the event, by its id.
        let fitted = try Calibration.tree(start.tree, [fit], result.values)
        let text = Calibration.overlay(fitted: fitted, paths: [fit.path], extends: ["base.yaml"], name: "fit", header: ["test"])
        let overlay = try TreeNode.parse(yaml: text, file: "o.yaml")
        #expect(overlay["events"]?.items?.count == 1)
        #expect(overlay["events"]?.items?.first?["id"]?.scalarText == "resume")
        #expect(overlay["countries"] == nil, "only the event's value")
        let merged = try ScenarioLoader.build(tree: ScenarioLoader.mergeScenario(base: start.tree, overlay: overlay), file: "o.yaml").scenario
        #expect(merged.changes.count == 1)
        #expect(Self.cooperation(merged, afterEvent: true) == Double(formatNumber(result.values[0])))
    }

    /// `calibrate` on the shipped China scenario fits the resumption's
    /// cooperation and writes an overlay that loads to the fitted value.
    @Test func calibrateFitsTheShippedResumptionEvent() throws {
        let out = temporaryFolder().appendingPathComponent("cal").path
        let china = packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path
        let fit = ["--fit", "events.resumption-2024.set.countries.CHN.travel_documents.cooperation=0.05..0.5"]
        // The scenario draws that value from its posterior: fitting it as it stands would change nothing.
        let refused = try runTool(["calibrate", china, "-r", "2", "--max-iterations", "2", "--out", out] + fit)
        #expect(refused.status == 2)
        #expect(refused.err.contains("uncertain: draws this value in every replication") && refused.err.contains("--set uncertain=null"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let r = try runTool(["calibrate", china, "--set", "uncertain=null", "-r", "2", "--max-iterations", "2", "--out", out] + fit)
        #expect(r.status == 0 || r.status == 1, "\(r.err)")
        #expect(!r.err.contains("holds only until"), "the event's own value is fitted, so no event overrides it: \(r.err)")
        let check = try runTool(["check", out + "/calibrated.yaml"])
        #expect(check.status == 0, "\(check.err)")
        let calibrated = try ScenarioLoader.load(file: out + "/calibrated.yaml")
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run.json"))) as? [String: Any]
        let value = (meta?["fitted"] as? [String: Any])?["events.resumption-2024.set.countries.CHN.travel_documents.cooperation"] as? Double
        #expect(value != nil)
        let chn = calibrated.scenario.changes[0].parameters.countries.first { $0.code == "CHN" }
        #expect(chn?.travelDocuments.cooperation == value.map { Double(formatNumber($0))! })
        #expect(calibrated.scenario.changes.count == (try ScenarioLoader.load(file: china).scenario.changes.count))
    }
}
