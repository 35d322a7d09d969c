import Foundation
import Testing
@testable import DeportSimAnalysis
import GSLSupport

/// A fixture of Tests/Fixtures/sensitivity (written by make_fixtures.py
/// there from SALib 1.6.0): its header and its rows of numbers.
private func sensitivityFixture(_ name: String) throws -> (header: [String], rows: [[Double]]) {
    let url = packageRoot.appendingPathComponent("Tests/Fixtures/sensitivity/\(name)")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    let header = lines.first.map { $0.split(separator: ",").map(String.init) } ?? []
    let rows = try lines.dropFirst().map { line in
        try line.split(separator: ",").map { field in
            try #require(Double(field), "\(name): \(field) is not a number")
        }
    }
    return (header, rows)
}

/// The resamples of a fixture: one row of base-row indices per resample.
private func resampleFixture(_ name: String) throws -> BootstrapResamples {
    BootstrapResamples(rows: try sensitivityFixture(name).rows.map { $0.map { Int($0) } })
}

private func maxAbsDifference(_ x: [Double], _ y: [Double]) -> Double {
    zip(x, y).map { abs($0 - $1) }.max() ?? 0
}

/// Ishigami & Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3.
private func ishigami(_ x: [Double], a: Double = 7, b: Double = 0.1) -> Double {
    sin(x[0]) + a * pow(sin(x[1]), 2) + b * pow(x[2], 4) * sin(x[0])
}

/// The Ishigami function's indices in closed form (Sobol & Levitan 1999;
/// Saltelli et al. 2008, "Global Sensitivity Analysis: The Primer", 4.5):
/// V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50),
/// V = V1 + V2 + V13 + ... = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2.
private func ishigamiIndices(a: Double = 7, b: Double = 0.1) -> (s1: [Double], st: [Double]) {
    let pi4 = pow(Double.pi, 4), pi8 = pow(Double.pi, 8)
    let v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50)
    let v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5
    return ([v1 / v, v2 / v, 0], [(v1 + v13) / v, v2 / v, v13 / v])
}

/// Bootstrap tolerance: the half-width at 95% is 1.96 bootstrap standard
/// deviations; 3 of them bound one estimate's error with probability
/// 99.7% under the bootstrap's normal approximation, so a test of six
/// indices fails by chance with probability below 2% for independent
/// points, less for Sobol points (their error is smaller than the
/// bootstrap, which treats rows as independent, suggests). Fixed seeds make
/// that one draw, repeated identically.
private func threeSD(_ halfWidth95: Double) -> Double { halfWidth95 * 3 / 1.959963984540054 }

@Suite("Sobol sensitivity (Saltelli design)")
struct SobolSensitivityTests {
    @Test(arguments: [("sobol_first_order", 4, false), ("sobol_second_order", 3, true)])
    func layoutIsSALibs(tag: String, d: Int, secondOrder: Bool) throws {
        let base = try sensitivityFixture("\(tag)_base.csv").rows
        let salib = try sensitivityFixture("\(tag)_points.csv").rows.map { Array($0.prefix(d)) }
        let ranges: [ClosedRange<Double>] = Array(repeating: -Double.pi...Double.pi, count: 3) + (d == 4 ? [0...1] : [])
        let unit = SaltelliDesign.layout(a: base.map { Array($0.prefix(d)) }, b: base.map { Array($0.suffix(d)) }, secondOrder: secondOrder)
        let scaled = try Sensitivity.scaled(unit, to: ranges, parameterCount: d, design: "test")
        #expect(scaled.count == base.count * (secondOrder ? 2 * d + 2 : d + 2))
        #expect(scaled == salib, "SALib's sample, point for point and bit for bit")
    }

