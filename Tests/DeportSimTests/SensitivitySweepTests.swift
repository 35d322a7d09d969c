import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// The saltelli and morris designs in sweep specs (the estimators
/// themselves are checked against SALib in SensitivityTests).
extension SweepSpecTests {
    static let saltelliHead = "design: saltelli\npoints: 4\nreplications: 2\nparameters:\n"
        + "  countries.VNM.deterrence.elasticity: 0..10\n  routes.vnm-charter.seats: 50..150\n"

    @Test func saltelliPointsAreSALibsLayoutOfGSLsSobolPoints() throws {
        let (base, _) = try plan(Self.saltelliHead)
        let spec = base.spec
        let saltelli = try SaltelliDesign(parameterCount: 2, baseSamples: 4)
        #expect(spec.points.count == 4 * (2 + 2) && spec.design.count == saltelli.count)
        let unit = saltelli.unitPoints()
        let (a, b) = saltelli.baseMatrices()
        for (p, point) in spec.points.enumerated() {
            // Point p is parameter j's domain at the unit coordinate, in SALib's order:
            // A_j, AB_j^1, AB_j^2, B_j.
            #expect(point == zip(spec.parameters, unit[p]).map { $0.domain.value(at: $1) })
            let row = p / 4, role = p % 4
            let expected = role == 0 ? a[row] : role == 3 ? b[row] : (0..<2).map { $0 == role - 1 ? b[row][$0] : a[row][$0] }
            #expect(unit[p] == expected, "point \(p)")
        }
        // seats takes whole numbers: the design's values are whole.
        #expect(spec.points.allSatisfy { $0[1] == $0[1].rounded() })
        let (second, _) = try plan(Self.saltelliHead + "second_order: true\n")
        #expect(second.spec.points.count == 4 * (2 * 2 + 2))
        #expect(second.spec.sha256 != spec.sha256)
    }

    @Test func morrisPointsAreTheTrajectoriesOfMorrisDesign() throws {
        let (trajectoryPlan, _) = try plan("design: morris\ntrajectories: 3\nlevels: 4\nseed: 9\nparameters:\n  countries.VNM.deterrence.elasticity: 0..9\n  routes.vnm-charter.seats: 40..100\n")
        let morris = try MorrisDesign(parameterCount: 2, trajectories: 3, levels: 4, seed: 9)
        #expect(trajectoryPlan.spec.points == morris.unitPoints().map { u in zip(trajectoryPlan.spec.parameters, u).map { $0.domain.value(at: $1) } })
        #expect(trajectoryPlan.spec.points.count == 9)
        let (chosen, _) = try plan("design: morris\ntrajectories: 3\ncandidates: 6\nseed: 9\nparameters:\n  countries.VNM.deterrence.elasticity: 0..9\n")
        let optimised = try MorrisDesign(parameterCount: 1, trajectories: 3, levels: 4, candidateTrajectories: 6, seed: 9)
        #expect(chosen.spec.points.map { $0[0] } == optimised.unitPoints().map { roundedToSignificantDigits($0[0] * 9) })
    }

    @Test func sensitivityKeysAreCheckedWhereTheyAreGiven() {
        let params = "parameters:\n  countries.VNM.deterrence.elasticity: 0..10\n"
        let small = error("design: saltelli\npoints: 1\n" + params)
        #expect(small == "SPEC:2:9: error: points: saltelli design: points must be at least 2 base samples (got 1)", "\(small)")
        let few = error("design: morris\ntrajectories: 1\n" + params)
        #expect(few == "SPEC:2:15: error: trajectories: morris design: trajectories must be at least 2 (got 1)", "\(few)")
        let odd = error("design: morris\ntrajectories: 4\nlevels: 3\n" + params)
        #expect(odd.hasPrefix("SPEC:3:9: error: levels: morris design: levels must be an even number"), "\(odd)")
        let candidates = error("design: morris\ntrajectories: 4\ncandidates: 4\n" + params)
        #expect(candidates.hasPrefix("SPEC:3:13: error: candidates: morris design: candidate trajectories (4) must exceed"), "\(candidates)")
        let noTrajectories = error("design: morris\n" + params)
        #expect(noTrajectories.hasPrefix("SPEC:1:1: error: trajectories: required key missing"), "\(noTrajectories)")
        let points = error("design: morris\ntrajectories: 4\npoints: 10\n" + params)
        #expect(points.hasPrefix("SPEC:3:9: error: points: a morris design takes no point count (it runs trajectories x (parameters + 1) points)"), "\(points)")
        let wrongDesign = error("design: latin_hypercube\npoints: 4\nsecond_order: true\n" + params)
        #expect(wrongDesign == "SPEC:3:15: error: second_order: only a saltelli design takes second_order; this is a latin_hypercube design; remove it", "\(wrongDesign)")
        let notBool = error("design: saltelli\npoints: 4\nsecond_order: yes please\n" + params)
        #expect(notBool.hasPrefix("SPEC:3:15: error: second_order: expected true or false"), "\(notBool)")
        let twenty = ["initial.pending=1000..2000", "initial.at_large=1..9", "initial.detained_awaiting=1..9", "initial.detained_ready=1..9",
                      "court.mean_days=100..900", "credible_fear.claim_rate=0..1", "credible_fear.pass_rate=0..1",
                      "at_large.arrest_rate_per_year=0..1", "at_large.departure_rate_per_year=0..1", "travel_documents.mean_days=5..30",
                      "travel_documents.cooperation=0..1", "commercial_removals_per_day=0..4", "deterrence.elasticity=0..9",
                      "deterrence.half_life_days=5..40", "encounters.per_day=10..50", "encounters.dispersion=2..20"].map { "countries.VNM." + $0 }
            + ["seats=50..150", "block_hours=20..40", "min_load=0..1", "cancel_probability=0..0.5"].map { "routes.vnm-charter." + $0 }
        let tooMany = error("design: saltelli\npoints: 4\nparameters:\n  countries.VNM.court.order_rate: 0.1..0.9\n",
                            overrides: SweepOverrides(vary: twenty))
        #expect(tooMany.contains("error: parameters: saltelli design: 21 parameters; GSL's Sobol sequence has 40 dimensions, so 1...20 parameters"), "\(tooMany)")
    }

