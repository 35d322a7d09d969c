import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

@Suite("What-if differences")
struct DifferenceTests {
    static let conf = conformanceFolder.appendingPathComponent("conf-three.yaml").path

    @Test func anIdenticalVariantDiffersByExactlyZero() throws {
        let base = try ScenarioLoader.load(file: Self.conf)
        let same = try Variants.fromSpec("same:seed=202", baseline: base)
        let r = DifferenceResult.run(baseline: base.scenario, variants: [(same.name, same.scenario.scenario)],
                                     options: RunOptions(replications: 30, jobs: 2))
        let rows = r.periodRows
        #expect(rows.count > 500)
        #expect(rows.allSatisfy { $0.differenceMean == 0 && $0.differenceP05 == 0 && $0.differenceP95 == 0 })
        #expect(rows.contains { $0.baselineMean > 0 })
    }

    /// Without shared beds, routes or the border-wide rule, countries do not
    /// interact, so changing one leaves the others' draws and results untouched.
    @Test func changingOneCountryLeavesIndependentCountriesUnchanged() throws {
        let base = try ScenarioLoader.load(file: Self.conf, overrides: ["capacity.detention_beds=null", "border.restrictions=null",
                                                                        "routes=[]", "events=null"])
        let v = try Variants.fromSpec("hti:countries.HTI.travel_documents.cooperation=0.1,countries.HTI.encounters.per_day=150", baseline: base)
        let r = DifferenceResult.run(baseline: base.scenario, variants: [(v.name, v.scenario.scenario)],
                                     options: RunOptions(replications: 20, jobs: 2))
        let rows = r.periodRows
        #expect(rows.filter { $0.country == "CUB" || $0.country == "NIC" }.allSatisfy { $0.differenceMean == 0 && $0.differenceP05 == 0 && $0.differenceP95 == 0 })
        #expect(rows.contains { $0.country == "HTI" && $0.metric == .encounters && $0.differenceMean > 0 })
        #expect(rows.contains { $0.country == "HTI" && $0.metric == .documentsIssued && $0.differenceMean < 0 })
    }

    @Test func commonRandomNumbersNarrowTheInterval() throws {
        let base = try ScenarioLoader.load(file: Self.conf)
        let v = try Variants.fromSpec("more:routes.shuttle.seats=90", baseline: base)
        let options = RunOptions(replications: 60, jobs: 2, period: .total)
        func width(_ independent: Bool) -> Double {
            let row = DifferenceResult.run(baseline: base.scenario, variants: [(v.name, v.scenario.scenario)], options: options,
                                           metrics: [.removals], independent: independent).totalRows.first { $0.country == "ALL" }!
            return row.differenceP95 - row.differenceP05
        }
        #expect(width(false) * 2 < width(true))
    }

    @Test func alignmentSurvivesJobs() throws {
        let dir = temporaryFolder()
        let args = ["diff", Self.conf, "--variant", "cap:capacity.detention_beds=900", "-r", "16", "--period", "week"]
        #expect(try runTool(args + ["--jobs", "1", "--out", dir.appendingPathComponent("a").path]).status == 0)
        let r = try runTool(args + ["--jobs", "2", "--out", dir.appendingPathComponent("b").path])
        #expect(r.status == 0 && r.out.contains("90% interval"))
        let a = try Data(contentsOf: dir.appendingPathComponent("a/difference.csv"))
        #expect(a == (try Data(contentsOf: dir.appendingPathComponent("b/difference.csv"))))
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix("variant,period_start,period_end,country,metric,baseline_mean,variant_mean,difference_mean,difference_p05,difference_p95,relative_change\n"))
    }

    @Test(arguments: [
        ("nocolon", "expected NAME:PATH=VALUE"),
        ("v:", "at least one PATH=VALUE"),
        ("v:countries.XXX.court.mean_days=5", "no country 'XXX'"),
        ("v:routes.shuttle.seat=5", "did you mean 'seats'?"),
        ("v:countries.HTI.court.order_rate=3", "probability in [0, 1]"),
        ("v:start=2024-02-01", "must run over the baseline's days"),
    ])
    func badVariantSpecsGetLocatedErrors(spec: String, message: String) throws {
        let dir = temporaryFolder()
        let r = try runTool(["diff", Self.conf, "--variant", spec, "-r", "2", "--out", dir.appendingPathComponent("x").path])
        #expect(r.status == 2)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(r.err.contains("--variant") || r.err.contains("start"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }
}
