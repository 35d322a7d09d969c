import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// A one-country scenario with routes, beds and a rule, so that every kind
/// of uncertain key exists; `uncertain` is the mapping's body (indented).
private func uncertainScenario(_ uncertain: String, days: Int = 60, extra: String = "") -> String {
    oneCountry(days: days, extra: """
    capacity: { detention_beds: 500 }
    routes:
      - { id: r1, countries: [AAA], seats: 100, schedule: { every_days: 14, first: 2024-01-10 } }
    \(extra)
    uncertain:
    \(uncertain.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    """)
}

/// Sample mean, variance and fourth central moment.
private func moments(_ x: [Double]) -> (mean: Double, variance: Double, m4: Double) {
    let n = Double(x.count), m = x.reduce(0, +) / n
    let v = x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1)
    let m4 = x.map { pow($0 - m, 4) }.reduce(0, +) / n
    return (m, v, m4)
}

@Suite("Uncertain inputs (docs/model.md 8.7)")
struct UncertaintyTests {
    static let replications = 4000

    /// Each distribution's draws over many replications have the closed-form
    /// mean and variance within 4 standard errors (the variance's standard
    /// error from the sample's fourth moment, (m4 - s^4) / n).
    @Test(arguments: [
        ("countries.AAA.court.mean_days: { uniform: [50, 150] }", InputDistribution.uniform(low: 50, high: 150)),
        ("capacity.detention_beds: { uniform: [100, 109] }", .uniformWhole(low: 100, high: 109)),
        ("countries.AAA.encounters.trend_per_year: { normal: { mean: 0.1, sd: 0.2 } }", .normal(mean: 0.1, sd: 0.2)),
        ("countries.AAA.court.mean_days: { lognormal: { median: 100, sd_log: 0.3 } }", .lognormal(median: 100, sdLog: 0.3)),
        ("countries.AAA.travel_documents.cooperation: { beta: { mean: 0.3, sd: 0.1 } }", .beta(mean: 0.3, sd: 0.1)),
        ("countries.AAA.court.mean_days: { triangular: [50, 80, 150] }", .triangular(low: 50, mode: 80, high: 150)),
        ("routes.r1.seats: { choice: { values: [100, 150, 200], weights: [1, 2, 1] } }",
         .choice(values: [100, 150, 200], weights: [1, 2, 1])),
    ])
    func drawsHaveTheClosedFormMoments(_ entry: String, _ expected: InputDistribution) throws {
        let s = try scenario(uncertainScenario(entry)).scenario
        #expect(s.uncertainty.inputs.map(\.distribution) == [expected])
        let sim = Simulator(scenario: s)
        let x = (0..<Self.replications).map { sim.uncertainDraw(replication: $0).values[0] }
        let (mean, variance, m4) = moments(x)
        let n = Double(x.count)
        let (lo, hi) = expected.support
        #expect(x.allSatisfy { $0 >= lo && $0 <= hi })
        #expect(abs(mean - expected.mean) < 4 * (expected.variance / n).squareRoot(), "mean \(mean) vs \(expected.mean)")
        #expect(abs(variance - expected.variance) < 4 * ((m4 - variance * variance) / n).squareRoot(),
                "variance \(variance) vs \(expected.variance)")
    }

    /// The rule's `ramp_days` (how fast it takes hold; not its text) may be
    /// uncertain: whole draws, set in the parameters; its thresholds stay refused.
    @Test func rampDaysMayBeUncertainButNotTheThresholds() throws {
        let rule = """
        border:
          restrictions: { effective: 2024-01-05, activate_at: 10, deactivate_below: 5, deactivate_after_days: 3, ramp_days: 4 }
        """
        let s = try scenario(uncertainScenario("border.restrictions.ramp_days: { uniform: [3, 9] }", extra: rule)).scenario
        let sim = Simulator(scenario: s)
        let x = (0..<200).map { sim.uncertainDraw(replication: $0).values[0] }
        #expect(x.allSatisfy { $0 == $0.rounded() && (3...9).contains($0) })
        #expect(Set(x).count == 7, "every whole day from 3 to 9 drawn in 200 replications")
        var p = s.parameters, changes: [ModelParameters] = []
        s.uncertainty.apply([6], to: &p, changes: &changes, years: 1)
        #expect(p.border.restrictions?.rampDays == 6)
        #expect(throws: DeportSimError.self) {
            try scenario(uncertainScenario("border.restrictions.activate_at: { uniform: [5, 20] }", extra: rule))
        }
    }

    /// The paths a posterior of a two-stream scenario names (docs/model.md 8.7):
    /// a stream's level, a country's rule multiplier and initial docket, and
    /// an event's value by its id, which is set from the event's date only.
    @Test func streamsRuleMultipliersStocksAndEventValuesMayBeUncertain() throws {
        let text = """
        start: 2024-01-01
        end: 2024-03-31
        countries:
          AAA:
            encounters: { border_patrol: { per_day: 20 }, ports: { per_day: 5 } }
            restriction: { encounter_multiplier: 0.5 }
            pathways: { expedited_removal: 0.5, notice_to_appear: 0.4, voluntary_return: 0.1 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 10, cooperation: 0.2 }
            initial: { at_large: 100 }
        border:
          restrictions: { effective: 2024-01-05, activate_at: 10, deactivate_below: 5, deactivate_after_days: 3 }
        events:
          - { id: resumes, date: 2024-02-01, set: { countries.AAA.travel_documents.cooperation: 0.8 } }
          - { date: 2024-03-01, set: { countries.AAA.travel_documents.cooperation: 0.1 } }
        uncertain:
          countries.AAA.encounters.ports.per_day: { uniform: [6, 7] }
          countries.AAA.restriction.encounter_multiplier: { uniform: [0.6, 0.7] }
          countries.AAA.initial.at_large: { uniform: [200, 210] }
          events.resumes.set.countries.AAA.travel_documents.cooperation: { uniform: [0.9, 1] }
        """
        let s = try scenario(text).scenario
        var p = s.parameters, changes = s.changes.map(\.parameters)
        s.uncertainty.apply([6.5, 0.65, 205, 0.95], to: &p, changes: &changes, years: 0.25)
        #expect(p.countries[0].portEncounters?.perDay == 6.5 && p.countries[0].encounters.perDay == 20)
        #expect(p.countries[0].restriction.encounterMultiplier == 0.65)
        #expect(p.countries[0].initial.atLarge == 205)
        // The event's value: not before its date, from it, and not after the next event that sets it.
        #expect(p.countries[0].travelDocuments.cooperation == 0.2)
        #expect(changes.map { $0.countries[0].travelDocuments.cooperation } == [0.95, 0.1])
        for (entry, message) in [
            ("countries.AAA.encounters.per_day: { uniform: [1, 2] }", "gives its encounters as streams"),
            ("events.nosuch.set.countries.AAA.travel_documents.cooperation: { uniform: [0.1, 0.2] }", "no event has the id 'nosuch'"),
            ("events.resumes.set.countries.AAA.court.mean_days: { uniform: [90, 110] }", "does not set countries.AAA.court.mean_days"),
        ] {
            let bad = text.replacingOccurrences(of: "  countries.AAA.encounters.ports.per_day: { uniform: [6, 7] }", with: "  " + entry)
            #expect { try scenario(bad) } throws: { "\($0)".contains(message) }
        }
    }

    /// `lognormal: {p05, p95}` puts 5% of the draws below p05 and 5% above p95
    /// (within 4 binomial standard errors).
    @Test func lognormalByQuantilesHasThoseQuantiles() throws {
        let s = try scenario(uncertainScenario("countries.AAA.court.mean_days: { lognormal: { p05: 60, p95: 150 } }")).scenario
        let sim = Simulator(scenario: s)
        let x = (0..<Self.replications).map { sim.uncertainDraw(replication: $0).values[0] }
        let se = (0.05 * 0.95 / Double(x.count)).squareRoot()
        #expect(abs(Double(x.filter { $0 < 60 }.count) / Double(x.count) - 0.05) < 4 * se)
        #expect(abs(Double(x.filter { $0 > 150 }.count) / Double(x.count) - 0.05) < 4 * se)
    }

    /// A drawn value reaches the day step: with cooperation drawn in [0, 0.02]
    /// documents are rare, with [0.98, 1] common; and drawn pathway shares keep
    /// the other two in their ratio, summing to 1.
    @Test func drawnValuesReachTheModel() throws {
        let s = try scenario(uncertainScenario("countries.AAA.pathways.expedited_removal: { uniform: [0.1, 0.9] }")).scenario
        var p = s.parameters, changes: [ModelParameters] = []
        s.uncertainty.apply([0.8], to: &p, changes: &changes, years: 1)
        let shares = p.countries[0].pathways
        #expect(shares.expeditedRemoval == 0.8)
        #expect(abs(shares.noticeToAppear - 0.2 * 0.4 / 0.5) < 1e-12 && abs(shares.voluntaryReturn - 0.2 * 0.1 / 0.5) < 1e-12)
        func documents(_ range: String) throws -> Int {
            let s = try scenario(uncertainScenario("countries.AAA.travel_documents.cooperation: { uniform: \(range) }")).scenario
            return simulate(s).countries.map { $0[0].documentsIssued }.reduce(0, +)
        }
        #expect(try documents("[0, 0.02]") * 5 < (try documents("[0.98, 1]")))
    }

    /// A sample file without weights: replication r takes row r mod N; with
    /// weights, rows are drawn in proportion (4 binomial standard errors).
    @Test func sampleFileRows() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("s.yaml")
        try "draw,countries.AAA.court.mean_days,log_likelihood\n7,100,-1\n8,200,NA\n9,300,-3\n"
            .write(to: folder.appendingPathComponent("plain.csv"), atomically: true, encoding: .utf8)
        try "draw,countries.AAA.court.mean_days,weight,distance\n0,100,1,0.5\n1,200,3,0.25\n"
            .write(to: folder.appendingPathComponent("weighted.csv"), atomically: true, encoding: .utf8)
        try uncertainScenario("from: plain.csv").write(to: file, atomically: true, encoding: .utf8)
        let plain = try ScenarioLoader.load(file: file.path).scenario
        #expect(plain.uncertainty.sample?.draws == [7, 8, 9])
        let sim = Simulator(scenario: plain)
        #expect((0..<7).map { sim.uncertainDraw(replication: $0).values[0] } == [100, 200, 300, 100, 200, 300, 100])
        try uncertainScenario("from: weighted.csv").write(to: file, atomically: true, encoding: .utf8)
        let weighted = try ScenarioLoader.load(file: file.path).scenario
        let wsim = Simulator(scenario: weighted)
        let rows = (0..<Self.replications).map { wsim.uncertainDraw(replication: $0).sampleRow! }
        let share = Double(rows.filter { $0 == 1 }.count) / Double(rows.count)
        #expect(abs(share - 0.75) < 4 * (0.75 * 0.25 / Double(rows.count)).squareRoot())
        // A bad value in the file is located at its line and column.
        try "draw,countries.AAA.travel_documents.cooperation\n0,0.5\n1,1.5\n".write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        try uncertainScenario("from: bad.csv").write(to: file, atomically: true, encoding: .utf8)
        #expect { try ScenarioLoader.load(file: file.path) } throws: { e in
            let e = e as! DeportSimError
            return e.location?.line == 3 && e.location?.column == 3 && e.location?.file.hasSuffix("bad.csv") == true
        }
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        /// `at`: the text the error points at (nil: the entry's key).
        let entry: String, at: String?, message: String
        var testDescription: String { entry }
    }

    /// Each refused input is an error at the entry's line, naming the key.
    @Test(arguments: [
        BadCase(entry: "countries.AAA.travel_documents.cooperation: { normal: { mean: 0.5, sd: 0.1 } }", at: "{", message: "use beta"),
        BadCase(entry: "countries.AAA.court.mean_days: { normal: { mean: 100, sd: 10 } }", at: "{", message: "use lognormal"),
        BadCase(entry: "countries.AAA.court.order_rate: { uniform: [0.5, 1.5] }", at: "{", message: "up to 1, but the distribution reaches 1.5"),
        BadCase(entry: "routes.r1.seats: { uniform: [100.5, 200] }", at: "{", message: "whole"),
        BadCase(entry: "routes.r1.seats: { normal: { mean: 100, sd: 5 } }", at: "{", message: "whole"),
        BadCase(entry: "countries.AAA.initial.detained_awaiting: { uniform: [1, 5] }", at: nil, message: "initial stock"),
        BadCase(entry: "countries.AAA.encounters.volatility_persistence: { uniform: [0.1, 0.5] }", at: nil, message: "monthly shock"),
        BadCase(entry: "seed: { uniform: [1, 5] }", at: nil, message: "fixed for the whole run"),
        BadCase(entry: "countries.AAA.name: { uniform: [1, 5] }", at: nil, message: "not a number"),
        BadCase(entry: "countries.AAA.encounters.dispersion: { uniform: [1, 5] }", at: nil, message: "Poisson"),
        BadCase(entry: "countries.AAA.travel_documents.cooperation: { beta: { mean: 0.5, sd: 0.6 } }", at: "{ mean", message: "sd <"),
        BadCase(entry: "countries.AAA.court.mean_days: { gamma: [1, 2] }", at: "gamma", message: "unknown distribution"),
        BadCase(entry: "countries.AAA.pathways.expedited_removal: { uniform: [0.1, 0.2] }\ncountries.AAA.pathways.voluntary_return: { uniform: [0.1, 0.2] }", at: nil, message: "only one share"),
    ])
    func refusedInputsAreLocated(_ c: BadCase) throws {
        let text = uncertainScenario(c.entry)
        let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("uncertain:") }! + 2
        let line = firstLine + c.entry.split(separator: "\n").count - 1
        do {
            _ = try scenario(text, file: "bad.yaml")
            Issue.record("expected an error")
        } catch let e as DeportSimError {
            // Column: 1-based, after the mapping's two-space indent.
            let column = c.at.map { c.entry.distance(from: c.entry.startIndex, to: c.entry.range(of: $0)!.lowerBound) + 3 } ?? 3
            #expect(e.location?.file == "bad.yaml" && e.location?.line == line && e.location?.column == column, "\(e)")
            #expect(e.keyPath.hasPrefix("uncertain."), "\(e)")
            #expect(e.message.contains(c.message), "\(e)")
        }
    }

    /// An event that sets the path overrides the drawn value from its date
    /// (and loading warns); an event setting something else does not.
    @Test func eventsOverrideFromTheirDate() throws {
        let loaded = try scenario(uncertainScenario("countries.AAA.travel_documents.cooperation: { beta: { mean: 0.5, sd: 0.1 } }", extra: """
        events:
          - { date: 2024-01-20, set: { countries.AAA.court.mean_days: 50 } }
          - { date: 2024-02-10, set: { countries.AAA.travel_documents: { cooperation: 0.9 } } }
        """))
        #expect(loaded.scenario.uncertainty.appliesToChange == [[true, false]])
        #expect(loaded.warnings.count == 1 && loaded.warnings[0].contains("2024-02-10"))
        var p = loaded.scenario.parameters, changes = loaded.scenario.changes.map(\.parameters)
        loaded.scenario.uncertainty.apply([0.25], to: &p, changes: &changes, years: 1)
        #expect(p.countries[0].travelDocuments.cooperation == 0.25 && changes[0].countries[0].travelDocuments.cooperation == 0.25)
        #expect(changes[0].countries[0].court.meanDays == 50 && changes[1].countries[0].travelDocuments.cooperation == 0.9)
    }

    /// Drawn values beyond the bounds of 6.3 are clamped and the peak daily mean kept at 10^7.
    @Test func drawsKeepTheBounds() throws {
        let s = try scenario(uncertainScenario("countries.AAA.encounters.per_day: { lognormal: { median: 5000000, sd_log: 3 } }")).scenario
        let sim = Simulator(scenario: s)
        let x = (0..<400).map { sim.uncertainDraw(replication: $0).values[0] }
        #expect(x.max() == ModelBounds.maxMeanPerDay)
        var p = s.parameters, changes: [ModelParameters] = []
        p.countries[0].encounters.seasonality[0] = 4
        s.uncertainty.apply([ModelBounds.maxMeanPerDay], to: &p, changes: &changes, years: 1)
        #expect(p.countries[0].encounters.perDay == ModelBounds.maxMeanPerDay / 4)
    }
}

