import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import DeportSimReport
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What-if answers: paired differences between a baseline and its variants.",
        discussion: """
        Runs the baseline and every variant with common random numbers: \
        replication r of each uses the same seed and the same daily streams \
        for each country and route they share. Writes difference.csv \
        (variant,period_start,period_end,country,metric,baseline_mean, \
        variant_mean,difference_mean,difference_p05,difference_p95, \
        relative_change) per output period and difference_total.csv (the same \
        columns, one period: the whole run, flows summed and stocks at its \
        end), computed from per-replication paired differences, and prints \
        the largest changes over the whole run with 90% intervals. \
        Variants are scenario files (usually small `extends` overlays) or \
        --variant NAME:PATH=VALUE[,PATH=VALUE...] changes of the baseline; \
        they must cover the baseline's days.
        """)

    @Argument(help: "Baseline scenario file.")
    var baseline: String

    @Argument(help: "Variant scenario files.")
    var variantFiles: [String] = []

    @Option(name: .customLong("variant"), help: ArgumentHelp("A variant made of changes to the baseline, e.g. \"every3weeks:routes.china-charter.schedule={every_days: 21, first: 2024-06-29}\" or \"beds:capacity.detention_beds=45000,costs.detention_bed_day=180\" (repeatable).", valueName: "name:path=value,..."))
    var variantSpecs: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a value in the baseline and every variant (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Output period: day, week, month, fiscal_year, year, total (default: the baseline's output.period).")
    var period: PeriodKind?

    @Option(help: "Comma-separated metrics to difference (default: all).")
    var metrics: String?

    @Flag(help: "Also write report.html into the folder (as `deportsim report`).")
    var report = false

    @Option(help: "Output folder (default: Results/<baseline name>-diff).")
    var out: String?

    @Flag(help: "Give variants independent random streams instead (to measure what common random numbers gain).")
    var independent = false

    @Option(help: "How many of the largest changes to print.")
    var top: Int = 20

    func validate() throws {
        if variantFiles.isEmpty && variantSpecs.isEmpty {
            throw ValidationError("give at least one variant: a scenario file or --variant NAME:PATH=VALUE")
        }
        try CountFlag.top.check(top)
    }

    func run() throws {
        let started = Date()
        let base = try ScenarioLoader.load(file: baseline, overrides: overrides)
        var variants: [(name: String, scenario: LoadedScenario)] = []
        for file in variantFiles {
            do {
                let v = try ScenarioLoader.load(file: file, overrides: overrides)
                variants.append((v.scenario.name, v))
            } catch var e as DeportSimError {
                // The location may be in a file the variant extends: say which variant it was.
                if e.location?.file != file { e.message = "in variant \(file): " + e.message }
                throw e
            }
        }
        for spec in variantSpecs { variants.append(try Variants.fromSpec(spec, baseline: base)) }
        printWarnings(base.warnings + variants.flatMap(\.scenario.warnings))
        var names = Set<String>()
        for v in variants {
            try Variants.checkComparable(v.scenario, baseline: base)
            if !names.insert(v.name).inserted {
                throw DeportSimError.badInput(SourceLocation(file: v.scenario.file, line: 0, column: 0), "name", "two variants are named '\(v.name)'; give each its own name")
            }
        }
        let metricList: [Metric]
        if let metrics {
            metricList = try metrics.split(separator: ",").map { text in
                let name = text.trimmingCharacters(in: .whitespaces)
                guard let m = Metric(name: name) else {
                    let hint = didYouMean(name, in: Metric.allCases.map(\.name))
                    throw DeportSimError.badInput(SourceLocation(file: "--metrics \(metrics)", line: 0, column: 0), "", "unknown metric '\(name)'\(hint)")
                }
                return m
            }
        } else {
            metricList = Metric.allCases
        }
        let options = RunOptions(replications: simulation.replications ?? base.scenario.replications, jobs: simulation.jobCount,
                                 generator: simulation.generator, period: period ?? base.scenario.outputPeriod, seed: simulation.seed,
                                 memoryBudgetBytes: simulation.memoryBudget.bytes)
        let folder = out ?? "Results/\(base.scenario.name)-diff"
        try MemoryCheck.require(MemoryEstimate(scenario: base.scenario, options: options, summaries: 1 + 2 * variants.count,
                                               tablesPerReplication: 1 + variants.count), scenarioFile: base.file)
        try makeOutputFolder(folder)
        let progress = Progress(label: independent ? "replications" : "paired replications", total: options.replications)
        let result = DifferenceResult.run(baseline: base.scenario, variants: variants.map { ($0.name, $0.scenario.scenario) },
                                          options: options, metrics: metricList, independent: independent,
                                          progress: progress.update)
        // The whole-run table is written whatever the period: it answers the
        // question without `--period total` (with it, both files agree).
        let files = ["difference.csv", "difference_total.csv"]
        removeStaleResults(in: folder, keeping: files + ["run.json"] + (report ? ["report.html"] : []))
        try AtomicFile.write(Variants.csv(result.periodRows), to: folder + "/difference.csv")
        try AtomicFile.write(Variants.csv(result.totalRows), to: folder + "/difference_total.csv")
        try AtomicFile.write(try RunMetadata.json(
            loaded: base, options: options, started: started, seconds: Date().timeIntervalSince(started), files: files,
            quantileMethod: result.quantileMethod,
            extra: ["variants": variants.map { ["name": $0.name, "file": $0.scenario.file,
                                                "resolved_scenario_sha256": $0.scenario.resolvedSHA256,
                                                "events": Variants.eventsJSON($0.scenario.scenario)] as [String: Any] },
                    "common_random_numbers": !independent]), to: folder + "/run.json")
        print("\(base.scenario.name): \(options.replications) \(independent ? "replications of each, independent streams" : "paired replications, common random numbers"), seed \(options.seed ?? base.scenario.seed)")
        // With one modelled country, ALL repeats it: keep ALL only for the border-wide metrics.
        let single = base.scenario.parameters.countries.count == 1
        let rows = result.totalRows.filter { !(single && $0.country == "ALL" && Metric.perCountry.contains($0.metric)) }
        print(Self.table(rows, top: top, order: metrics == nil ? nil : metricList))
        print(Self.intervalLine(baseline: base.scenario, variants: variants.map { ($0.name, $0.scenario.scenario) }))
        print("wrote \(folder)/: " + files.joined(separator: ", ") + ", run.json")
        if report { print("wrote \(try Report.write(folder: folder))") }
    }

    /// What the intervals of the differences include (docs/model.md 10.1),
    /// as `run` and `compare` say it: one line, per scenario when they differ.
    static func intervalLine(baseline: Scenario, variants: [(name: String, scenario: Scenario)]) -> String {
        let base = IntervalContents.of(baseline)
        if variants.allSatisfy({ IntervalContents.of($0.scenario) == base }) { return "90% intervals include: " + base.label }
        return "90% intervals include: baseline " + base.label
            + variants.map { "; \($0.name) " + IntervalContents.of($0.scenario).label }.joined()
    }

    /// The largest changes over the whole run, by size relative to the
    /// baseline (those of half a unit or more on average); with `order`
    /// (the --metrics list), every row of those metrics, in that order.
    static func table(_ rows: [DifferenceResult.Row], top: Int, order: [Metric]? = nil) -> String {
        let ranked = rows.filter { order != nil || abs($0.differenceMean) >= 0.5 }
            .sorted { a, b in
                if let order, a.metric != b.metric {
                    return order.firstIndex(of: a.metric)! < order.firstIndex(of: b.metric)!
                }
                let ra = abs(a.relativeChange ?? .infinity), rb = abs(b.relativeChange ?? .infinity)
                return ra != rb ? ra > rb : abs(a.differenceMean) > abs(b.differenceMean)
            }
        func name(_ r: DifferenceResult.Row) -> String {
            "\(r.variant) / \(r.country) / \(r.metric.name)" + (r.metric.isStock ? " (end)" : "")
        }
        let width = max(40, (ranked.prefix(top).map { name($0).count }.max() ?? 0) + 2)
        var lines = [pad("whole run: variant / country / metric", width) + padLeft("baseline", 13) + padLeft("variant", 13)
                     + padLeft("difference", 13) + "   90% interval of the difference"]
        if ranked.isEmpty { lines.append("no metric changes by half a unit or more on average") }
        for r in ranked.prefix(top) {
            let rel = r.relativeChange.map { String(format: " (%+.1f%%)", 100 * $0) } ?? ""
            lines.append(pad(name(r), width) + padLeft(thousands(r.baselineMean), 13)
                         + padLeft(thousands(r.variantMean), 13) + padLeft(thousands(r.differenceMean), 13) + "   "
                         + thousands(r.differenceP05) + " to " + thousands(r.differenceP95) + rel
                         + (r.intervalContainsZero ? "  interval contains 0" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
