import DeportSimCore
import Foundation
import GSLSupport

/// How a reported figure relates to the model (docs/model.md, 10.2):
/// log(1 + reported) ~ Normal(log(1 + simulated mean), sigma^2) with
/// sigma = max(tolerance, `sigmaFloor`), independently over targets, each
/// term raised to the target's weight.
public enum ObservationModel {
    /// The smallest sigma: a tolerance of 0 (an exact count such as the
    /// number of charters) would otherwise give an infinitely sharp likelihood.
    public static let sigmaFloor = 0.05

    public static func sigma(_ target: Target) -> Double { max(target.tolerance, sigmaFloor) }

    /// D^2 = sum_i w_i ((log(1 + reported_i) - log(1 + mean_i)) / sigma_i)^2;
    /// the log-likelihood is -D^2 / 2 (up to a constant).
    public static func squaredDistance(_ rows: [ComparisonRow]) -> Double {
        rows.reduce(0) { acc, r in
            let e = (log1p(max(r.target.value, 0)) - log1p(max(r.mean, 0))) / sigma(r.target)
            return acc + r.target.weight * e * e
        }
    }

    public static func logLikelihood(_ rows: [ComparisonRow]) -> Double { -0.5 * squaredDistance(rows) }
}

/// Settings of the posterior sampler (`calibrate --posterior`).
public struct PosteriorSettings: Sendable {
    /// N: particles, and draws returned.
    public var draws: Int
    /// Each generation lowers the tolerance until the effective sample size
    /// of the new weights is this share of N (Del Moral, Doucet & Jasra 2012: alpha).
    public var essFraction = 0.5
    /// Random-walk Metropolis moves of every particle per generation.
    public var movesPerGeneration = 2
    /// A bound on the cost: the sampler stops after this many generations
    /// even if the tolerance has not reached 1 (the diagnostics say so).
    public var maxGenerations = 30
    /// Seed of the sampler's own GSL stream (priors, resampling, proposals).
    public var seed: UInt64
    /// Worker threads: particles are evaluated in parallel; results do not depend on it.
    public var jobs: Int

    public init(draws: Int, seed: UInt64, jobs: Int) { self.draws = draws; self.seed = seed; self.jobs = jobs }
}

/// One generation of the sampler, as `calibrate` prints it.
public struct PosteriorGeneration: Sendable, Codable, Equatable {
    public let index: Int
    /// epsilon of the Gaussian kernel exp(-D^2 / (2 epsilon^2)); 1 is the observation model.
    public let tolerance: Double
    /// Effective sample size of the importance weights, before resampling.
    public let effectiveSampleSize: Double
    /// Share of the Metropolis moves accepted.
    public let acceptanceRate: Double
    /// Smallest and median D over the particles after the moves.
    public let bestDistance: Double
    public let medianDistance: Double
    /// Evaluations so far, all generations.
    public let evaluations: Int
}

/// Draws from the posterior of fitted values, equally weighted.
public struct Posterior: Sendable {
    public let parameters: [FitParameter]
    /// N draws in scenario units, each in the order of `parameters`.
    public let draws: [[Double]]
    public let logLikelihoods: [Double]
    public let generations: [PosteriorGeneration]
    public let evaluations: Int
    /// True when the last generation reached tolerance 1 (the observation model itself).
    public var reachedObservationModel: Bool { generations.last?.tolerance == 1 }
    /// Effective sample size of the last generation's weights.
    public var effectiveSampleSize: Double { generations.last?.effectiveSampleSize ?? 0 }
    /// Share of all Metropolis moves accepted.
    public let acceptanceRate: Double
    /// Distinct parameter sets among the draws.
    public var distinctDraws: Int { Set(draws.map { $0.map(\.bitPattern) }).count }

    /// The draw with the largest log-likelihood (the first one among ties).
    public var best: [Double] {
        let i = logLikelihoods.indices.max { a, b in logLikelihoods[a] < logLikelihoods[b] || (logLikelihoods[a] == logLikelihoods[b] && a > b) }!
        return draws[i]
    }
}