    @Test func morrisWarnsWhenWholeNumbersCannotResolveItsLevels() throws {
        func warnings(_ low: Double, _ high: Double) -> [String] {
            SweepDesign(kind: .morris, parameters: [SweepParameter(path: "routes.r.seats", domain: .range(low: low, high: high, wholeNumbers: true))],
                        trajectories: 2, levels: 4).morrisLevelWarnings()
        }
        // 1..3 has three whole numbers for four levels: two levels give 3.
        #expect(warnings(1, 3).count == 1 && warnings(1, 3)[0].contains("map to 1, 2, 3, 3 (1 repeated"), "\(warnings(1, 3))")
        // HIGH - LOW a multiple of levels - 1 maps the levels evenly.
        #expect(warnings(0, 3).isEmpty && warnings(10, 70).isEmpty)
        #expect(!warnings(0, 4).isEmpty)
    }
}

@Suite("Replication noise in sweep means")
struct ReplicationNoiseTests {
    @Test func theNoiseShareIsTheMeansNoiseVarianceOverTheirVariance() throws {
        // Means 2 and 6 (variance 8); each point's replications have variance 2,
        // so the means carry noise 2 / 2 = 1: a share of 1/8.
        let noise = SweepSensitivity.NoiseShare(replications: 2, pointValues: [[1, 3], [5, 7]])
        #expect(abs(noise.meanWithinPointVariance! - 2) < 1e-12 && abs(noise.betweenPointVariance - 8) < 1e-12)
        #expect(abs(noise.share! - 0.125) < 1e-12)
        // R' = w (1 - t) / (t (B - w / R)) = 2 * 0.95 / (0.05 * 7) = 5.43, so 6.
        #expect(noise.replicationsForLimit == 6)
        #expect(noise.warning?.contains("about 6 replications per point") == true, "\(noise.warning ?? "")")
        let quiet = SweepSensitivity.NoiseShare(replications: 2, pointValues: [[1, 1.2], [5, 5.2]])
        #expect(quiet.warning == nil)
        let one = SweepSensitivity.NoiseShare(replications: 1, pointValues: [[1], [5]])
        #expect(one.share == nil && one.warning?.contains("cannot be measured") == true)
        let noiseOnly = SweepSensitivity.NoiseShare(replications: 2, pointValues: [[0, 10], [10, 0]])
        #expect(noiseOnly.share == .infinity && noiseOnly.replicationsForLimit == nil)
        #expect(noiseOnly.warning?.contains("vary no more than replication noise") == true, "\(noiseOnly.warning ?? "")")
    }
}