@Suite("Monthly encounter shocks (docs/model.md 5.3.1)")
struct EncounterShockTests {
    /// Monthly log-means over replications: the stationary sd is sigma, the
    /// lag-1 autocorrelation s phi_b + (1 - s) phi, the multiplier has mean 1,
    /// and two countries' shocks correlate by s. Per_day is large so Poisson
    /// noise (relative variance 1 / (30 per_day)) is negligible. Tolerances: 4
    /// standard errors, sigma / sqrt(2n) for the sd, (1 - rho^2) / sqrt(n) for
    /// a correlation, sd / sqrt(n) for the mean.
    @Test(arguments: [(0.3, 0.5, 0.0, 0.5), (0.2, 0.8, 0.6, 0.2)])
    func monthlyLogMeansFollowTheAR1(sigma: Double, phi: Double, share: Double, phiB: Double) throws {
        let yaml = """
        start: 2024-01-01
        end: 2024-06-30
        countries:
          AAA:
            encounters: { per_day: 100000, volatility: \(sigma), volatility_persistence: \(phi) }
            pathways: { expedited_removal: 0, notice_to_appear: 0, voluntary_return: 1 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 10 }
          BBB:
            encounters: { per_day: 100000, volatility: \(sigma), volatility_persistence: \(phi) }
            pathways: { expedited_removal: 0, notice_to_appear: 0, voluntary_return: 1 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 10 }
        border: { common_shock_share: \(share), common_shock_persistence: \(phiB) }
        """
        let s = try scenario(yaml).scenario
        let n = 1500
        var march: [Double] = [], april: [Double] = [], other: [Double] = [], ratio: [Double] = []
        let sim = Simulator(scenario: s)
        for r in 0..<n {
            var log = DayLog()
            sim.run(replication: r, observer: &log)
            func total(_ c: Int, _ days: Range<Int>) -> Double { Double(days.map { log.countries[$0][c].encounters }.reduce(0, +)) }
            // March is days 60..<91 (2024 is a leap year), April 91..<121.
            let m3 = total(0, 60..<91) / (31 * 100000), m4 = total(0, 91..<121) / (30 * 100000)
            march.append(Foundation.log(m3)); april.append(Foundation.log(m4)); ratio.append(m3)
            other.append(Foundation.log(total(1, 60..<91) / (31 * 100000)))
        }
        func correlation(_ a: [Double], _ b: [Double]) -> Double {
            let ma = moments(a), mb = moments(b)
            let cov = zip(a, b).map { ($0 - ma.mean) * ($1 - mb.mean) }.reduce(0, +) / Double(a.count - 1)
            return cov / (ma.variance * mb.variance).squareRoot()
        }
        let sd = moments(march).variance.squareRoot()
        #expect(abs(sd - sigma) < 4 * sigma / (2 * Double(n)).squareRoot(), "sd \(sd)")
        let rho = share * phiB + (1 - share) * phi
        #expect(abs(correlation(march, april) - rho) < 4 * (1 - rho * rho) / Double(n).squareRoot())
        #expect(abs(correlation(march, other) - share) < 4 * (1 - share * share) / Double(n).squareRoot())
        // Mean one: the -sigma^2/2 correction.
        let mean = moments(ratio)
        #expect(abs(mean.mean - 1) < 4 * (mean.variance / Double(n)).squareRoot(), "mean \(mean.mean)")
        #expect(abs(moments(march).mean + sigma * sigma / 2) < 4 * sigma / Double(n).squareRoot())
    }