/// Sequential Monte Carlo for the posterior of fitted values: ABC-SMC
/// (Toni et al. 2009) with a Gaussian kernel exp(-D^2 / (2 epsilon^2)) and
/// the adaptive tolerance schedule of Del Moral, Doucet & Jasra (2012): each
/// generation lowers epsilon until the effective sample size of the new
/// weights is alpha N, resamples (systematic, Kitagawa 1996) and moves every
/// particle by random-walk Metropolis steps whose covariance is the
/// particles' own, scaled by 2.38^2 / d (Haario, Saksman & Tamminen 2001;
/// Roberts, Gelman & Gilks 1997). At epsilon = 1 the kernel is the
/// observation model's likelihood, so the ABC posterior is the posterior
/// under that model (Wilkinson 2013); the sampler stops there.
///
/// Priors are uniform on the fitted bounds. The sampler works in unit
/// coordinates (0 at LOW, 1 at HIGH); a proposal outside the bounds has
/// prior 0 and is rejected. Every draw comes from one GSL stream, in a fixed
/// order; evaluations run in parallel and are combined in particle order,
/// so the result does not depend on `jobs`.
public enum PosteriorSampler {
    /// - Parameters:
    ///   - resumingFrom: a checkpoint an earlier run of the same sampler
    ///     (same parameters, settings and likelihood) handed to `checkpoint`;
    ///     the sampler goes on from it with the very draws an uninterrupted
    ///     run makes, so the result is the same to the bit.
    ///   - logLikelihood: the log-likelihood of values in scenario units
    ///     (-infinity when the scenario rejects them); called from several threads.
    ///   - progress: (evaluations done in this phase, evaluations of the phase, phase name).
    ///   - generation: called after each generation.
    ///   - checkpoint: called with the sampler's whole state after the
    ///     prior's draws (generation 0) and after each generation, the last
    ///     one included (`finished`); an error it throws stops the sampler.
    public static func sample(_ parameters: [FitParameter], settings: PosteriorSettings,
                              resumingFrom saved: PosteriorCheckpoint? = nil,
                              logLikelihood: @escaping @Sendable ([Double]) -> Double,
                              progress: (Int, Int, String) -> Void = { _, _, _ in },
                              generation: (PosteriorGeneration) -> Void = { _ in },
                              checkpoint: (PosteriorCheckpoint) throws -> Void = { _ in }) throws -> Posterior {
        let n = settings.draws, d = parameters.count
        let rng = RandomStream(kind: .taus2, seed: SplitMix64.mix(settings.seed ^ StreamSeedKey.posterior))
        func values(_ z: [Double]) -> [Double] {
            zip(parameters, z).map { p, u in
                let x = p.low + u * (p.high - p.low)
                return p.integer ? x.rounded() : x
            }
        }
        var evaluations = 0
        func evaluate(_ points: [[Double]?], phase: String) -> [Double] {
            var out = [Double](repeating: -.infinity, count: points.count)
            let todo = points.indices.filter { points[$0] != nil }
            let scenarioValues = todo.map { values(points[$0]!) }
            var done = 0
            ReplicationRunner.run(indices: Array(scenarioValues.indices), jobs: settings.jobs, makeWorker: { () },
                                  work: { _, k in logLikelihood(scenarioValues[k]) },
                                  consume: { k, ll in out[todo[k]] = ll; done += 1; progress(done, todo.count, phase) })
            evaluations += todo.count
            return out
        }

        var z: [[Double]], ll: [Double]
        var beta = 0.0
        var generations: [PosteriorGeneration] = []
        var accepted = 0, proposed = 0
        var finished = false
        func snapshot() -> PosteriorCheckpoint {
            PosteriorCheckpoint(generation: generations.count, finished: finished, beta: beta, particles: z, logLikelihoods: ll,
                                evaluations: evaluations, accepted: accepted, proposed: proposed, generations: generations,
                                random: rng.savedState)
        }
        if let saved {
            try saved.check(draws: n, dimensions: d, maxGenerations: settings.maxGenerations)
            try rng.restore(saved.random)
            z = saved.particles; ll = saved.logLikelihoods; beta = saved.beta; generations = saved.generations
            evaluations = saved.evaluations; accepted = saved.accepted; proposed = saved.proposed; finished = saved.finished
        } else {
            // Generation 0: N draws from the uniform prior.
            z = (0..<n).map { _ in (0..<d).map { _ in rng.uniform() } }
            ll = evaluate(z, phase: "prior")
            guard ll.contains(where: \.isFinite) else {
                throw PosteriorError.noFiniteLikelihood
            }
            try checkpoint(snapshot())
        }
        while !finished {
            let g = generations.count + 1
            let nextBeta = nextTemperature(ll, from: beta, essTarget: settings.essFraction * Double(n))
            let weights = importanceWeights(ll, by: nextBeta - beta)
            let ess = effectiveSampleSize(weights)
            beta = nextBeta
            let picked = systematicResample(weights, uniform: rng.uniform())
            z = picked.map { z[$0] }
            ll = picked.map { ll[$0] }
            let step = proposalFactor(z)
            var acceptedHere = 0
            for m in 0..<settings.movesPerGeneration {
                let proposals: [[Double]?] = z.map { point in
                    let noise = (0..<d).map { _ in rng.gaussian(sd: 1) }
                    let moved = (0..<d).map { i in point[i] + (0...i).reduce(0) { $0 + step[i][$1] * noise[$1] } }
                    return moved.allSatisfy { $0 >= 0 && $0 <= 1 } ? moved : nil
                }
                let proposedLL = evaluate(proposals, phase: "generation \(g) move \(m + 1)")
                for i in 0..<n {
                    let u = rng.uniform()
                    guard proposals[i] != nil else { continue }
                    if log(u) < beta * (proposedLL[i] - ll[i]) || (ll[i] == -.infinity && proposedLL[i].isFinite) {
                        z[i] = proposals[i]!; ll[i] = proposedLL[i]; acceptedHere += 1
                    }
                }
            }
            accepted += acceptedHere
            proposed += n * settings.movesPerGeneration
            let distances = ll.map { $0.isFinite ? (-2 * $0).squareRoot() : .infinity }.sorted()
            let record = PosteriorGeneration(index: g, tolerance: beta >= 1 ? 1 : 1 / beta.squareRoot(), effectiveSampleSize: ess,
                                             acceptanceRate: Double(acceptedHere) / Double(n * settings.movesPerGeneration),
                                             bestDistance: distances[0], medianDistance: distances[n / 2], evaluations: evaluations)
            generations.append(record)
            finished = beta >= 1 || g >= settings.maxGenerations
            generation(record)
            try checkpoint(snapshot())
        }
        return Posterior(parameters: parameters, draws: z.map(values), logLikelihoods: ll, generations: generations,
                         evaluations: evaluations, acceptanceRate: proposed > 0 ? Double(accepted) / Double(proposed) : 0)
    }