    @Test func designTakesItsBaseFromGSLSobolInTwiceTheDimensions() throws {
        let design = try SaltelliDesign(parameterCount: 3, baseSamples: 8)
        let sequence = try #require(SobolSequence(dimension: 6))
        let expected = (0..<8).map { _ in sequence.next() }
        let points = design.unitPoints()
        #expect(points.count == 8 * 5)
        for j in 0..<8 {
            #expect(points[j * 5] == Array(expected[j][0..<3]), "A_\(j)")
            #expect(points[j * 5 + 4] == Array(expected[j][3...]), "B_\(j)")
            #expect(points[j * 5 + 2] == [expected[j][0], expected[j][4], expected[j][2]], "AB_\(j)^2")
        }
        let second = try SaltelliDesign(parameterCount: 3, baseSamples: 8, secondOrder: true)
        #expect(second.count == 8 * 8)
        #expect(second.unitPoints()[8 + 5] == [expected[1][3], expected[1][1], expected[1][5]], "BA_1^2")
        #expect(try design.points(in: [0...10, -1...1, 5...6])[0] == [5, 0, 5.5], "GSL's first point (0.5, ...) scaled")
    }

    @Test(arguments: [("sobol_first_order", 4, false), ("sobol_second_order", 3, true)])
    func indicesAgreeWithSALib(tag: String, d: Int, secondOrder: Bool) throws {
        let points = try sensitivityFixture("\(tag)_points.csv").rows
        let salib = try sensitivityFixture("\(tag)_indices.csv").rows
        let resamples = try resampleFixture("\(tag)_resamples.csv")
        let design = try SaltelliDesign(parameterCount: d, baseSamples: points.count / (secondOrder ? 2 * d + 2 : d + 2), secondOrder: secondOrder)
        let ours = try SobolIndices.compute(outputs: points.map { $0[d] }, design: design, resamples: resamples)
        let differences = [
            maxAbsDifference(ours.firstOrder, salib.map { $0[1] }),
            maxAbsDifference(ours.firstOrderConfidence, salib.map { $0[2] }),
            maxAbsDifference(ours.totalOrder, salib.map { $0[3] }),
            maxAbsDifference(ours.totalOrderConfidence, salib.map { $0[4] }),
        ]
        print("SALib agreement \(tag): max |diff| S1 \(differences[0]), S1_conf \(differences[1]), ST \(differences[2]), ST_conf \(differences[3])")
        #expect(differences.allSatisfy { $0 < 1e-9 }, "\(differences)")
        if secondOrder {
            let s2 = try sensitivityFixture("\(tag)_second_order.csv").rows
            #expect(ours.secondOrder.map { [Double($0.first), Double($0.second)] } == s2.map { [$0[0], $0[1]] })
            let s2Difference = max(maxAbsDifference(ours.secondOrder.map(\.value), s2.map { $0[2] }),
                                   maxAbsDifference(ours.secondOrder.map(\.confidenceHalfWidth), s2.map { $0[3] }))
            print("SALib agreement \(tag): max |diff| S2 and S2_conf \(s2Difference)")
            #expect(s2Difference < 1e-9)
        } else {
            #expect(ours.secondOrder.isEmpty)
        }
    }

