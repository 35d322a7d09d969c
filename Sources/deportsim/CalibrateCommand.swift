import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit scenario values to reported figures with GSL's Nelder-Mead simplex.",
        discussion: """
        Minimizes the weighted sum of squared relative errors of the simulated \
        means of the targets, sum_i w_i ((mean_i - reported_i) / max(|reported_i|, 1))^2, \
        with gsl_multimin_fminimizer_nmsimplex2. Every evaluation runs the same \
        replications with the same seed (common random numbers), so the loss \
        changes only through the fitted values. Bounds are kept by fitting u \
        with value = LOW + (HIGH - LOW) / (1 + exp(-u)); whole-number values \
        are rounded. The start is the scenario's current value, or the middle of \
        the bounds when that value is not strictly inside them. `name`, \
        `start`, `end`, `seed`, `replications`, `output`, `events` and \
        `targets` cannot be fitted; each path may be fitted once.

        Stop rule: when GSL's simplex size (mean distance of the vertices to \
        their centre, in u units) falls below --tolerance, or after \
        --max-iterations iterations, whichever comes first.

        Writes to Results/<scenario name>-calibrated/ (or --out): \
        calibrated.yaml, an overlay that extends the original with only the \
        fitted values (loss and date in a comment), and the comparison of \
        the fit (comparison.csv, summary.csv, run.json).
        """)

    @OptionGroup var input: ScenarioOptions
    @OptionGroup var simulation: SimulationOptions

    @Option(name: .customLong("fit"), help: ArgumentHelp("A value to fit and its bounds, e.g. countries.CHN.encounters.per_day=20..120 (repeatable).", valueName: "path=low..high"))
    var fits: [String] = []

    @Option(help: "Targets file; replaces the scenario's own targets.")
    var targets: String?

    @Option(help: "Stop when the simplex size (in fitted u units) is below this.")
    var tolerance: Double = 0.01

    @Option(help: "Stop after this many iterations.")
    var maxIterations: Int = 80

    @Option(help: "Output folder (default: Results/<scenario name>-calibrated).")
    var out: String?

    func validate() throws {
        if fits.isEmpty { throw ValidationError("give at least one --fit PATH=LOW..HIGH") }
        if !(tolerance > 0) { throw ValidationError("--tolerance must be positive, found \(tolerance)") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1, found \(maxIterations)") }
    }

    func run() throws {
        let started = Date()
        let loaded = try input.load()
        let base = loaded.scenario
        let targetList = try TargetParser.forCommand(file: targets, loaded: loaded, purpose: "fit")
        let parameters = try fits.map { try FitParameter.parse($0, tree: loaded.tree) }
        for p in parameters {
            for warning in base.eventOverrideWarnings(path: p.path, what: "fitted") { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        }
        var seen = Set<String>()
        for (p, text) in zip(parameters, fits) where !seen.insert(p.path).inserted {
            throw DeportSimError.badInput(SourceLocation(file: "--fit \(text)", line: 0, column: 0), p.path, "this path is fitted twice; give each --fit path once")
        }
        let options = RunOptions(replications: simulation.replications ?? base.replications, jobs: simulation.jobCount,
                                 generator: simulation.generator, period: .total, seed: simulation.seed,
                                 memoryBudgetBytes: simulation.memoryBudget.bytes)
        // Check the bounds once, so a value the scenario rejects is reported before fitting.
        for p in parameters {
            for x in [p.low, p.high] {
                _ = try ScenarioLoader.build(tree: try Calibration.tree(loaded.tree, [p], [p.integer ? x.rounded() : x]), file: loaded.file)
            }
        }

        let starts = parameters.map { p in p.start(from: TreePaths.get(loaded.tree, path: p.path)?.scalarText.flatMap(Double.init)) }
        for note in starts.compactMap(\.note) { print("note: " + note) }
        print("calibrating \(parameters.count) value\(parameters.count == 1 ? "" : "s") of \(base.name) against \(targetList.count) targets, \(options.replications) replications per evaluation")
        let fit = try Calibration.fit(parameters, start: starts.map(\.u), targets: targetList, options: options,
                                      sizeTolerance: tolerance, maxIterations: maxIterations,
                                      scenario: { values in
                                          try ScenarioLoader.build(tree: try Calibration.tree(loaded.tree, parameters, values), file: loaded.file).scenario
                                      }) { it in
            let values = zip(parameters, it.values).map { "\($0.path)=\(formatNumber($1))" }.joined(separator: " ")
            print(String(format: "iteration %3d  loss %.6g  simplex size %.4g  ", it.iteration, it.loss, it.simplexSize) + values)
            fflush(nil)
        }
        let values = fit.values
        let fittedTree = try Calibration.tree(loaded.tree, parameters, values)
        let fitted = try ScenarioLoader.build(tree: fittedTree, file: loaded.file)

        let folder = out ?? "Results/\(base.name)-calibrated"
        try makeOutputFolder(folder)
        let check = RunOptions(replications: options.replications, jobs: options.jobs, generator: options.generator,
                               period: base.outputPeriod, seed: options.seed, memoryBudgetBytes: options.memoryBudgetBytes)
        let (result, rows) = Comparison.run(fitted.scenario, targets: targetList, options: check)
        let loss = Calibration.loss(rows)
        removeStaleResults(in: folder, keeping: ["calibrated.yaml", "summary.csv", "comparison.csv", "run.json"])
        let overlayPath = folder + "/calibrated.yaml"
        let header = ["Calibrated by `deportsim calibrate` on \(ISO8601DateFormatter().string(from: started)).",
                      "Loss (weighted sum of squared relative errors) \(formatNumber(loss)) over \(targetList.count) targets,",
                      "\(options.replications) replications, seed \(options.seed ?? base.seed); \(fit.iterations) iterations, \(fit.evaluations) evaluations, \(fit.converged ? "converged" : "stopped at --max-iterations").",
                      "Fitted: " + zip(parameters, values).map { "\($0.path) in \(formatNumber($0.low))..\(formatNumber($0.high)) -> \(formatNumber($1))" }.joined(separator: "; ")]
        try AtomicFile.write(Calibration.overlay(fitted: fittedTree, paths: parameters.map(\.path),
                                                 extends: relativePath(from: folder, to: loaded.file),
                                                 name: base.name + "-calibrated", header: header), to: overlayPath)
        try AtomicFile.write(ResultWriter.summaryCSV(result.summary), to: folder + "/summary.csv")
        try AtomicFile.write(Comparison.csv(rows), to: folder + "/comparison.csv")
        try AtomicFile.write(try RunMetadata.json(loaded: fitted, options: check, started: started,
                                                  seconds: Date().timeIntervalSince(started),
                                                  files: ["calibrated.yaml", "summary.csv", "comparison.csv"],
                                                  quantileMethod: result.quantileMethod,
                                                  extra: ["fitted": Dictionary(zip(parameters.map(\.path), values), uniquingKeysWith: { a, _ in a }),
                                                          "loss": loss]), to: folder + "/run.json")
        print(Comparison.table(rows))
        print("loss \(formatNumber(loss)); wrote \(overlayPath) and \(folder)/comparison.csv")
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