    /// Normalised weights exp(delta x ll_i) (0 for ll = -infinity), by the log-sum-exp.
    static func importanceWeights(_ ll: [Double], by delta: Double) -> [Double] {
        let logs = ll.map { $0.isFinite ? delta * $0 : -.infinity }
        let top = logs.max() ?? 0
        let raw = logs.map { $0.isFinite ? exp($0 - top) : 0 }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// 1 / sum of squared normalised weights (Kong, Liu & Wong 1994).
    public static func effectiveSampleSize(_ weights: [Double]) -> Double {
        1 / weights.reduce(0) { $0 + $1 * $1 }
    }

    /// The next inverse squared tolerance beta = 1 / epsilon^2 after
    /// `current`: 1 when the weights to it keep `essTarget`, else found by
    /// bisection (60 halvings) so that the effective sample size is `essTarget`.
    static func nextTemperature(_ ll: [Double], from current: Double, essTarget: Double) -> Double {
        if effectiveSampleSize(importanceWeights(ll, by: 1 - current)) >= essTarget { return 1 }
        var low = current, high = 1.0
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if effectiveSampleSize(importanceWeights(ll, by: mid - current)) >= essTarget { low = mid } else { high = mid }
        }
        return max(low, current + 1e-12)
    }

    /// Systematic resampling (Kitagawa 1996): one uniform u, the particles
    /// at the cumulative weights (k + u) / N.
    public static func systematicResample(_ weights: [Double], uniform u: Double) -> [Int] {
        let n = weights.count
        var out: [Int] = []
        out.reserveCapacity(n)
        var cumulative = weights[0], i = 0
        for k in 0..<n {
            let point = (Double(k) + u) / Double(n)
            while point > cumulative && i < n - 1 { i += 1; cumulative += weights[i] }
            out.append(i)
        }
        return out
    }