    /// Ishigami with a fourth, dummy parameter the function ignores.
    @Test func ishigamiMatchesItsClosedForm() throws {
        let design = try SaltelliDesign(parameterCount: 4, baseSamples: 8192)
        let ranges: [ClosedRange<Double>] = Array(repeating: -Double.pi...Double.pi, count: 3) + [0...1]
        let outputs = try design.points(in: ranges).map { ishigami($0) }
        let s = try SobolIndices.compute(outputs: outputs, design: design, seed: 7)
        let exact = ishigamiIndices()
        print("Ishigami N=8192: S1 \(s.firstOrder) +- \(s.firstOrderConfidence); ST \(s.totalOrder) +- \(s.totalOrderConfidence); exact S1 \(exact.s1) ST \(exact.st)")
        #expect(abs(exact.s1[0] - 0.3139) < 5e-5 && abs(exact.st[2] - 0.2437) < 5e-5, "closed form as published")
        for i in 0..<3 {
            #expect(abs(s.firstOrder[i] - exact.s1[i]) <= threeSD(s.firstOrderConfidence[i]),
                    "S1[\(i)] \(s.firstOrder[i]) +- \(s.firstOrderConfidence[i]), exact \(exact.s1[i])")
            #expect(abs(s.totalOrder[i] - exact.st[i]) <= threeSD(s.totalOrderConfidence[i]),
                    "ST[\(i)] \(s.totalOrder[i]) +- \(s.totalOrderConfidence[i]), exact \(exact.st[i])")
        }
        // The intervals are narrow enough for the comparison to mean something.
        #expect((s.firstOrderConfidence + s.totalOrderConfidence).allSatisfy { $0 < 0.05 })
        // f ignores the dummy, so f_AB^4 = f_A in every row.
        #expect(s.totalOrder[3] == 0 && s.totalOrderConfidence[3] == 0)
        #expect(abs(s.firstOrder[3]) <= threeSD(s.firstOrderConfidence[3]))
    }

    /// f = sum a_i x_i, x_i uniform on [low_i, high_i]: S_i = ST_i =
    /// a_i^2 var_i / sum_j a_j^2 var_j with var_i = (high_i - low_i)^2 / 12.
    @Test func linearModelMatchesItsClosedForm() throws {
        let coefficients = [2.0, -1.0, 0.5, 0]
        let ranges: [ClosedRange<Double>] = [0...1, 10...14, -3...3, 0...100]
        let partial = zip(coefficients, ranges).map { a, r in a * a * pow(r.upperBound - r.lowerBound, 2) / 12 }
        let exact = partial.map { $0 / partial.reduce(0, +) }
        let design = try SaltelliDesign(parameterCount: 4, baseSamples: 1024)
        let outputs = try design.points(in: ranges).map { zip(coefficients, $0).reduce(0) { $0 + $1.0 * $1.1 } }
        let s = try SobolIndices.compute(outputs: outputs, design: design, seed: 3)
        print("linear N=1024: S1 \(s.firstOrder) +- \(s.firstOrderConfidence); ST \(s.totalOrder) +- \(s.totalOrderConfidence); exact \(exact)")
        for i in 0..<4 {
            #expect(abs(s.firstOrder[i] - exact[i]) <= threeSD(s.firstOrderConfidence[i]), "S1[\(i)] \(s.firstOrder[i]) exact \(exact[i])")
            #expect(abs(s.totalOrder[i] - exact[i]) <= threeSD(s.totalOrderConfidence[i]), "ST[\(i)] \(s.totalOrder[i]) exact \(exact[i])")
        }
        #expect(s.totalOrder[3] == 0, "the parameter with coefficient 0 is a dummy")
    }

    /// Replication noise: outputs with independent noise of variance s^2
    /// at every point give a dummy parameter ST = E[(e_A - e_AB)^2] / 2V
    /// = s^2 / (V_f + s^2) (Jansen's estimator sees noise as an effect).
    @Test func noiseShowsAsTheDummysTotalIndex() throws {
        let design = try SaltelliDesign(parameterCount: 2, baseSamples: 4096)
        let noise = RandomStream(seed: 99)
        let sd = 0.5
        // f = x1 + x2 on [0, 1]^2: V_f = 2/12; noise uniform, variance sd^2.
        let outputs = design.unitPoints().map { $0[0] + (noise.uniform() - 0.5) * sd * 12.0.squareRoot() }
        let s = try SobolIndices.compute(outputs: outputs, design: design, seed: 5)
        let share = sd * sd / (1.0 / 12 + sd * sd)
        print("noise: dummy ST \(s.totalOrder[1]) +- \(s.totalOrderConfidence[1]), noise share \(share)")
        #expect(abs(s.totalOrder[1] - share) <= threeSD(s.totalOrderConfidence[1]), "dummy ST \(s.totalOrder[1]) +- \(s.totalOrderConfidence[1]) vs noise share \(share)")
        #expect(s.totalOrder[1] > 0.5, "noise is large here and must show")
    }

    @Test func sameSeedSameIntervalsOtherSeedOtherIntervals() throws {
        let design = try SaltelliDesign(parameterCount: 3, baseSamples: 128)
        let outputs = try design.points(in: Array(repeating: -Double.pi...Double.pi, count: 3)).map { ishigami($0) }
        let one = try SobolIndices.compute(outputs: outputs, design: design, seed: 1)
        #expect(try SobolIndices.compute(outputs: outputs, design: design, seed: 1) == one)
        let other = try SobolIndices.compute(outputs: outputs, design: design, seed: 2)
        #expect(other.firstOrder == one.firstOrder && other.totalOrder == one.totalOrder, "the estimates do not use the stream")
        #expect(other.firstOrderConfidence != one.firstOrderConfidence)
    }

    @Test func constantOutputsGiveZeroIndices() throws {
        let design = try SaltelliDesign(parameterCount: 2, baseSamples: 16, secondOrder: true)
        let s = try SobolIndices.compute(outputs: Array(repeating: 42, count: design.count), design: design, seed: 1)
        #expect((s.firstOrder + s.totalOrder + s.firstOrderConfidence + s.totalOrderConfidence).allSatisfy { $0 == 0 })
        #expect(s.secondOrder.map(\.value) == [0])
    }

    @Test func badInputIsNamed() throws {
        #expect(throws: SensitivityError.self) { try SaltelliDesign(parameterCount: 21, baseSamples: 8) }
        #expect(throws: SensitivityError.self) { try SaltelliDesign(parameterCount: 2, baseSamples: 1) }
        let design = try SaltelliDesign(parameterCount: 2, baseSamples: 4)
        #expect(throws: SensitivityError("saltelli design: 15 outputs for 16 design points")) {
            try SobolIndices.compute(outputs: Array(repeating: 1, count: 15), design: design, seed: 1)
        }
        #expect(throws: SensitivityError("saltelli design: output of point 3 is nan, not a finite number")) {
            try SobolIndices.compute(outputs: [0, 1, 2, .nan] + Array(repeating: 1, count: 12), design: design, seed: 1)
        }
        #expect(throws: SensitivityError.self) {
            try SobolIndices.compute(outputs: Array(repeating: 1, count: 16), design: design, confidence: 1, seed: 1)
        }
    }
}

