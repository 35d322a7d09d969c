import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit scenario values to reported figures: one point (Nelder-Mead) or a posterior (--posterior N, ABC-SMC).",
        discussion: """
        Fits the --fit values: `name`, `start`, `end`, `seed`, `replications`, \
        `output`, `events` and `targets` cannot be fitted, but the value an \
        event sets can, by the event's id: events.<id>.set.<path> \
        (calibrated.yaml then changes that event); each path may be fitted \
        once. The start is the scenario's current value, or the middle of the \
        bounds when that value is not strictly inside them. \
        Only targets with role: fit (the default) are fitted; role: check \
        targets are held against the result and reported apart. The final \
        comparison covers all targets; exit status 1 when one fails (as \
        `compare`), after every file is written.

        Point fit: minimizes the weighted sum of squared relative errors of the \
        simulated means, sum_i w_i ((mean_i - reported_i) / max(|reported_i|, 1))^2, \
        with gsl_multimin_fminimizer_nmsimplex2 (Nelder & Mead 1965). Every \
        evaluation runs the same replications with the same seed (common \
        random numbers). Bounds are kept by fitting u with value = LOW + \
        (HIGH - LOW) / (1 + exp(-u)); whole-number values are rounded. Stops \
        when the simplex size falls below --tolerance or after --max-iterations.

        --posterior N: N draws from the posterior, priors uniform on the --fit \
        ranges, observation model log(1 + reported) ~ Normal(log(1 + simulated \
        mean), max(tolerance, 0.05)^2), by ABC-SMC (Toni et al. 2009) with a \
        Gaussian kernel and the adaptive tolerance schedule of Del Moral, \
        Doucet & Jasra (2012): each generation lowers the tolerance until the \
        effective sample size is N/2, resamples and moves every particle by \
        two random-walk Metropolis steps (covariance of the particles x \
        2.38^2/d; Haario et al. 2001); it stops at tolerance 1, where the \
        kernel is the observation model (Wilkinson 2013), or after 30 \
        generations. -r sets the replications per evaluation (default 20). \
        All draws come from GSL. Writes posterior.csv, posterior_summary.csv, \
        posterior_correlation.csv and posterior_diagnostics.json, and flags \
        values the targets do not inform (posterior sd > 0.8 prior sd) and \
        pairs that trade off (|correlation| > 0.8). The final comparison runs \
        one replication per draw. \
        Resumable: after every generation the sampler's state (particles, \
        tolerance, counts and the GSL stream's state) is saved to \
        posterior-checkpoint.json in the output folder; the same command \
        with the same --out resumes from it ("resuming from generation k") \
        and writes the files an uninterrupted run writes. A checkpoint of \
        another calibration (scenario, --set, --fit, targets, N, -r, \
        --seed, --rng) is refused (exit 2) naming what differs; --fresh \
        deletes it and starts over. It is deleted when the results are \
        written. See docs/model.md, 10.2-10.3.

        Writes to Results/<scenario name>-calibrated/ (or --out): \
        calibrated.yaml, an overlay that extends the original (by absolute \
        path, then relative, so a moved folder still loads) with only the \
        fitted values (the best draw with --posterior, which it refers to by \
        `uncertain: { from: posterior.csv }`), and the comparison of the fit \
        (comparison.csv, summary.csv, run.json). `name`, `start`, `end`, \
        `seed`, `replications`, `output`, `events` and `targets` cannot be \
        fitted; each path may be fitted once.
        """)

    @OptionGroup var input: ScenarioOptions
    @OptionGroup var simulation: SimulationOptions

    @Option(name: .customLong("fit"), help: ArgumentHelp("A value to fit and its bounds, e.g. countries.CHN.encounters.per_day=20..120 (repeatable).", valueName: "path=low..high"))
    var fits: [String] = []

    @Option(help: "Targets file; replaces the scenario's own targets.")
    var targets: String?

    @Option(help: ArgumentHelp("Draw N parameter sets from the posterior (ABC-SMC) instead of fitting one point.", valueName: "N"))
    var posterior: Int?

    @Option(help: "Stop when the simplex size (in fitted u units) is below this (point fit).")
    var tolerance: Double = 0.01

    @Option(help: "Stop after this many iterations (point fit).")
    var maxIterations: Int = 80

    @Option(help: "Output folder (default: Results/<scenario name>-calibrated).")
    var out: String?

    @Flag(help: "With --posterior: delete the output folder's posterior-checkpoint.json, if any, and start the sampler over.")
    var fresh = false

    /// The sampler's checkpoint in the output folder (docs/model.md, 10.3).
    static let checkpointName = "posterior-checkpoint.json"

    /// Replications of one evaluation with --posterior when -r is not given:
    /// enough for a mean within a few percent on the shipped scenarios' monthly
    /// counts, few enough for thousands of evaluations.
    static let posteriorReplications = 20

    func validate() throws {
        if fits.isEmpty { throw ValidationError("give at least one --fit PATH=LOW..HIGH") }
        if !(tolerance > 0) { throw ValidationError("--tolerance must be positive, found \(tolerance)") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1, found \(maxIterations)") }
        if let n = posterior, n < 10 || n > 10_000 { throw ValidationError("--posterior must be 10 to 10000 draws, found \(n)") }
        if fresh && posterior == nil { throw ValidationError("--fresh starts a --posterior calibration over; a point fit has no checkpoint") }
    }

    func run() throws {
        let started = Date()
        let loaded = try input.load()
        let base = loaded.scenario
        let targetList = try TargetParser.forCommand(file: targets, loaded: loaded, purpose: "fit")
        let fitTargets = try FitTargets.select(targetList, file: targets ?? loaded.file)
        let parameters = try FitParameter.parseAll(fits, loaded: loaded)
        let seed = simulation.seed ?? base.seed
        let options = RunOptions(replications: simulation.replications ?? (posterior == nil ? base.replications : Self.posteriorReplications),
                                 jobs: simulation.jobCount, generator: simulation.generator, period: .total, seed: seed,
                                 memoryBudgetBytes: simulation.memoryBudget.bytes)
        // The final check runs every posterior draw once (or the fitted values), at the scenario's period.
        let check = RunOptions(replications: posterior ?? options.replications, jobs: options.jobs,
                               generator: options.generator, period: base.outputPeriod, seed: options.seed,
                               memoryBudgetBytes: options.memoryBudgetBytes)
        let checkNeed = posterior.map { MemoryEstimate(posteriorRun: base, options: check, draws: $0, targets: targetList.count) }
            ?? MemoryEstimate(scenario: base, options: check)
        try MemoryCheck.require(MemoryEstimate.largest([MemoryEstimate(scenario: base, options: options), checkNeed]),
                                scenarioFile: loaded.file, what: "the calibration", advice: MemoryCheck.calibrationAdvice)
        let folder = out ?? "Results/\(base.name)-calibrated"
        let checks = targetList.count - fitTargets.count
        print("calibrating \(parameters.count) value\(parameters.count == 1 ? "" : "s") of \(base.name) against \(fitTargets.count) targets"
              + (checks > 0 ? " (\(checks) check target\(checks == 1 ? "" : "s") not fitted)" : "")
              + ", \(options.replications) replications per evaluation")

        var header: [String]
        var values: [Double]
        var posteriorDraws: Posterior?
        var files: [String] = []
        var extra: [String: Any] = [:]
        var checkpoint: PosteriorCheckpointFile?
        if let n = posterior {
            let calibration = PosteriorCalibration(loaded: loaded, parameters: parameters, evaluation: options,
                                                   settings: PosteriorSettings(draws: n, seed: seed, jobs: options.jobs))
            try makeOutputFolder(folder)
            let file = calibration.checkpoint(at: folder + "/" + Self.checkpointName, command: "calibrate --posterior", targets: fitTargets)
            let draws = try calibration.sample(targets: fitTargets, label: "posterior", checkpoint: file, fresh: fresh)
            checkpoint = file
            let summary = PosteriorSummary(draws)
            PosteriorCalibration.report(draws, summary)
            try AtomicFile.write(draws.csv(), to: folder + "/posterior.csv")
            try AtomicFile.write(summary.csv(), to: folder + "/posterior_summary.csv")
            try AtomicFile.write(summary.correlationCSV(), to: folder + "/posterior_correlation.csv")
            try AtomicFile.write(try draws.diagnosticsJSON(settings: calibration.settings, replicationsPerEvaluation: options.replications,
                                                           seconds: Date().timeIntervalSince(started)), to: folder + "/posterior_diagnostics.json")
            files = ["posterior.csv", "posterior_summary.csv", "posterior_correlation.csv", "posterior_diagnostics.json"]
            posteriorDraws = draws
            values = draws.best
            header = ["Calibrated by `deportsim calibrate --posterior \(n)` on \(ISO8601DateFormatter().string(from: started)).",
                      "ABC-SMC (Toni et al. 2009; tolerance schedule of Del Moral, Doucet & Jasra 2012): \(draws.generations.count) generations, "
                      + "\(draws.evaluations) evaluations of \(options.replications) replications, seed \(seed).",
                      "The values below are the best-fitting draw; posterior.csv holds all \(n) (summary: posterior_summary.csv)."]
            extra["posterior"] = ["draws": n, "file": "posterior.csv", "acceptance_rate": draws.acceptanceRate,
                                  "effective_sample_size": draws.effectiveSampleSize, "evaluations": draws.evaluations]
        } else {
            let starts = parameters.map { p in p.start(from: TreePaths.get(loaded.tree, path: p.path)?.scalarText.flatMap(Double.init)) }
            for note in starts.compactMap(\.note) { print("note: " + note) }
            let fit = try Calibration.fit(parameters, start: starts.map(\.u), targets: fitTargets, options: options,
                                          sizeTolerance: tolerance, maxIterations: maxIterations,
                                          scenario: { values in
                                              try ScenarioLoader.build(tree: try Calibration.tree(loaded.tree, parameters, values), file: loaded.file).scenario
                                          }) { it in
                let values = zip(parameters, it.values).map { "\($0.path)=\(formatNumber($1))" }.joined(separator: " ")
                print(String(format: "iteration %3d  loss %.9g  simplex size %.4g  ", it.iteration, it.loss, it.simplexSize) + values)
                fflush(nil)
            }
            values = fit.values
            header = ["Calibrated by `deportsim calibrate` on \(ISO8601DateFormatter().string(from: started)).",
                      "\(options.replications) replications, seed \(seed); \(fit.iterations) iterations, \(fit.evaluations) evaluations, \(fit.converged ? "converged" : "stopped at --max-iterations")."]
        }
        let fittedTree = try Calibration.tree(loaded.tree, parameters, values)
        let fitted = try ScenarioLoader.build(tree: fittedTree, file: loaded.file)

        try makeOutputFolder(folder)
        let contents: IntervalContents
        let summary: RunSummary, rows: [ComparisonRow]
        if let posteriorDraws {
            // The posterior predictive check: replication r on draw r.
            let scenarios = try posteriorDraws.draws.map { try ScenarioLoader.build(tree: try Calibration.tree(loaded.tree, parameters, $0), file: loaded.file).scenario }
            let bar = Progress(label: "posterior check", total: check.replications)
            let result = PosteriorPredictive.run(scenarios: scenarios, targets: targetList, options: check, progress: bar.update)
            summary = result.summary
            rows = Comparison.rows(targets: targetList, outcomes: result.outcomes)
            contents = IntervalContents(parameterUncertainty: true, shocks: IntervalContents.of(fitted.scenario).shocks)
        } else {
            let (result, r) = Comparison.run(fitted.scenario, targets: targetList, options: check)
            summary = result.summary; rows = r
            contents = IntervalContents.of(fitted.scenario)
        }
        let fittedRows = Comparison.rows(rows, role: .fit)
        let loss = Calibration.loss(fittedRows)
        header += ["Loss (weighted sum of squared relative errors of the means) \(formatNumber(loss)) over \(fittedRows.count) fitted targets.",
                   "Fitted: " + zip(parameters, values).map { "\($0.path) in \(formatNumber($0.low))..\(formatNumber($0.high)) -> \(formatNumber($1))" }.joined(separator: "; "),
                   "Base: \(loaded.file), SHA-256 \(loaded.fileSHA256); `extends` tries its absolute path, then the relative one.",
                   "Targets fitted (role: fit), from \(targets ?? loaded.file):"]
            + fitTargets.map { "  \($0.metricLabel) \($0.country) \($0.period) (line \($0.location.line))" }
            + (checks > 0 ? ["Check targets, not fitted (role: check):"]
               + targetList.filter { $0.role == .check }.map { "  \($0.metricLabel) \($0.country) \($0.period) (line \($0.location.line))" } : [])
        files = ["calibrated.yaml", "summary.csv", "comparison.csv"] + files
        removeStaleResults(in: folder, keeping: files + ["run.json"])
        let overlayPath = folder + "/calibrated.yaml"
        let absoluteBase = URL(fileURLWithPath: loaded.file).standardizedFileURL.path
        try AtomicFile.write(Calibration.overlay(fitted: fittedTree, paths: parameters.map(\.path),
                                                 extends: [absoluteBase, relativePath(from: folder, to: loaded.file)],
                                                 name: base.name + "-calibrated", header: header,
                                                 posterior: posteriorDraws == nil ? nil : "posterior.csv"), to: overlayPath)
        try AtomicFile.write(ResultWriter.summaryCSV(summary), to: folder + "/summary.csv")
        try AtomicFile.write(Comparison.csv(rows), to: folder + "/comparison.csv")
        extra["fitted"] = Dictionary(zip(parameters.map(\.path), values), uniquingKeysWith: { a, _ in a })
        extra["loss"] = loss
        extra["interval_includes"] = contents.label
        extra["fitted_targets"] = fitTargets.map { "\($0.metricLabel) \($0.country) \($0.period)" }
        try AtomicFile.write(try RunMetadata.json(loaded: fitted, options: check, started: started,
                                                  seconds: Date().timeIntervalSince(started),
                                                  files: files, quantileMethod: summary.statistics.method, extra: extra), to: folder + "/run.json")
        // Every result is in place: the sampler's checkpoint has served.
        checkpoint?.remove()
        print(Comparison.table(rows, contents: contents))
        print("loss \(String(format: "%.9g", loss)); wrote \(overlayPath) and \(folder)/: " + files.dropFirst().joined(separator: ", "))
        let failed = rows.filter { !$0.passes }.count
        if failed > 0 { throw FailedTargets(count: failed) }
    }
}