    /// Other encounters get their own shocks too.
    @Test func otherEncountersAreShocked() throws {
        let s = try scenario(oneCountry(days: 90, extra: "border: { other_encounters: { per_day: 100000, volatility: 0.4 } }")).scenario
        let sim = Simulator(scenario: s)
        let january = (0..<400).map { r -> Double in
            var log = DayLog()
            sim.run(replication: r, observer: &log)
            return Foundation.log(Double(log.border.prefix(31).map(\.otherEncounters).reduce(0, +)) / (31 * 100000))
        }
        let sd = moments(january).variance.squareRoot()
        #expect(abs(sd - 0.4) < 4 * 0.4 / 800.0.squareRoot(), "sd \(sd)")
    }

    /// Shocks and uncertain inputs keep the conservation identity.
    @Test func conservationWithShocksAndUncertainInputs() throws {
        let s = try scenario(uncertainScenario("""
        countries.AAA.court.mean_days: { lognormal: { median: 100, sd_log: 0.5 } }
        countries.AAA.pathways.notice_to_appear: { beta: { mean: 0.4, sd: 0.1 } }
        capacity.detention_beds: { uniform: [50, 500] }
        """, days: 200, extra: "border: { common_shock_share: 0.5, other_encounters: { per_day: 30, volatility: 0.3 } }")
            .replacingOccurrences(of: "per_day: 20 }", with: "per_day: 20, volatility: 0.5 }")).scenario
        #expect(s.parameters.countries[0].encounters.volatility == 0.5)
        for r in 0..<20 {
            var check = ConservationCheck(s)
            Simulator(scenario: s).run(replication: r, observer: &check)
            #expect(check.violations.isEmpty, "\(check.violations.prefix(3))")
        }
    }
}

