import GSLSupport

/// Morris's screening measures of one outcome from the outputs of a
/// `MorrisDesign`, as SALib's `SALib.analyze.morris.analyze` computes them
/// (unscaled, without groups).
///
/// The elementary effect of parameter i on a trajectory is
/// EE_i = (f(x after) - f(x before)) / delta when the step moved i up and
/// (f(x before) - f(x after)) / delta when it moved i down (Morris 1991):
/// the change of the outcome per step of delta in the unit cube, so in the
/// outcome's units per fraction p / (2 (p - 1)) of the parameter's range.
/// Over the r trajectories:
/// - mu, the mean of EE_i (Morris 1991);
/// - mu_star, the mean of |EE_i|, which effects of opposite signs cannot
///   cancel (Campolongo, Cariboni & Saltelli 2007);
/// - sigma, the standard deviation (divisor r - 1) of EE_i: large when
///   the effect depends on the other parameters (interactions or
///   non-linearity, Morris 1991);
/// - mu_star_conf, z * sd of mu_star over bootstrap resamples of the r
///   effects (SALib's `_compute_mu_star_confidence`).
public struct MorrisEffects: Sendable, Equatable {
    public var mu: [Double]
    public var muStar: [Double]
    public var sigma: [Double]
    /// Half-width of mu_star's interval.
    public var muStarConfidence: [Double]
    /// The two-sided level of the intervals (0.95 for 95%).
    public var confidence: Double

    /// The measures of `outputs` (one per design point, in design order:
    /// for a sweep, each point's mean over its replications). Each
    /// parameter's effects are resampled by its own GSL stream, keyed by
    /// `seed` and the parameter's position.
    public static func compute(outputs: [Double], design: MorrisDesign, bootstrapResamples: Int = 100,
                               confidence: Double = 0.95, seed: UInt64) throws -> MorrisEffects {
        try Sensitivity.bootstrap(resamples: bootstrapResamples, confidence: confidence)
        let resamples = (0..<design.parameterCount).map {
            BootstrapResamples(rowCount: design.trajectories, resamples: bootstrapResamples, seed: seed, key: "morris-bootstrap-\($0)")
        }
        return try compute(inputs: design.unitPoints(), outputs: outputs, delta: design.delta,
                           resamples: resamples, confidence: confidence)
    }

    /// The measures from given points (unit or scaled: only the direction
    /// of each step is read) and per-parameter resamples of the trajectories.
    public static func compute(inputs: [[Double]], outputs: [Double], delta: Double,
                               resamples: [BootstrapResamples], confidence: Double = 0.95) throws -> MorrisEffects {
        let effects = try elementaryEffects(inputs: inputs, outputs: outputs, delta: delta)
        guard resamples.count == effects.count else {
            throw SensitivityError("morris analysis: \(resamples.count) bootstrap resample sets for \(effects.count) parameters")
        }
        var result = MorrisEffects(mu: [], muStar: [], sigma: [], muStarConfidence: [], confidence: confidence)
        for (ee, boot) in zip(effects, resamples) {
            try Sensitivity.bootstrap(resamples: boot.rows.count, confidence: confidence)
            if boot.rows.contains(where: { $0.count != ee.count || $0.contains { $0 < 0 || $0 >= ee.count } }) {
                throw SensitivityError("morris analysis: a bootstrap resample does not index the \(ee.count) trajectories")
            }
            let magnitude = ee.map(abs)
            result.mu.append(SampleStatistics.mean(ee))
            result.muStar.append(SampleStatistics.mean(magnitude))
            result.sigma.append(SampleStatistics.sampleStandardDeviation(ee))
            let resampled = boot.rows.map { rows in SampleStatistics.mean(rows.map { magnitude[$0] }) }
            result.muStarConfidence.append(BootstrapResamples.halfWidth(of: resampled, confidence: confidence))
        }
        return result
    }

    /// `effects[i][t]`: EE of parameter i on trajectory t. Each trajectory
    /// (D + 1 consecutive points) must move each parameter in exactly one
    /// step and one parameter per step; anything else is not a Morris design.
    public static func elementaryEffects(inputs: [[Double]], outputs: [Double], delta: Double) throws -> [[Double]] {
        guard let d = inputs.first?.count, d >= 1 else { throw SensitivityError("morris analysis: no design points") }
        let size = d + 1
        guard inputs.count % size == 0, inputs.count / size >= 2 else {
            throw SensitivityError("morris analysis: \(inputs.count) points is not a whole number of at least 2 trajectories of \(size) points")
        }
        try Sensitivity.outputs(outputs, expected: inputs.count, design: "morris design")
        let r = inputs.count / size
        var effects = [[Double]](repeating: [Double](repeating: 0, count: r), count: d)
        for t in 0..<r {
            var seen = [Bool](repeating: false, count: d)
            for k in 0..<d {
                let before = inputs[t * size + k], after = inputs[t * size + k + 1]
                guard before.count == d, after.count == d else {
                    throw SensitivityError("morris analysis: point \(t * size + k + 1) has \(after.count) coordinates, not \(d)")
                }
                let moved = (0..<d).filter { before[$0] != after[$0] }
                guard moved.count == 1, !seen[moved[0]] else {
                    throw SensitivityError("morris analysis: trajectory \(t + 1), step \(k + 1) moves \(moved.count) parameters (\(moved.map { $0 + 1 })); a Morris step moves exactly one, each once per trajectory")
                }
                let i = moved[0]
                seen[i] = true
                let change = outputs[t * size + k + 1] - outputs[t * size + k]
                effects[i][t] = (after[i] > before[i] ? change : -change) / delta
            }
        }
        return effects
    }
}
