import Foundation
import GSLSupport
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

@Suite("Targets, comparison and calibration")
struct ComparisonTests {
    @Test(arguments: [
        ("2024-06", "2024-06-01", "2024-06-30"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2024", "2024-01-01", "2024-12-31"),
        ("FY2024", "2023-10-01", "2024-09-30"),
        ("FY2025", "2024-10-01", "2025-09-30"),
        ("2024-06-04..2024-11-30", "2024-06-04", "2024-11-30"),
        ("2024-11-24", "2024-11-24", "2024-11-24"),
    ])
    func periodsParse(text: String, first: String, last: String) {
        let p = NamedPeriod(text)
        #expect(p?.first.description == first && p?.last.description == last)
    }

    @Test(arguments: ["2024-13", "FY24", "2024-06-04..2024-06-01", "June", "2024-6"])
    func badPeriodsAreRejected(text: String) { #expect(NamedPeriod(text) == nil) }

    /// Target sums computed by the simulator equal sums of the daily log.
    @Test func targetsAggregateMetricListsCountriesAndRanges() throws {
        let loaded = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("conf-three.yaml").path)
        let s = loaded.scenario
        let targets = try TargetParser.targets(try TreeNode.parse(yaml: """
        - { metric: [removals, voluntary_return], country: ALL, period: 2024-02-15..2024-05-03, value: 1 }
        - { metric: flights, country: ALL, period: 2024-03, value: 1 }
        - { metric: encounters, country: CUB, period: 2024-01-01..2024-08-31, value: 1 }
        - { metric: at_large, country: NIC, period: 2024-04-30, value: 1 }
        - { metric: encounters_total, country: ALL, period: 2024-01, value: 1 }
        """, file: "t.yaml"), path: "targets", scenario: s)
        var log = PairObserver(DayLog(), OutcomeRecorder(outcomes: targets.map { $0.outcome(in: s) }))
        Simulator(scenario: s).run(replication: 3, observer: &log)
        let days = log.first.countries, border = log.first.border
        func day(_ iso: String) -> Int { s.dayIndex(of: CivilDate(iso: iso)!) }
        let r1 = (day("2024-02-15")...day("2024-05-03")).map { t in days[t].map { $0.removalsCharter + $0.removalsCommercial + $0.voluntaryReturn }.reduce(0, +) }.reduce(0, +)
        let r2 = (day("2024-03-01")...day("2024-03-31")).map { border[$0].flightsFlown }.reduce(0, +)
        let r3 = days.map { $0[1].encounters }.reduce(0, +)
        let r4 = days[day("2024-04-30")][2].atLarge
        let r5 = (0...day("2024-01-31")).map { border[$0].encountersTotal }.reduce(0, +)
        #expect(log.second.values == [Double(r1), Double(r2), Double(r3), Double(r4), Double(r5)])
        #expect(r2 < (day("2024-03-01")...day("2024-03-31")).map { t in days[t].map(\.flights).reduce(0, +) }.reduce(0, +) || r2 == 0,
                "a multi-country flight counts once for ALL")
    }

    /// RFC 4180: quoted only when needed, quotes doubled (source texts hold commas and quotes).
    @Test func csvFieldsAreQuotedOnlyWhenNeeded() {
        #expect(csvLine(["2024-06", "1.5", "plain text"]) == "2024-06,1.5,plain text\n")
        #expect(csvLine(["F001, OHSS", "say \"hi\"", "two\nlines", ""]) == "\"F001, OHSS\",\"say \"\"hi\"\"\",\"two\nlines\",\n")
    }

    @Test func passFailLogic() {
        let t = Target(metrics: [.removals], country: "ALL", period: NamedPeriod("2024")!, value: 100, source: "", tolerance: 0.1,
                       weight: 1, location: SourceLocation(file: "x", line: 1, column: 1))
        #expect(ComparisonRow(target: t, mean: 150, p05: 90, p95: 200).passes)             // inside the interval
        #expect(ComparisonRow(target: t, mean: 108, p05: 104, p95: 112).passes)            // outside, within tolerance
        #expect(!ComparisonRow(target: t, mean: 120, p05: 115, p95: 125).passes)           // outside and 20% off
        #expect(ComparisonRow(target: t, mean: 120, p05: 115, p95: 125).relativeError == 0.2)
        let rows = [ComparisonRow(target: t, mean: 150, p05: 90, p95: 200), ComparisonRow(target: t, mean: 120, p05: 115, p95: 125)]
        #expect(abs(Comparison.meanAbsolutePercentageError(rows) - 35) < 1e-9)
        #expect(Comparison.coverage(rows) == 50)
    }

    /// Targets made by the model itself with a known value; calibration finds it again.
    @Test func calibrationRecoversAKnownParameter() throws {
        let truth = 45.0
        let base = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("conf-one.yaml").path,
                                           overrides: ["countries.VNM.encounters.per_day=\(truth)"])
        let options = RunOptions(replications: 40, jobs: 2, period: .month, seed: 99)
        let periods = ["2024-02", "2024-03", "2024-04"]
        let probe = periods.map { p in
            Target(metrics: [.encounters], country: "VNM", period: NamedPeriod(p)!, value: 1, source: "model", tolerance: 0.1,
                   weight: 1, location: SourceLocation(file: "x", line: 0, column: 0))
        }
        let generated = Comparison.run(base.scenario, targets: probe, options: RunOptions(replications: 400, jobs: 2, seed: 5)).1
        let targets = zip(probe, generated).map { t, row in var t = t; t.value = row.mean; return t }
        let fit = try FitParameter.parse("countries.VNM.encounters.per_day=10..150", tree: base.tree)
        let result = try Calibration.fit([fit], start: [fit.unconstrained(20)], targets: targets, options: options,
                                         sizeTolerance: 1e-3, maxIterations: 100) { values in
            try ScenarioLoader.build(tree: try Calibration.tree(base.tree, [fit], values), file: "x").scenario
        }
        // Monthly encounters have sd ~ 90 (about 10%); the fit's error is about that over sqrt(3 x 40).
        #expect(abs(result.values[0] - truth) / truth < 0.05, "fitted \(result.values[0])")
        #expect(result.converged)
        #expect(result.evaluations > result.iterations)
    }

    @Test func calibrationOverlayHoldsOnlyTheFittedValues() throws {
        let base = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("conf-three.yaml").path)
        let tree = try Calibration.tree(base.tree, [try FitParameter.parse("routes.shuttle.seats=10..100", tree: base.tree),
                                                    try FitParameter.parse("countries.NIC.encounters.seasonality.3=0..2", tree: base.tree)],
                                        [77, 1.5])
        let text = Calibration.overlay(fitted: tree, paths: ["routes.shuttle.seats", "countries.NIC.encounters.seasonality.3"],
                                       extends: ["conf-three.yaml"], name: "fit", header: ["loss 0"])
        let overlay = try TreeNode.parse(yaml: text, file: "o.yaml")
        #expect(overlay["routes"]?.items?.count == 1)
        #expect(overlay["routes"]?.items?.first?["seats"]?.scalarText == "77")
        #expect(overlay["countries"]?["NIC"]?["encounters"]?["seasonality"]?.items?[3].scalarText == "1.5")
        #expect(overlay["capacity"] == nil)
        let merged = ScenarioLoader.mergeScenario(base: base.tree, overlay: overlay)
        let s = try ScenarioLoader.build(tree: merged, file: "o.yaml").scenario
        #expect(s.parameters.routes.first { $0.id == "shuttle" }?.seats == 77)
    }
}