@Suite("Morris elementary effects")
struct MorrisSensitivityTests {
    @Test func measuresAgreeWithSALib() throws {
        let points = try sensitivityFixture("morris_points.csv").rows
        let salib = try sensitivityFixture("morris_indices.csv").rows
        let resampleRows = try sensitivityFixture("morris_resamples.csv").rows
        let resamples = (0..<4).map { j in
            BootstrapResamples(rows: resampleRows.filter { $0[0] == Double(j) }.map { $0.dropFirst().map { Int($0) } })
        }
        let ours = try MorrisEffects.compute(inputs: points.map { Array($0.prefix(4)) }, outputs: points.map { $0[4] },
                                             delta: 4.0 / 6, resamples: resamples)
        let differences = [
            maxAbsDifference(ours.mu, salib.map { $0[1] }), maxAbsDifference(ours.muStar, salib.map { $0[2] }),
            maxAbsDifference(ours.sigma, salib.map { $0[3] }), maxAbsDifference(ours.muStarConfidence, salib.map { $0[4] }),
        ]
        print("SALib agreement morris: max |diff| mu \(differences[0]), mu_star \(differences[1]), sigma \(differences[2]), mu_star_conf \(differences[3])")
        #expect(differences.allSatisfy { $0 < 1e-9 }, "\(differences)")
    }

    @Test func trajectoryIsSALibsBStar() throws {
        let choice = try sensitivityFixture("morris_trajectory_choice.csv").rows
        let salib = try sensitivityFixture("morris_trajectory.csv").rows
        let ours = MorrisDesign.trajectory(start: choice.map { $0[0] }, order: choice.map { Int($0[1]) },
                                           up: choice.map { $0[2] > 0 }, delta: 4.0 / 6)
        #expect(ours == salib)
    }

    @Test func mostSpreadChoiceIsSALibsBruteForce() throws {
        let candidates = try sensitivityFixture("morris_candidates.csv").rows
        let trajectories = stride(from: 0, to: candidates.count, by: 5).map { Array(candidates[$0..<($0 + 5)]) }
        let chosen = try sensitivityFixture("morris_chosen.csv").rows.map { Int($0[0]) }
        #expect(MorrisDesign.mostSpread(trajectories, choose: 4) == chosen)
    }

