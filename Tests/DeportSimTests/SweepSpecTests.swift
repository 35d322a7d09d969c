import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

@Suite("Sweep specs")
struct SweepSpecTests {
    /// Loads a spec written to a temporary file and plans every point.
    func plan(_ text: String, overrides: SweepOverrides = SweepOverrides()) throws -> (SweepPlan, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).sweep.yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let loaded = try ScenarioLoader.load(file: SweepFixtures.scenario)
        let spec = try SweepSpecParser.load(file: file, overrides: overrides, scenario: loaded)
        return (try SweepFiles.plan(loaded: loaded, spec: spec, shard: .whole, root: "unused"), file)
    }

    /// The error a spec gives, as the command line prints it, with the
    /// temporary file's name replaced by SPEC.
    func error(_ text: String, overrides: SweepOverrides = SweepOverrides()) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).sweep.yaml").path
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            let loaded = try ScenarioLoader.load(file: SweepFixtures.scenario)
            let spec = try SweepSpecParser.load(file: file, overrides: overrides, scenario: loaded)
            _ = try SweepFiles.plan(loaded: loaded, spec: spec, shard: .whole, root: "unused")
            return "no error"
        } catch let e as DeportSimError {
            return e.description.replacingOccurrences(of: file, with: "SPEC")
        } catch {
            return "unexpected \(error)"
        }
    }

    static let head = "design: latin_hypercube\npoints: 4\nreplications: 2\nparameters:\n"

    @Test func readsTheExampleSpec() throws {
        let loaded = try ScenarioLoader.load(file: SweepFixtures.scenario)
        let spec = try SweepSpecParser.load(file: SweepFixtures.spec, overrides: SweepOverrides(), scenario: loaded)
        #expect(spec.design.kind == .latinHypercube && spec.points.count == 12 && spec.replications == 3 && spec.seed == 5)
        #expect(spec.parameters.map(\.path) == ["countries.VNM.deterrence.elasticity", "routes.vnm-charter.schedule.every_days",
                                                "countries.VNM.travel_documents.cooperation"])
        #expect(spec.parameters[1].domain == .range(low: 7, high: 42, wholeNumbers: true))
        #expect(spec.outcomes.map(\.name) == ["removals_may_jun", "encounters_apr", "peak_detained", "exits"])
        #expect(spec.outcomes[1].statistic == .total && spec.outcomes[2].statistic == .max)
        // --vary and flags change the spec, and so its hash.
        let varied = try SweepSpecParser.load(file: SweepFixtures.spec, overrides: SweepOverrides(
            vary: ["countries.VNM.court.mean_days=300..500", "countries.VNM.deterrence.elasticity=1,2"], points: 6, replications: 2), scenario: loaded)
        #expect(varied.points.count == 6 && varied.parameters.count == 4 && varied.replications == 2)
        #expect(varied.parameters[0] == SweepParameter(path: "countries.VNM.deterrence.elasticity", domain: .values([1, 2])))
        #expect(varied.parameters[3].domain == .range(low: 300, high: 500, wholeNumbers: false))
        #expect(varied.sha256 != spec.sha256)
    }

    @Test func pointScenariosCarryThePointsValues() throws {
        let (plan, _) = try plan("design: grid\nreplications: 1\nparameters:\n  countries.VNM.court.mean_days: [300, 500]\n  routes.vnm-charter.schedule.every_days: [14]\n")
        #expect(plan.tasks.map { $0.scenario.parameters.countries[0].court.meanDays } == [300, 500])
        #expect(plan.tasks.map(\.point) == [0, 1])
    }

    @Test func unknownPathNamesTheKeyAndItsLine() {
        let e = error(Self.head + "  countries.VNM.court.mean_dayz: 100..900\n")
        #expect(e.hasPrefix("SPEC:5:34: error: countries.VNM.court.mean_dayz:"), "\(e)")
        #expect(e.contains("did you mean 'mean_days'"), "\(e)")
        let country = error(Self.head + "  countries.CHN.court.mean_days: 100..900\n")
        #expect(country.hasPrefix("SPEC:5:34: error: countries.CHN:") && country.contains("no country 'CHN'"), "\(country)")
        let fixed = error(Self.head + "  start: [1, 2]\n")
        #expect(fixed.hasPrefix("SPEC:5:10: error: parameters.start:") && fixed.contains("cannot vary"), "\(fixed)")
    }

    @Test func emptyRangesAndListsAreRejected() {
        let same = error(Self.head + "  countries.VNM.court.mean_days: 5..5\n")
        #expect(same.hasPrefix("SPEC:5:34: error: parameters.countries.VNM.court.mean_days:") && same.contains("empty range"), "\(same)")
        let list = error("design: grid\nparameters:\n  countries.VNM.court.mean_days: []\n")
        #expect(list.hasPrefix("SPEC:3:34: error: parameters.countries.VNM.court.mean_days: expected at least one value"), "\(list)")
        let none = error("design: grid\nparameters: {}\n")
        #expect(none.hasPrefix("SPEC:2:13: error: parameters:"), "\(none)")
    }

    @Test func lowAboveHighIsRejected() {
        let e = error(Self.head + "  countries.VNM.deterrence.elasticity: 12..0\n")
        #expect(e == "SPEC:5:40: error: parameters.countries.VNM.deterrence.elasticity: expected LOW <= HIGH in LOW..HIGH, found '12..0' (LOW > HIGH)", "\(e)")
    }

    @Test func nonNumericValuesAreRejected() {
        let list = error("design: grid\nparameters:\n  countries.VNM.court.mean_days: [300, lots]\n")
        #expect(list == "SPEC:3:40: error: parameters.countries.VNM.court.mean_days: expected a number, found 'lots'", "\(list)")
        let range = error(Self.head + "  countries.VNM.court.mean_days: low..900\n")
        #expect(range.hasPrefix("SPEC:5:34: error: parameters.countries.VNM.court.mean_days: expected a range LOW..HIGH of two numbers"), "\(range)")
        let vary = error("design: grid\nparameters:\n  countries.VNM.court.mean_days: [300]\n",
                         overrides: SweepOverrides(vary: ["countries.VNM.court.order_rate=0.5,x"]))
        #expect(vary == "--vary countries.VNM.court.order_rate=0.5,x: error: parameters.countries.VNM.court.order_rate: expected a number, found 'x'", "\(vary)")
    }

    @Test func designRulesAreChecked() {
        let gridRange = error("design: grid\nparameters:\n  countries.VNM.court.mean_days: 300..900\n")
        #expect(gridRange.hasPrefix("SPEC:3:34: error: parameters.countries.VNM.court.mean_days: a grid design takes a list"), "\(gridRange)")
        let noPoints = error("design: sobol\nparameters:\n  countries.VNM.court.mean_days: 300..900\n")
        #expect(noPoints.hasPrefix("SPEC:1:1: error: points: required key missing"), "\(noPoints)")
        let typo = error("desing: sobol\n")
        #expect(typo.hasPrefix("SPEC:1:1: error: desing: unknown key 'desing'; did you mean 'design'?"), "\(typo)")
        let uneven = error("design: list\nparameters:\n  countries.VNM.court.mean_days: [300, 400]\n  countries.VNM.court.order_rate: [0.5]\n")
        #expect(uneven.hasPrefix("SPEC:4:35: error: parameters.countries.VNM.court.order_rate: a list design pairs"), "\(uneven)")
        let whole = error(Self.head + "  routes.vnm-charter.schedule.every_days: 7.5..30\n")
        #expect(whole.contains("takes whole numbers"), "\(whole)")
        let outcome = error("design: grid\nparameters:\n  countries.VNM.court.mean_days: [300]\noutcomes:\n  - { name: x, metric: removal }\n")
        #expect(outcome.hasPrefix("SPEC:5:24: error: outcomes.0.metric:") && outcome.contains("did you mean 'removals'"), "\(outcome)")
    }

    /// Issue 11: an outcome period reaching outside the run is an error, as a target's is (no silent cut).
    @Test func outcomePeriodsMustLieInsideTheRunLikeTargets() throws {
        // The run is 2024-03-01..2024-06-30.
        let (plan, _) = try plan("design: grid\nparameters:\n  countries.VNM.court.mean_days: [300]\noutcomes:\n  - { name: mj, metric: removals, period: 2024-03-01..2024-06-30 }\n  - { name: june, metric: pending, period: 2024-06 }\n")
        let specs = plan.spec.outcomeSpecs(in: plan.loaded.scenario)
        #expect(specs.map(\.firstDay) == [0, 92] && specs.map(\.lastDay) == [121, 121])
        #expect(specs.map(\.statistic) == [.total, .end])
        let fy = error("design: grid\nparameters:\n  countries.VNM.court.mean_days: [300]\noutcomes:\n  - { name: fy, metric: removals, period: FY2024 }\n")
        #expect(fy == "SPEC:5:43: error: outcomes.0.period: expected a period inside the run (2024-03-01 to 2024-06-30), found 2023-10-01 to 2024-09-30; for the days the run covers, give 2024-03-01..2024-06-30", "\(fy)")
        let e = error("design: grid\nparameters:\n  countries.VNM.court.mean_days: [300]\noutcomes:\n  - { name: x, metric: removals, period: 2023 }\n")
        #expect(e == "SPEC:5:42: error: outcomes.0.period: expected a period inside the run (2024-03-01 to 2024-06-30), found 2023-01-01 to 2023-12-31", "\(e)")
    }

    @Test func aBadValueAtAPointNamesThePointAndTheKey() {
        let e = error(Self.head + "  countries.VNM.court.order_rate: 0.5..1.5\n")
        #expect(e.hasPrefix("SPEC:5:35: error: countries.VNM.court.order_rate: at sweep point"), "\(e)")
        #expect(e.contains("expected a probability in [0, 1]"), "\(e)")
    }

    @Test func rowsMakeAListDesign() throws {
        let (plan, _) = try plan("replications: 1\nrows:\n  - { countries.VNM.court.mean_days: 300, countries.VNM.court.order_rate: 0.5 }\n  - { countries.VNM.court.mean_days: 600, countries.VNM.court.order_rate: 0.7 }\n")
        #expect(plan.spec.design.kind == .list && plan.spec.points == [[300, 0.5], [600, 0.7]])
        let e = error("rows:\n  - { countries.VNM.court.mean_days: 300 }\n  - { countries.VNM.court.order_rate: 0.7 }\n")
        #expect(e.hasPrefix("SPEC:3:5: error: rows.1: every row sets the same paths"), "\(e)")
    }
}
