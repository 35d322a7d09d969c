import DeportSimCore
import GSLSupport

/// Morris's elementary-effects design (Morris 1991): r trajectories of
/// D + 1 points on a p-level grid of the unit cube, each moving one
/// parameter at a time by delta = p / (2 (p - 1)), laid out as SALib's
/// `SALib.sample.morris.sample` lays it out (trajectory by trajectory).
///
/// A trajectory (Morris 1991, section 3; SALib's `_compute_b_star`) starts
/// from a base point x* whose coordinates are levels 0, 1/(p-1), ...,
/// (p/2 - 1)/(p-1), a random order of the parameters and a random
/// direction for each: a parameter moving up holds x*_i until its step and
/// x*_i + delta after it; one moving down holds x*_i + delta and then x*_i.
/// So every point lies on the grid {0, 1/(p-1), ..., 1} and each step
/// changes exactly one coordinate.
///
/// With `candidateTrajectories` M > r, M trajectories are drawn and the r
/// of them that are most spread out are kept (Campolongo, Cariboni &
/// Saltelli 2007, section 3.2): the pair distance of two trajectories is
/// the sum of the Euclidean distances between all their points, and the
/// chosen set maximises the root of the sum of its squared pair
/// distances, searched over all C(M, r) sets as SALib's `BruteForce` does
/// (first maximum in lexicographic order; SALib scores in float32, here in
/// double). The chosen trajectories keep their candidate order.
///
/// Draws (part of the design's definition, from one taus2 stream keyed
/// "morris-trajectories" and the seed): trajectory by trajectory, first
/// each parameter's base level (`uniformInt(below: p/2)`), then the move
/// order (Fisher-Yates: i from D - 1 down to 1, swap with a uniform index
/// in 0...i), then each parameter's direction (`bernoulli(0.5)`, true is
/// up). SALib draws the same quantities with numpy, so the trajectories
/// differ from SALib's in value, not in structure.
public struct MorrisDesign: Sendable, Equatable {
    /// D: the number of parameters.
    public let parameterCount: Int
    /// r: the number of trajectories in the design.
    public let trajectories: Int
    /// p: the number of grid levels (even).
    public let levels: Int
    /// M: trajectories drawn before the r most spread out are kept; nil
    /// for Morris's plain design.
    public let candidateTrajectories: Int?
    public let seed: UInt64

    /// The most sets C(M, r) the spread search scores (a few seconds).
    public static let maxCandidateSets = 5_000_000

    public init(parameterCount: Int, trajectories: Int, levels: Int = 4, candidateTrajectories: Int? = nil, seed: UInt64 = 1) throws {
        guard parameterCount >= 1 else {
            throw SensitivityError("morris design: needs at least 1 parameter", argument: .parameterCount)
        }
        guard trajectories >= 2 else {
            // sigma needs two elementary effects per parameter.
            throw SensitivityError("morris design: trajectories must be at least 2 (got \(trajectories))", argument: .trajectories)
        }
        guard levels >= 2, levels % 2 == 0 else {
            // Odd p makes delta = p / (2 (p - 1)) miss the grid's symmetry
            // and biases the sample (Morris 1991; SALib warns).
            throw SensitivityError("morris design: levels must be an even number of at least 2 (got \(levels))", argument: .levels)
        }
        if let m = candidateTrajectories {
            guard m > trajectories else {
                throw SensitivityError("morris design: candidate trajectories (\(m)) must exceed trajectories (\(trajectories))", argument: .candidates)
            }
            guard let sets = Self.combinations(m, trajectories), sets <= Self.maxCandidateSets else {
                throw SensitivityError("morris design: choosing \(trajectories) of \(m) candidate trajectories means scoring more than \(Self.maxCandidateSets) sets; use fewer candidates", argument: .candidates)
            }
        }
        self.parameterCount = parameterCount
        self.trajectories = trajectories
        self.levels = levels
        self.candidateTrajectories = candidateTrajectories
        self.seed = seed
    }

    /// delta = p / (2 (p - 1)), the step in the unit cube (SALib's `_compute_delta`).
    public var delta: Double { Double(levels) / (2 * Double(levels - 1)) }

    /// The number of design points: r (D + 1).
    public var count: Int { trajectories * (parameterCount + 1) }

    /// The design in the unit cube [0, 1]^D, trajectory by trajectory.
    public func unitPoints() -> [[Double]] {
        let stream = Sensitivity.stream(seed: seed, key: "morris-trajectories")
        let d = parameterCount
        let drawn = (0..<(candidateTrajectories ?? trajectories)).map { _ -> [[Double]] in
            let start = (0..<d).map { _ in Double(stream.uniformInt(below: levels / 2)) / Double(levels - 1) }
            var order = Array(0..<d)
            for i in stride(from: d - 1, through: 1, by: -1) { order.swapAt(i, stream.uniformInt(below: i + 1)) }
            let up = (0..<d).map { _ in stream.bernoulli(0.5) }
            return Self.trajectory(start: start, order: order, up: up, delta: delta)
        }
        let kept = candidateTrajectories == nil ? Array(drawn.indices) : Self.mostSpread(drawn, choose: trajectories)
        return kept.flatMap { drawn[$0] }
    }

    /// The design scaled to parameter ranges (low + u (high - low)).
    public func points(in ranges: [ClosedRange<Double>]) throws -> [[Double]] {
        try Sensitivity.scaled(unitPoints(), to: ranges, parameterCount: parameterCount, design: "morris design")
    }

    /// One trajectory (D + 1 points): `order[k]` is the parameter moved at
    /// step k + 1, `up[i]` its direction (SALib's B* from x*, P*, D*).
    static func trajectory(start: [Double], order: [Int], up: [Bool], delta: Double) -> [[Double]] {
        var step = [Int](repeating: 0, count: start.count)
        for (k, i) in order.enumerated() { step[i] = k + 1 }
        return (0...start.count).map { m in
            start.indices.map { i in
                let moved = m >= step[i]
                return start[i] + ((moved == up[i]) ? delta : 0)
            }
        }
    }

    /// The indices, ascending, of the `k` trajectories whose set scores
    /// highest (Campolongo et al. 2007; SALib's `brute_force_most_distant`).
    static func mostSpread(_ candidates: [[[Double]]], choose k: Int) -> [Int] {
        let m = candidates.count
        var distance = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for a in 0..<m {
            for b in (a + 1)..<max(a + 1, m) where candidates[a] != candidates[b] {
                var sum = 0.0
                for p in candidates[a] {
                    for q in candidates[b] {
                        sum += zip(p, q).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                    }
                }
                distance[a][b] = sum; distance[b][a] = sum
            }
        }
        var best: [Int] = [], bestScore = -Double.infinity
        var set = Array(0..<k)
        while true {
            var score = 0.0
            for x in 0..<k { for y in (x + 1)..<max(x + 1, k) { score += distance[set[x]][set[y]] * distance[set[x]][set[y]] } }
            score = score.squareRoot()
            if score > bestScore { bestScore = score; best = set }
            // The next k-subset in lexicographic order.
            var i = k - 1
            while i >= 0, set[i] == m - k + i { i -= 1 }
            if i < 0 { return best }
            set[i] += 1
            for j in (i + 1)..<k { set[j] = set[j - 1] + 1 }
        }
    }

    /// C(n, k), or nil past Int.
    static func combinations(_ n: Int, _ k: Int) -> Int? {
        var c = 1
        for i in 0..<min(k, n - k) {
            let (product, overflow) = c.multipliedReportingOverflow(by: n - i)
            if overflow { return nil }
            c = product / (i + 1)
        }
        return c
    }
}
