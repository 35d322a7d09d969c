import DeportSimAnalysis
import Foundation

/// The files of `calibrate --posterior` (docs/model.md, 11).
extension Posterior {
    /// posterior.csv: `draw,<one column per fitted path>,log_likelihood`;
    /// the draws are equally weighted, so there is no `weight` column.
    public func csv() -> String {
        var out = csvLine(["draw"] + parameters.map(\.path) + ["log_likelihood"])
        for (i, (d, ll)) in zip(draws, logLikelihoods).enumerated() {
            out += csvLine([String(i)] + d.map(formatNumber) + [formatNumber(ll)])
        }
        return out
    }

    /// posterior_diagnostics.json: settings, per-generation tolerance, ESS and acceptance.
    public func diagnosticsJSON(settings: PosteriorSettings, replicationsPerEvaluation: Int, seconds: Double) throws -> String {
        try jsonText([
            "method": "ABC-SMC (Toni et al. 2009), Gaussian kernel, adaptive tolerance schedule (Del Moral, Doucet & Jasra 2012), "
                + "random-walk Metropolis moves with the particles' covariance x 2.38^2/d (Haario et al. 2001)",
            "observation_model": "log(1 + reported) ~ Normal(log(1 + simulated mean), max(tolerance, \(formatNumber(ObservationModel.sigmaFloor)))^2), term weighted by the target's weight",
            "draws": draws.count, "distinct_draws": distinctDraws,
            "ess_fraction": settings.essFraction, "moves_per_generation": settings.movesPerGeneration,
            "max_generations": settings.maxGenerations, "sampler_seed": settings.seed,
            "replications_per_evaluation": replicationsPerEvaluation,
            "evaluations": evaluations, "acceptance_rate": acceptanceRate,
            "effective_sample_size": effectiveSampleSize,
            "reached_observation_model": reachedObservationModel,
            "wall_time_seconds": (seconds * 1000).rounded() / 1000,
            "generations": generations.map { g -> [String: Any] in
                ["generation": g.index, "tolerance": g.tolerance, "effective_sample_size": g.effectiveSampleSize,
                 "acceptance_rate": g.acceptanceRate, "best_distance": g.bestDistance, "median_distance": g.medianDistance,
                 "evaluations": g.evaluations]
            },
        ] as [String: Any])
    }
}

extension PosteriorSummary {
    /// posterior_summary.csv: one row per fitted value.
    public func csv() -> String {
        var out = csvLine(["parameter", "mean", "sd", "p05", "p50", "p95", "prior_sd", "sd_ratio", "informed"])
        for p in parameters {
            out += csvLine([p.path, formatNumber(p.mean), formatNumber(p.sd), formatNumber(p.p05), formatNumber(p.p50),
                            formatNumber(p.p95), formatNumber(p.priorSD), formatNumber(p.sdRatio), p.informed ? "true" : "false"])
        }
        return out
    }

    /// posterior_correlation.csv: the correlation matrix, a row and a column per fitted value.
    public func correlationCSV() -> String {
        var out = csvLine(["parameter"] + parameters.map(\.path))
        for (p, row) in zip(parameters, correlation) { out += csvLine([p.path] + row.map(formatNumber)) }
        return out
    }

    /// The lines `calibrate` prints: each value's summary and the flags.
    public func table() -> String {
        var lines = [pad("fitted value", 48) + padLeft("mean", 12) + padLeft("sd", 12) + padLeft("p05", 12) + padLeft("p50", 12)
                     + padLeft("p95", 12) + padLeft("sd/prior", 10)]
        for p in parameters {
            lines.append(pad(p.path, 48) + [p.mean, p.sd, p.p05, p.p50, p.p95].map { padLeft(String(format: "%.6g", $0), 12) }.joined()
                         + padLeft(String(format: "%.2f", p.sdRatio), 10)
                         + (p.informed ? "" : "  not informed (the targets barely narrow the prior)"))
        }
        for (i, j, r) in tradeOffs {
            lines.append("trade-off: \(parameters[i].path) and \(parameters[j].path) correlate \(String(format: "%+.2f", r)): "
                         + "the targets pin down a combination of the two, not each")
        }
        return lines.joined(separator: "\n")
    }
}
