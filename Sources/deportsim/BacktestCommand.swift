import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Calibrate on the figures reported before a date, forecast those after it, and score the forecasts.",
        discussion: """
        For each --origin: the targets whose period ends before the origin are \
        fitted (whatever their role) by the posterior sampler of `calibrate \
        --posterior` (ABC-SMC, Toni et al. 2009, with the adaptive tolerance \
        schedule of Del Moral, Doucet & Jasra 2012; uniform priors on the --fit \
        ranges; observation model log(1 + reported) ~ Normal(log(1 + simulated \
        mean), max(tolerance, 0.05)^2)). The targets whose period starts on or \
        after the origin are forecast with the posterior: replication r runs \
        posterior draw r mod N with replication index r (common random \
        numbers), so the intervals include simulation noise and parameter \
        uncertainty. Targets whose period straddles the origin are neither \
        fitted nor scored.

        Each forecast is scored: inside its 50% (p25-p75) and 90% (p05-p95) \
        intervals (exact sample quantiles), the interval score of the 90% \
        interval (Gneiting & Raftery 2007, alpha 0.1), the CRPS of the \
        replications (mean |X - y| - mean |X - X'| / 2 over all pairs), and \
        against the naive forecast (the last value reported before the origin \
        for the same metric, country and period kind, carried forward). \
        horizon_months counts the month of the origin as 1.

        Writes to Results/<scenario name>-backtest/ (or --out): backtest.csv, \
        backtest_summary.csv (per horizon and all), posterior-<origin>.csv, \
        run.json. Resumable as `calibrate --posterior`: each origin's \
        sampler saves posterior-checkpoint-<origin>.json after every \
        generation, and the same command resumes from them (--fresh starts \
        over); they are deleted when the results are written. \
        Exit status 0 whatever the scores (misses are what a \
        backtest measures); 2 for bad input, including an origin outside the \
        run or with no targets before or after it.
        """)

    @OptionGroup var input: ScenarioOptions
    @OptionGroup var simulation: SimulationOptions

    @Option(name: .customLong("fit"), help: ArgumentHelp("A value to fit and its bounds, e.g. countries.CHN.encounters.per_day=20..120 (repeatable).", valueName: "path=low..high"))
    var fits: [String] = []

    @Option(name: .customLong("origin"), help: ArgumentHelp("A forecast origin, a date inside the run (repeatable).", valueName: "date"))
    var origins: [String] = []

    @Option(help: "Targets file; replaces the scenario's own targets.")
    var targets: String?

    @Option(help: ArgumentHelp("Posterior draws per origin.", valueName: "N"))
    var posterior: Int = 100

    @Option(help: "Forecast replications per origin (default: the larger of N and the scenario's replications).")
    var forecastReplications: Int?

    @Option(help: "Output folder (default: Results/<scenario name>-backtest).")
    var out: String?

    @Flag(help: "Delete the output folder's posterior checkpoints of these origins, if any, and start the samplers over.")
    var fresh = false

    func validate() throws {
        if fits.isEmpty { throw ValidationError("give at least one --fit PATH=LOW..HIGH") }
        if origins.isEmpty { throw ValidationError("give at least one --origin DATE") }
        if posterior < 10 || posterior > 10_000 { throw ValidationError("--posterior must be 10 to 10000 draws, found \(posterior)") }
        if let r = forecastReplications, r < 1 { throw ValidationError("--forecast-replications must be at least 1, found \(r)") }
    }

    func run() throws {
        let started = Date()
        let loaded = try input.load()
        let base = loaded.scenario
        let targetList = try TargetParser.forCommand(file: targets, loaded: loaded, purpose: "backtest")
        let parameters = try FitParameter.parseAll(fits, loaded: loaded)
        let plan = try origins.map { text in try Self.origin(text, targets: targetList, scenario: base) }
        let seed = simulation.seed ?? base.seed
        let evaluation = RunOptions(replications: simulation.replications ?? CalibrateCommand.posteriorReplications,
                                    jobs: simulation.jobCount, generator: simulation.generator, period: .total, seed: seed,
                                    memoryBudgetBytes: simulation.memoryBudget.bytes)
        let forecastOptions = RunOptions(replications: forecastReplications ?? max(posterior, base.replications), jobs: simulation.jobCount,
                                         generator: simulation.generator, period: base.outputPeriod, seed: seed,
                                         memoryBudgetBytes: simulation.memoryBudget.bytes)
        let forecastNeed = MemoryEstimate(posteriorRun: base, options: forecastOptions, draws: posterior,
                                          targets: plan.map(\.2.count).max() ?? 0)
        try MemoryCheck.require(MemoryEstimate.largest([MemoryEstimate(scenario: base, options: evaluation), forecastNeed]),
                                scenarioFile: loaded.file, what: "the backtest", advice: MemoryCheck.calibrationAdvice)
        let calibration = PosteriorCalibration(loaded: loaded, parameters: parameters, evaluation: evaluation,
                                               settings: PosteriorSettings(draws: posterior, seed: seed, jobs: simulation.jobCount))
        let folder = out ?? "Results/\(base.name)-backtest"
        var rows: [Backtest.Row] = []
        var posteriors: [(CivilDate, Posterior)] = []
        var checkpoints: [PosteriorCheckpointFile] = []
        try makeOutputFolder(folder)
        for (origin, known, forecast) in plan {
            print("origin \(origin): fitting \(known.count) targets reported before it, forecasting \(forecast.count)")
            // One checkpoint per origin; a finished origin's stays until the whole backtest is written.
            let file = calibration.checkpoint(at: folder + "/posterior-checkpoint-\(origin).json", command: "backtest --origin \(origin)",
                                              targets: known)
            let draws = try calibration.sample(targets: known, label: "origin \(origin)", checkpoint: file, fresh: fresh)
            checkpoints.append(file)
            PosteriorCalibration.report(draws, PosteriorSummary(draws))
            let bar = Progress(label: "origin \(origin) forecast", total: forecastOptions.replications)
            let result = PosteriorPredictive.run(scenarios: try calibration.scenarios(draws), targets: forecast,
                                                 options: forecastOptions, progress: bar.update)
            rows += zip(forecast, result.values).map { t, sample in
                Backtest.Row(origin: origin, target: t, sample: sample, naive: Backtest.naive(for: t, known: known))
            }
            posteriors.append((origin, draws))
        }
        let summaries = Backtest.summaries(rows)
        var files = ["backtest.csv", "backtest_summary.csv"]
        try AtomicFile.write(Backtest.csv(rows), to: folder + "/backtest.csv")
        try AtomicFile.write(Backtest.summaryCSV(summaries), to: folder + "/backtest_summary.csv")
        for (origin, draws) in posteriors {
            let name = "posterior-\(origin).csv"
            try AtomicFile.write(draws.csv(), to: folder + "/" + name)
            files.append(name)
        }
        removeStaleResults(in: folder, keeping: files + ["run.json"])
        let contents = Self.contents(of: base)
        try AtomicFile.write(try RunMetadata.json(loaded: loaded, options: forecastOptions, started: started,
                                                  seconds: Date().timeIntervalSince(started), files: files,
                                                  // backtest.csv's quantiles come from each target's whole sample (Scoring.swift).
                                                  quantileMethod: .exact,
                                                  extra: ["interval_includes": contents.label,
                                                          "backtest": ["origins": plan.map { $0.0.description }, "posterior_draws": posterior,
                                                                       "replications_per_evaluation": evaluation.replications,
                                                                       "fit": fits,
                                                                       "evaluations": posteriors.map { $0.1.evaluations },
                                                                       "acceptance_rate": posteriors.map { $0.1.acceptanceRate }]]),
                             to: folder + "/run.json")
        checkpoints.forEach { $0.remove() }
        print(Backtest.summaryTable(summaries, contents: contents))
        print("wrote \(folder)/: " + (files + ["run.json"]).joined(separator: ", "))
    }

    /// Forecasts from a posterior carry parameter uncertainty on top of what the scenario has.
    static func contents(of scenario: Scenario) -> IntervalContents {
        IntervalContents(parameterUncertainty: true, shocks: IntervalContents.of(scenario).shocks)
    }

    /// An origin and the targets on each side of it; located errors for a bad
    /// date, one outside the run, or no targets before or after it.
    static func origin(_ text: String, targets: [Target], scenario: Scenario) throws -> (CivilDate, [Target], [Target]) {
        let here = SourceLocation(file: "--origin \(text)", line: 0, column: 0)
        guard let date = CivilDate(iso: text) else {
            throw DeportSimError.badInput(here, "origin", "expected a date YYYY-MM-DD, found '\(text)'")
        }
        guard date > scenario.start, date <= scenario.end else {
            throw DeportSimError.badInput(here, "origin", "expected a date after the run's first day \(scenario.start) and at most its last \(scenario.end)")
        }
        let (known, forecast) = Backtest.split(targets, origin: date)
        if known.isEmpty { throw DeportSimError.badInput(here, "origin", "no target's period ends before \(date): nothing to calibrate on") }
        if forecast.isEmpty { throw DeportSimError.badInput(here, "origin", "no target's period starts on or after \(date): nothing to forecast") }
        return (date, known, forecast)
    }
}