/// The targets a calibration fits: those with role fit (the default).
enum FitTargets {
    static func select(_ targets: [Target], file: String) throws -> [Target] {
        let fit = targets.filter { $0.role == .fit }
        if fit.isEmpty {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 0, column: 0), "targets",
                                          "every target has role: check; calibration needs at least one with role: fit (the default)")
        }
        return fit
    }
}

extension FitParameter {
    /// The --fit options of a command, each checked against the scenario:
    /// parsed, given once, and both bounds accepted by the scenario's checks.
    static func parseAll(_ fits: [String], loaded: LoadedScenario) throws -> [FitParameter] {
        let parameters = try fits.map { try FitParameter.parse($0, tree: loaded.tree) }
        // A value the scenario draws in every replication cannot be fitted:
        // every candidate would run with the draws instead (docs/model.md 8.7).
        for (p, text) in zip(parameters, fits) where loaded.scenario.drawsValue(at: p.path) {
            throw DeportSimError.badInput(SourceLocation(file: "--fit \(text)", line: 0, column: 0), p.path,
                                          "the scenario's uncertain: draws this value in every replication, so fitting it would have no effect; "
                                          + "add --set uncertain=null to fit it with the scenario's own values")
        }
        printWarnings(parameters.flatMap { loaded.scenario.overrideWarnings(path: $0.path, what: "fitted", alsoSet: parameters.map(\.path)) })
        var seen = Set<String>()
        for (p, text) in zip(parameters, fits) where !seen.insert(p.path).inserted {
            throw DeportSimError.badInput(SourceLocation(file: "--fit \(text)", line: 0, column: 0), p.path, "this path is fitted twice; give each --fit path once")
        }
        // Check the bounds once, so a value the scenario rejects is reported before fitting.
        for p in parameters {
            for x in [p.low, p.high] {
                _ = try ScenarioLoader.build(tree: try Calibration.tree(loaded.tree, [p], [p.integer ? x.rounded() : x]), file: loaded.file)
            }
        }
        return parameters
    }
}

/// The path of `target` relative to the folder `from` (both made absolute).
func relativePath(from folder: String, to target: String) -> String {
    let a = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
    let b = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
    var i = 0
    while i < a.count && i < b.count - 1 && a[i] == b[i] { i += 1 }
    return (Array(repeating: "..", count: a.count - i) + b[i...]).joined(separator: "/")
}