@Suite("Sensitivity sweeps end to end", .serialized)
final class SensitivitySweepEndToEndTests {
    let scratch: String
    static let spec = """
        design: saltelli
        points: 8
        replications: 2
        seed: 3
        parameters:
          countries.VNM.deterrence.elasticity: 0..10
          routes.vnm-charter.seats: 50..150
          countries.VNM.travel_documents.mean_days: 7..28
        outcomes:
          - { name: removals, metric: removals, country: VNM }
          - { name: peak_detained, metric: detained, country: ALL, statistic: max }

        """

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("deportsim-sensitivity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try Self.spec.write(toFile: scratch + "/s.sweep.yaml", atomically: true, encoding: .utf8)
        try Self.spec.replacingOccurrences(of: "design: saltelli\npoints: 8", with: "design: morris\ntrajectories: 4")
            .write(toFile: scratch + "/m.sweep.yaml", atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    func sweep(_ spec: String, _ out: String, _ extra: [String] = []) throws -> DeportSimBinary.Result {
        try DeportSimBinary.run(["sweep", SweepFixtures.scenario, scratch + "/" + spec, "--out", out] + extra)
    }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func indicesDoNotDependOnShardingAndTheCommandRecomputesThem() throws {
        let single = scratch + "/single", sharded = scratch + "/sharded"
        let r = try sweep("s.sweep.yaml", single, ["--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("removals: Sobol indices of the point means, ranked by ST (95% bootstrap intervals, 100 resamples)"), "\(r.stdout)")
        #expect(r.stdout.contains("replication noise:"), "\(r.stdout)")
        let csv = try String(contentsOfFile: single + "/sensitivity.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "outcome,parameter,S1,S1_conf,ST,ST_conf" && csv.count == 1 + 2 * 3)

        for k in 0..<2 {
            let s = try sweep("s.sweep.yaml", sharded, ["--shard", "\(k)/2", "--jobs", "1"])
            #expect(s.status == 0, "\(s.stderr)")
            #expect(!FileManager.default.fileExists(atPath: sharded + "/shard-\(k)-of-2/sensitivity.csv"))
        }
        let onShard = try DeportSimBinary.run(["sensitivity", sharded + "/shard-0-of-2"])
        #expect(onShard.status == 2 && onShard.stderr.contains("merge the shards first"), "\(onShard.stderr)")
        let m = try DeportSimBinary.run(["merge", sharded])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stdout.contains("ranked by ST"))
        for file in SweepFiles.sensitivityFiles + SweepFiles.csvFiles {
            #expect(contents(sharded + "/" + file) == contents(single + "/" + file) && contents(single + "/" + file) != nil, "\(file)")
        }

        // The command rewrites the same bytes from the folder alone.
        let reference = contents(single + "/sensitivity.csv")
        try FileManager.default.removeItem(atPath: single + "/sensitivity.csv")
        let again = try DeportSimBinary.run(["sensitivity", single])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("ranked by ST") && contents(single + "/sensitivity.csv") == reference)

        // The report charts them.
        let report = try DeportSimBinary.run(["report", single])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: single + "/report.html", encoding: .utf8)
        #expect(html.contains("Sensitivity: Sobol indices") && html.contains("removals: S1 and ST") && html.contains("Replication noise:"))

        // And they are SobolIndices of each point's mean, in design order, bootstrapped with the sweep seed.
        let outcomes = try String(contentsOfFile: single + "/outcomes.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let removals = outcomes.map { Double($0.split(separator: ",")[2])! }
        let means = stride(from: 0, to: removals.count, by: 2).map { (removals[$0] + removals[$0 + 1]) / 2 }
        let s = try SobolIndices.compute(outputs: means, design: SaltelliDesign(parameterCount: 3, baseSamples: 8), seed: 3)
        let paths = ["countries.VNM.deterrence.elasticity", "routes.vnm-charter.seats", "countries.VNM.travel_documents.mean_days"]
        for i in 0..<3 {
            let row = "removals,\(paths[i])," + [s.firstOrder[i], s.firstOrderConfidence[i], s.totalOrder[i], s.totalOrderConfidence[i]].map(formatNumber).joined(separator: ",")
            #expect(csv[1 + i] == Substring(row), "\(csv[1 + i]) vs \(row)")
        }
    }

    @Test func aMorrisSweepWritesEffectsAndOtherSweepsHaveNone() throws {
        let out = scratch + "/morris"
        let r = try sweep("m.sweep.yaml", out)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ranked by mu*"), "\(r.stdout)")
        let csv = try String(contentsOfFile: out + "/sensitivity.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "outcome,parameter,mu,mu_star,sigma,mu_star_conf" && csv.count == 1 + 2 * 3)
        let noise = try String(contentsOfFile: out + "/replication_noise.csv", encoding: .utf8).split(separator: "\n")
        #expect(noise.first == "outcome,replications,mean_within_point_variance,noise_variance_of_means,between_point_variance,noise_share,replications_for_5_percent")
        #expect(noise.count == 3)
        let points = try String(contentsOfFile: out + "/points.csv", encoding: .utf8).split(separator: "\n")
        #expect(points.count == 1 + 4 * 4)

        #expect(try DeportSimBinary.run(["report", out]).status == 0)
        #expect(try String(contentsOfFile: out + "/report.html", encoding: .utf8).contains("removals: mu* against sigma"))

        let lhs = scratch + "/lhs"
        #expect(try DeportSimBinary.run(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--out", lhs, "--replications", "1"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: lhs + "/sensitivity.csv"))
        let none = try DeportSimBinary.run(["sensitivity", lhs])
        #expect(none.status == 2 && none.stderr.contains("a latin_hypercube sweep has no sensitivity analysis"), "\(none.stderr)")
        let missing = try DeportSimBinary.run(["sensitivity", scratch + "/nothing"])
        #expect(missing.status == 2 && missing.stderr.contains("no sweep.json"), "\(missing.stderr)")
    }
}