@Suite("Common random numbers with uncertainty and shocks")
struct UncertaintyAlignmentTests {
    static let yaml = uncertainScenario("""
    countries.AAA.court.mean_days: { lognormal: { median: 100, sd_log: 0.5 } }
    countries.AAA.travel_documents.cooperation: { beta: { mean: 0.5, sd: 0.2 } }
    routes.r1.seats: { choice: { values: [50, 100] } }
    """, days: 120, extra: "border: { common_shock_share: 0.3 }").replacingOccurrences(of: "per_day: 20 }", with: "per_day: 20, volatility: 0.4 }")

    /// An identical variant differs by exactly 0 in every cell.
    @Test func identicalVariantDiffersByZero() throws {
        let base = try scenario(Self.yaml).scenario
        let variant = try scenario(Self.yaml, file: "variant.yaml").scenario
        let result = DifferenceResult.run(baseline: base, variants: [("same", variant)], options: RunOptions(replications: 30, jobs: 2))
        let rows = result.periodRows + result.totalRows
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.differenceMean == 0 && $0.differenceP05 == 0 && $0.differenceP95 == 0 })
        #expect(rows.contains { $0.metric == .removals && $0.baselineMean > 0 })
    }

    /// A variant that changes another value keeps the parameter draws and the
    /// shocks: the same replication draws the same uncertain values.
    @Test func otherChangesKeepTheDraws() throws {
        let base = try scenario(Self.yaml).scenario
        let variant = try scenario(Self.yaml.replacingOccurrences(of: "detention_beds: 500", with: "detention_beds: 50")).scenario
        for r in 0..<10 {
            #expect(Simulator(scenario: base).uncertainDraw(replication: r) == Simulator(scenario: variant).uncertainDraw(replication: r))
        }
        let january = { (s: Scenario) in simulate(s, replication: 3).countries.prefix(31).map { $0[0].encounters } }
        #expect(january(base) == january(variant))
    }

    /// `run --write-parameters` writes the same bytes with 1 and 2 jobs, and
    /// parameters.csv has one row per replication and a column per path.
    @Test func runIsByteIdenticalAcrossJobs() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("u.yaml")
        try Self.yaml.write(to: file, atomically: true, encoding: .utf8)
        var outputs: [[Data]] = []
        for jobs in [1, 2] {
            let out = folder.appendingPathComponent("out\(jobs)").path
            let r = try runTool(["run", file.path, "-r", "12", "-j", "\(jobs)", "--out", out, "--write-parameters", "--write-replications"])
            #expect(r.status == 0, "\(r.err)")
            outputs.append(try ["summary.csv", "parameters.csv", "replications.csv"].map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) })
        }
        #expect(outputs[0] == outputs[1])
        let lines = String(decoding: outputs[0][1], as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "replication,countries.AAA.court.mean_days,countries.AAA.travel_documents.cooperation,routes.r1.seats")
        #expect(lines.count == 13)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out1/run.json"))) as! [String: Any]
        let inputs = (json["uncertain"] as! [String: Any])["inputs"] as! [[String: Any]]
        #expect(inputs.map { $0["path"] as! String } == ["countries.AAA.court.mean_days", "countries.AAA.travel_documents.cooperation", "routes.r1.seats"])
    }
}