    @Test(arguments: [nil, 12] as [Int?])
    func trajectoriesStepOneParameterByDeltaOnTheGrid(candidates: Int?) throws {
        let design = try MorrisDesign(parameterCount: 5, trajectories: 6, levels: 6, candidateTrajectories: candidates, seed: 9)
        let points = design.unitPoints()
        #expect(points.count == 6 * 6 && design.count == points.count)
        let grid = (0..<6).map { Double($0) / 5 }
        for t in 0..<6 {
            var moved: [Int] = []
            for k in 0..<5 {
                let before = points[t * 6 + k], after = points[t * 6 + k + 1]
                let changed = (0..<5).filter { before[$0] != after[$0] }
                #expect(changed.count == 1)
                if let i = changed.first {
                    moved.append(i)
                    #expect(abs(abs(after[i] - before[i]) - design.delta) < 1e-12)
                }
            }
            #expect(moved.sorted() == Array(0..<5), "trajectory \(t) moves every parameter once")
        }
        #expect(points.allSatisfy { $0.allSatisfy { u in grid.contains { abs($0 - u) < 1e-12 } } })
        #expect(design.unitPoints() == points, "same seed, same design")
        #expect(try MorrisDesign(parameterCount: 5, trajectories: 6, levels: 6, candidateTrajectories: candidates, seed: 10).unitPoints() != points)
    }

    @Test func optimisedDesignKeepsTheMostSpreadCandidates() throws {
        let plain = try MorrisDesign(parameterCount: 3, trajectories: 10, levels: 4, seed: 4)
        let optimised = try MorrisDesign(parameterCount: 3, trajectories: 4, levels: 4, candidateTrajectories: 10, seed: 4)
        let candidates = stride(from: 0, to: plain.count, by: 4).map { Array(plain.unitPoints()[$0..<($0 + 4)]) }
        let chosen = MorrisDesign.mostSpread(candidates, choose: 4)
        #expect(optimised.unitPoints() == chosen.flatMap { candidates[$0] }, "the same candidates as the plain design draws")
        #expect(chosen != [0, 1, 2, 3], "this seed's first four are not the most spread")
    }

    /// f = sum a_i x_i on ranges: every elementary effect is a_i (high_i - low_i).
    @Test func linearModelHasConstantEffects() throws {
        let coefficients = [3.0, -2.0, 0]
        let ranges: [ClosedRange<Double>] = [0...1, 5...9, 0...10]
        let design = try MorrisDesign(parameterCount: 3, trajectories: 20, levels: 4, seed: 2)
        let outputs = try design.points(in: ranges).map { zip(coefficients, $0).reduce(0) { $0 + $1.0 * $1.1 } }
        let m = try MorrisEffects.compute(outputs: outputs, design: design, seed: 1)
        for i in 0..<3 {
            let effect = coefficients[i] * (ranges[i].upperBound - ranges[i].lowerBound)
            #expect(abs(m.mu[i] - effect) < 1e-9 && abs(m.muStar[i] - abs(effect)) < 1e-9, "parameter \(i): \(m.mu[i]), \(m.muStar[i])")
            #expect(m.sigma[i] < 1e-9 && m.muStarConfidence[i] < 1e-9)
        }
        #expect(m.muStar[2] == 0, "the dummy")
    }

    @Test func badInputIsNamed() throws {
        #expect(throws: SensitivityError.self) { try MorrisDesign(parameterCount: 2, trajectories: 4, levels: 5) }
        #expect(throws: SensitivityError.self) { try MorrisDesign(parameterCount: 2, trajectories: 1) }
        #expect(throws: SensitivityError.self) { try MorrisDesign(parameterCount: 2, trajectories: 20, candidateTrajectories: 200) }
        #expect(throws: SensitivityError.self) {
            // Two parameters moved in one step is not a Morris trajectory.
            try MorrisEffects.elementaryEffects(inputs: [[0, 0], [1, 1], [1, 0], [0, 0], [0, 1], [1, 1]], outputs: [0, 1, 2, 3, 4, 5], delta: 1)
        }
    }
}
