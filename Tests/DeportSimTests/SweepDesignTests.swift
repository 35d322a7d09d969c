import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO
import GSLSupport

/// Files shipped for the sweep tests (Tests/Fixtures).
enum SweepFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let scenario = root + "/Tests/Fixtures/sweep-small.yaml"
    static let spec = root + "/Tests/Fixtures/small.sweep.yaml"
}

@Suite("Sweep designs")
struct SweepDesignTests {
    @Test func gridVariesTheLastParameterFastest() {
        let design = SweepDesign(kind: .grid, parameters: [
            SweepParameter(path: "a", domain: .values([1, 2])),
            SweepParameter(path: "b", domain: .values([10, 20, 30])),
        ])
        #expect(design.count == 6)
        #expect(design.points() == [[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]])
    }

    @Test func listPairsTheIthValues() {
        let design = SweepDesign(kind: .list, parameters: [
            SweepParameter(path: "a", domain: .values([1, 2, 3])),
            SweepParameter(path: "b", domain: .values([7, 8, 9])),
        ])
        #expect(design.points() == [[1, 7], [2, 8], [3, 9]])
    }

    @Test(arguments: [1, 7, 50])
    func latinHypercubeHoldsOnePointPerStratum(n: Int) {
        let design = SweepDesign(kind: .latinHypercube, parameters: [
            SweepParameter(path: "a", domain: .range(low: 0, high: 10, wholeNumbers: false)),
            SweepParameter(path: "b", domain: .range(low: -3, high: 5, wholeNumbers: false)),
            SweepParameter(path: "c", domain: .range(low: 100, high: 100 + Double(n) - 1, wholeNumbers: true)),
        ], pointCount: n, seed: 42)
        let points = design.points()
        #expect(points.count == n)
        for (j, (lo, hi)) in [(0.0, 10.0), (-3.0, 5.0)].enumerated() {
            // Values are rounded to 6 significant digits, which can move a
            // value across a stratum edge by at most 1e-5 of the width.
            let strata = points.map { Int(((($0[j] - lo) / (hi - lo)) * Double(n) - 1e-6).rounded(.down)) }
            #expect(Set(strata) == Set(0..<n), "parameter \(j)")
        }
        // A whole-number range with as many values as points takes each once.
        #expect(Set(points.map { $0[2] }) == Set((0..<n).map { 100 + Double($0) }))
        #expect(design.points() == points, "same seed, same points")
        let other = SweepDesign(kind: .latinHypercube, parameters: design.parameters, pointCount: n, seed: 43)
        if n > 1 { #expect(other.points() != points, "another seed, other points") }
    }

    /// The first points of GSL's 2-dimensional Sobol sequence, as printed
    /// by the qrng example program of the GSL reference manual.
    @Test func sobolMatchesGSL() throws {
        let expected: [[Double]] = [[0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.375, 0.375], [0.875, 0.875]]
        let sequence = try #require(SobolSequence(dimension: 2))
        for e in expected { #expect(sequence.next() == e) }
        let design = SweepDesign(kind: .sobol, parameters: [
            SweepParameter(path: "a", domain: .range(low: 0, high: 8, wholeNumbers: false)),
            SweepParameter(path: "b", domain: .range(low: 10, high: 20, wholeNumbers: false)),
        ], pointCount: 5)
        #expect(design.points() == expected.map { [8 * $0[0], 10 + 10 * $0[1]] })
        #expect(SobolSequence(dimension: SobolSequence.maxDimension + 1) == nil)
    }

    @Test func randomStaysInItsDomain() {
        let design = SweepDesign(kind: .random, parameters: [
            SweepParameter(path: "a", domain: .range(low: 2, high: 3, wholeNumbers: false)),
            SweepParameter(path: "b", domain: .values([5, 6])),
            SweepParameter(path: "c", domain: .range(low: 7, high: 42, wholeNumbers: true)),
        ], pointCount: 400, seed: 9)
        let points = design.points()
        #expect(points.allSatisfy { $0[0] >= 2 && $0[0] <= 3 && [5, 6].contains($0[1]) && $0[2] >= 7 && $0[2] <= 42 && $0[2] == $0[2].rounded() })
        // Both ends of a whole-number range occur (rounding would halve their weight).
        #expect(points.contains { $0[2] == 7 } && points.contains { $0[2] == 42 })
        #expect(design.points() == points)
    }

    @Test func wholeNumberRangesGiveEveryValueEqualWeight() {
        let domain = SweepDomain.range(low: 1, high: 3, wholeNumbers: true)
        #expect([0, 0.33, 0.34, 0.66, 0.67, 0.999].map(domain.value(at:)) == [1, 1, 2, 2, 3, 3])
        #expect(TreePaths.isWholeNumber("routes.x.schedule.every_days"))
        #expect(TreePaths.isWholeNumber("countries.CHN.initial.pending"))
        #expect(!TreePaths.isWholeNumber("countries.CHN.deterrence.elasticity"))
    }

    @Test func shardsDealPointsInTurn() {
        let shards = (0..<3).map { SweepShard(index: $0, count: 3) }
        for p in 0..<20 { #expect(shards.filter { $0.contains(point: p) }.count == 1) }
        #expect((0..<7).filter(shards[1].contains) == [1, 4])
    }
}

@Suite("Sweep seeds")
struct SweepSeedTests {
    /// A point's rows are the same whichever other points run beside it and
    /// on however many threads: seeds come from (seed, point, replication).
    @Test func pointResultsDoNotDependOnShardingOrThreads() throws {
        let loaded = try ScenarioLoader.load(file: SweepFixtures.scenario)
        let spec = try SweepSpecParser.load(file: SweepFixtures.spec, overrides: SweepOverrides(), scenario: loaded)
        let outcomes = spec.outcomeSpecs(in: loaded.scenario)
        func rows(shard: SweepShard, jobs: Int) throws -> [Int: [[Double]]] {
            let plan = try SweepFiles.plan(loaded: loaded, spec: spec, shard: shard, root: "unused")
            var out: [Int: [[Double]]] = [:]
            try SweepRunner.run(tasks: plan.tasks, replications: spec.replications, seed: spec.seed, outcomes: outcomes,
                                jobs: jobs) { point, values in out[point] = values }
            return out
        }
        let whole = try rows(shard: .whole, jobs: 1)
        #expect(whole.count == spec.points.count)
        var pieced: [Int: [[Double]]] = [:]
        for k in 0..<5 { pieced.merge(try rows(shard: SweepShard(index: k, count: 5), jobs: 2)) { a, _ in a } }
        #expect(pieced == whole)
        #expect(try rows(shard: .whole, jobs: 2) == whole)
        // Different points and replications do draw differently.
        #expect(whole[0]![0] != whole[0]![1])
        // The seed of (point, replication) is the model's stream seed.
        #expect(StreamSeed.base(runSeed: 5, point: 3, replication: 1, key: "border")
                != StreamSeed.base(runSeed: 5, point: 1, replication: 3, key: "border"))
    }
}