    /// The lower Cholesky factor of (2.38^2 / d) x the particles'
    /// covariance, plus a small ridge (1e-4 of the unit range, squared) so
    /// a collapsed population can still move. d is a handful of fitted
    /// values, so the factor is written out rather than taken from a
    /// matrix library.
    static func proposalFactor(_ z: [[Double]]) -> [[Double]] {
        let n = Double(z.count), d = z[0].count
        let mean = (0..<d).map { i in z.reduce(0) { $0 + $1[i] } / n }
        var c = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for p in z { for i in 0..<d { for j in 0...i { c[i][j] += (p[i] - mean[i]) * (p[j] - mean[j]) / max(n - 1, 1) } } }
        let scale = 2.38 * 2.38 / Double(d)
        var l = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for i in 0..<d {
            for j in 0...i {
                let a = scale * c[i][j] + (i == j ? 1e-8 : 0)
                let s = (0..<j).reduce(a) { $0 - l[i][$1] * l[j][$1] }
                l[i][j] = i == j ? max(s, 1e-8).squareRoot() : s / l[j][j]
            }
        }
        return l
    }
}

public enum PosteriorError: Error, CustomStringConvertible {
    case noFiniteLikelihood
    /// A checkpoint that does not fit the sampler (what is wrong with it).
    case badCheckpoint(String)
    public var description: String {
        switch self {
        case .noFiniteLikelihood: return "no parameter set drawn from the --fit ranges gave a scenario that runs; check the ranges"
        case .badCheckpoint(let why): return "the checkpoint does not fit this sampler: \(why)"
        }
    }
}

/// The sampler's whole state after a generation (docs/model.md, 10.3):
/// enough for `PosteriorSampler.sample(resumingFrom:)` to go on with the very
/// draws an uninterrupted run makes. Particles are kept in the sampler's unit
/// coordinates, the random stream as its GSL state bytes.
public struct PosteriorCheckpoint: Sendable, Codable, Equatable {
    /// Generations finished; 0 after the prior's draws.
    public var generation: Int
    /// True once the sampler has stopped (tolerance 1, or the generation limit).
    public var finished: Bool
    /// The inverse squared tolerance 1 / epsilon^2 reached.
    public var beta: Double
    /// N particles in unit coordinates (0 at LOW, 1 at HIGH), in order.
    public var particles: [[Double]]
    public var logLikelihoods: [Double]
    /// Evaluations so far, and the Metropolis moves accepted and proposed.
    public var evaluations: Int
    public var accepted: Int
    public var proposed: Int
    /// The records of the finished generations, as printed.
    public var generations: [PosteriorGeneration]
    /// The GSL type of the sampler's stream and its state bytes, base64.
    public var randomGenerator: String
    public var randomStateBase64: String

    init(generation: Int, finished: Bool, beta: Double, particles: [[Double]], logLikelihoods: [Double], evaluations: Int,
         accepted: Int, proposed: Int, generations: [PosteriorGeneration], random: RandomStreamState) {
        self.generation = generation; self.finished = finished; self.beta = beta; self.particles = particles
        self.logLikelihoods = logLikelihoods; self.evaluations = evaluations; self.accepted = accepted; self.proposed = proposed
        self.generations = generations; randomGenerator = random.generator
        randomStateBase64 = Data(random.bytes).base64EncodedString()
    }

