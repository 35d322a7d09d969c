import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation

/// The fitting half of `calibrate --posterior` and `backtest`, written once:
/// the scenario holding a set of fitted values, its log-likelihood under the
/// observation model, and the sampler run with a progress bar.
struct PosteriorCalibration {
    let loaded: LoadedScenario
    let parameters: [FitParameter]
    /// Options of one evaluation: its replications, seed and generator (jobs are the sampler's).
    let evaluation: RunOptions
    let settings: PosteriorSettings

    /// The scenario with `values` (scenario units) set at the fitted paths.
    var scenario: @Sendable ([Double]) throws -> Scenario {
        let tree = loaded.tree, file = loaded.file, parameters = parameters
        return { values in try ScenarioLoader.build(tree: try Calibration.tree(tree, parameters, values), file: file).scenario }
    }

    /// The checkpoint of a sampler run on `targets`, at `path` (docs/model.md, 10.3).
    func checkpoint(at path: String, command: String, targets: [Target]) -> PosteriorCheckpointFile {
        PosteriorCheckpointFile(path: path, command: command, loaded: loaded, parameters: parameters, targets: targets,
                                evaluation: evaluation, settings: settings)
    }

    /// Draws the posterior given `targets`, printing one line per generation
    /// and saving the sampler's state to `checkpoint` after each; resumes from
    /// that checkpoint when it holds this calibration (unless `fresh`).
    func sample(targets: [Target], label: String, checkpoint file: PosteriorCheckpointFile, fresh: Bool) throws -> Posterior {
        var oneJob = evaluation
        oneJob.jobs = 1  // particles run in parallel, each on one thread
        let build = scenario, options = oneJob
        var bar: Progress?
        var phase = ""
        let printGeneration: (PosteriorGeneration) -> Void = { g in
            print(String(format: "generation %2d  tolerance %.6g  ESS %.1f  acceptance %.3f  distance best %.6g median %.6g  (%d evaluations)",
                         g.index, g.tolerance, g.effectiveSampleSize, g.acceptanceRate, g.bestDistance, g.medianDistance, g.evaluations))
            fflush(nil)
        }
        let saved = try file.load(fresh: fresh)
        if let saved {
            print("resuming from generation \(saved.generation) (\(file.path)\(saved.finished ? "; the sampler had finished" : ""))")
            saved.generations.forEach(printGeneration)
        }
        return try PosteriorSampler.sample(parameters, settings: settings, resumingFrom: saved, logLikelihood: { values in
            guard let s = try? build(values) else { return -.infinity }
            return ObservationModel.logLikelihood(Comparison.run(s, targets: targets, options: options).1)
        }, progress: { done, total, name in
            if name != phase {
                phase = name
                bar = Progress(label: "\(label) \(name)", unit: "evaluations", total: total, logsWhenNotATerminal: true)
            }
            bar?.update(done, total)
        }, generation: printGeneration, checkpoint: { state in
            try file.save(state)
            InterruptCleanup.shared.resumeHint = "the same command resumes from generation \(state.generation) (\(file.path))"
        })
    }

    /// One scenario per draw, for the posterior predictive runs.
    func scenarios(_ posterior: Posterior) throws -> [Scenario] { try posterior.draws.map(scenario) }

    /// Prints the sampler's diagnostics and the summary of the draws.
    static func report(_ posterior: Posterior, _ summary: PosteriorSummary) {
        print("posterior: \(posterior.draws.count) draws (\(posterior.distinctDraws) distinct), \(posterior.evaluations) evaluations, "
              + "acceptance rate \(String(format: "%.3f", posterior.acceptanceRate)), effective sample size "
              + String(format: "%.1f", posterior.effectiveSampleSize) + " in the last generation")
        if !posterior.reachedObservationModel {
            print("warning: stopped at the generation limit with tolerance \(String(format: "%.6g", posterior.generations.last?.tolerance ?? .infinity)) > 1: "
                  + "the draws are wider than the posterior")
        }
        print(summary.table())
    }
}
