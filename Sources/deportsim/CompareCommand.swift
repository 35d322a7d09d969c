import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import DeportSimReport
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run a scenario and hold it against reported figures (its targets, or --targets FILE).",
        discussion: """
        Prints each target's reported value, simulated mean, 90% interval and \
        relative error. A target fails when the 90% interval misses the \
        reported value and the relative error exceeds its tolerance (default \
        0.1). Writes comparison.csv, summary.csv and run.json to \
        Results/<scenario name>/ (or --out). Exit status 1 when any target \
        fails, 2 for bad input. Also writes restriction.csv when the scenario \
        has a restriction rule; result files of an earlier command in the \
        folder are removed.
        """)

    @OptionGroup var input: ScenarioOptions
    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Targets file (a list, or a mapping with `targets:`); replaces the scenario's own targets.")
    var targets: String?

    @Flag(help: "Also write report.html into the folder (as `deportsim report`).")
    var report = false

    @Option(help: "Output folder (default: Results/<scenario name>).")
    var out: String?

    func run() throws {
        let started = Date()
        let loaded = try input.load()
        let scenario = loaded.scenario
        let targetList = try TargetParser.forCommand(file: targets, loaded: loaded, purpose: "compare against")
        let options = RunOptions(replications: simulation.replications ?? scenario.replications, jobs: simulation.jobCount,
                                 generator: simulation.generator, period: scenario.outputPeriod, seed: simulation.seed,
                                 memoryBudgetBytes: simulation.memoryBudget.bytes)
        let folder = out ?? "Results/\(scenario.name)"
        try MemoryCheck.require(MemoryEstimate(scenario: scenario, options: options), scenarioFile: loaded.file)
        try makeOutputFolder(folder)
        let progress = Progress(label: "replications", total: options.replications)
        let (result, rows) = Comparison.run(scenario, targets: targetList, options: options, progress: progress.update)
        try AtomicFile.write(ResultWriter.summaryCSV(result.summary, threads: options.jobs), to: folder + "/summary.csv")
        try AtomicFile.write(Comparison.csv(rows), to: folder + "/comparison.csv")
        let files = ["summary.csv", "comparison.csv"] + (try ResultWriter.writeRestriction(result, scenario: scenario, folder: folder))
        removeStaleResults(in: folder, keeping: files + ["run.json"] + (report ? ["report.html"] : []))
        try AtomicFile.write(try RunMetadata.json(loaded: loaded, options: options, started: started,
                                                  seconds: Date().timeIntervalSince(started),
                                                  files: files, quantileMethod: result.quantileMethod,
                                                  extra: ["targets_file": targets ?? loaded.file]), to: folder + "/run.json")
        print("\(scenario.name): \(options.replications) replications, seed \(options.seed ?? scenario.seed)")
        print(Comparison.table(rows, contents: IntervalContents.of(scenario)))
        print("wrote \(folder)/: " + (files + ["run.json"]).joined(separator: ", "))
        if report { print("wrote \(try Report.write(folder: folder))") }
        let failed = rows.filter { !$0.passes }.count
        if failed > 0 { throw FailedTargets(count: failed) }
    }
}