    var random: RandomStreamState {
        get throws {
            guard let data = Data(base64Encoded: randomStateBase64) else { throw PosteriorError.badCheckpoint("randomStateBase64 is not base64") }
            return RandomStreamState(generator: randomGenerator, bytes: Array(data))
        }
    }

    /// Throws unless the checkpoint has N particles of d unit coordinates and consistent counts.
    func check(draws n: Int, dimensions d: Int, maxGenerations: Int) throws {
        func fail(_ why: String) -> PosteriorError { .badCheckpoint(why) }
        guard particles.count == n, logLikelihoods.count == n else {
            throw fail("\(particles.count) particles and \(logLikelihoods.count) log-likelihoods, expected \(n)")
        }
        guard particles.allSatisfy({ $0.count == d && $0.allSatisfy { $0 >= 0 && $0 <= 1 } }) else {
            throw fail("expected \(d) unit coordinates in 0...1 per particle")
        }
        guard generation == generations.count, generation <= maxGenerations, generations.map(\.index) == Array(stride(from: 1, through: generation, by: 1)) else {
            throw fail("generation \(generation) with \(generations.count) generation records (at most \(maxGenerations))")
        }
        guard evaluations >= n, accepted >= 0, accepted <= proposed, beta >= 0, beta <= 1 else {
            throw fail("inconsistent counts (evaluations \(evaluations), accepted \(accepted) of \(proposed), beta \(beta))")
        }
        guard finished || (beta < 1 && generation < maxGenerations) else { throw fail("an unfinished checkpoint at the end of the schedule") }
    }
}

/// Keys of the analysis streams, hashed as the model's stream keys are.
enum StreamSeedKey {
    static let posterior = StreamSeed.fnv1a64("calibrate:posterior")
}

/// What the draws say about each fitted value, and which the targets do not pin down.
public struct PosteriorSummary: Sendable {
    public struct Parameter: Sendable {
        public let path: String
        public let mean, sd, p05, p50, p95: Double
        /// sd of the uniform prior: (HIGH - LOW) / sqrt(12).
        public let priorSD: Double
        /// Posterior sd over prior sd; above `notInformedRatio` the targets barely inform the value.
        public var sdRatio: Double { sd / priorSD }
        public var informed: Bool { sdRatio <= PosteriorSummary.notInformedRatio }
    }
    /// Posterior sd / prior sd above this: "not informed" (a uniform prior
    /// cut to 80% of its width keeps a ratio of 0.8).
    public static let notInformedRatio = 0.8
    /// |correlation| above this: the two values trade off.
    public static let tradeOffCorrelation = 0.8

    public let parameters: [Parameter]
    /// Pearson correlations of the draws, parameters in order (NaN for a constant value).
    public let correlation: [[Double]]

    public init(_ posterior: Posterior) {
        let columns = posterior.parameters.indices.map { i in posterior.draws.map { $0[i] } }
        parameters = zip(posterior.parameters, columns).map { p, x in
            let sorted = x.sorted()
            return Parameter(path: p.path, mean: SampleStatistics.mean(x), sd: SampleStatistics.sampleStandardDeviation(x),
                             p05: SampleStatistics.quantile(sorted: sorted, 0.05), p50: SampleStatistics.quantile(sorted: sorted, 0.5),
                             p95: SampleStatistics.quantile(sorted: sorted, 0.95), priorSD: (p.high - p.low) / 12.0.squareRoot())
        }
        correlation = columns.map { a in columns.map { b in SampleStatistics.correlation(a, b) } }
    }

    /// Pairs (i, j), i < j, whose |correlation| exceeds `tradeOffCorrelation`.
    public var tradeOffs: [(Int, Int, Double)] {
        var out: [(Int, Int, Double)] = []
        for i in parameters.indices { for j in parameters.indices where j > i && abs(correlation[i][j]) > Self.tradeOffCorrelation {
            out.append((i, j, correlation[i][j]))
        } }
        return out
    }
}
