import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import DeportSimReport
import Foundation
import GSLSupport

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario's replications and write summary.csv and run.json.",
        discussion: """
        Writes to Results/<scenario name>/ unless --out is given: summary.csv \
        (period_start,period_end,country,metric,mean,sd,p05,p50,p95) per \
        output period, summary_total.csv (the same columns, one period: the \
        whole run, flows summed and stocks at its end), run.json \
        (provenance), restriction.csv (the share of replications with the \
        border-wide rule active, day by day, when the scenario has the rule), \
        and on request replications.csv and flights.csv. Result files of an \
        earlier command in the same folder are removed. Each \
        file is written under a temporary name and renamed when whole; \
        run.json is written last. Prints key totals with 90% intervals.
        """)

    @OptionGroup var input: ScenarioOptions
    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Output period: day, week (ISO, Monday first), month, fiscal_year (Oct-Sep), year, total (default: the scenario's output.period, else month).")
    var period: PeriodKind?

    @Option(help: "Output folder (default: Results/<scenario name>).")
    var out: String?

    @Flag(help: "Also write replications.csv: every replication's period values.")
    var writeReplications = false

    @Flag(help: "Also write flights.csv: every scheduled charter of every replication, flown or cancelled.")
    var writeFlights = false

    @Flag(help: "Also write parameters.csv: each replication's values of the scenario's uncertain inputs (replication, one column per path).")
    var writeParameters = false

    @Flag(help: "Also write report.html into the folder: the run's charts and tables in one self-contained HTML file (as `deportsim report`).")
    var report = false

    func run() throws {
        let started = Date()
        let loaded = try input.load()
        let scenario = loaded.scenario
        let options = RunOptions(
            replications: simulation.replications ?? scenario.replications, jobs: simulation.jobCount,
            generator: simulation.generator, period: period ?? scenario.outputPeriod, seed: simulation.seed,
            keepFlights: writeFlights, memoryBudgetBytes: simulation.memoryBudget.bytes)
        let folder = out ?? "Results/\(scenario.name)"
        if writeParameters && scenario.uncertainty.isEmpty {
            throw DeportSimError.badInput(SourceLocation(file: loaded.file, line: 0, column: 0), "uncertain",
                                          "--write-parameters needs uncertain inputs, and the scenario has none (docs/model.md 8.7)")
        }
        try MemoryCheck.require(MemoryEstimate(scenario: scenario, options: options), scenarioFile: loaded.file)
        try makeOutputFolder(folder)

        let calendar = PeriodCalendar(kind: options.period, start: scenario.start, end: scenario.end)
        let layout = CellLayout(periods: calendar.periods, countryCodes: scenario.parameters.countries.map(\.code),
                                reportsEncounterStreams: scenario.hasEncounterStreams)
        let replicationsFile = writeReplications ? try AtomicFile(folder + "/replications.csv") : nil
        let flightsFile = writeFlights ? try AtomicFile(folder + "/flights.csv") : nil
        let parametersFile = writeParameters ? try AtomicFile(folder + "/parameters.csv") : nil
        parametersFile?.write(UncertaintyOutput.parametersHeader(scenario.uncertainty))
        replicationsFile?.write(ResultWriter.replicationsHeader(layout))
        flightsFile?.write(csvLine(ResultWriter.flightsHeader))

        let progress = Progress(label: "replications", total: options.replications)
        let result = runScenario(scenario, options: options, progress: progress.update) { output in
            replicationsFile?.write(ResultWriter.replicationRows(output, layout: layout))
            flightsFile?.write(ResultWriter.flightRows(output, scenario: scenario))
            parametersFile?.write(UncertaintyOutput.parametersRow(output, scenario.uncertainty))
        }
        try replicationsFile?.commit()
        try parametersFile?.commit()
        try flightsFile?.commit()
        let summaryFile = try AtomicFile(folder + "/summary.csv")
        ResultWriter.writeSummary(result.summary, threads: options.jobs, to: summaryFile.write)
        try summaryFile.commit()
        // The whole run's rows whatever the period, so no one needs --period total for them.
        let wholeRunFile = try AtomicFile(folder + "/summary_total.csv")
        ResultWriter.writeSummary(result.wholeRun, threads: options.jobs, to: wholeRunFile.write)
        try wholeRunFile.commit()
        let files = ["summary.csv", "summary_total.csv"] + (writeReplications ? ["replications.csv"] : []) + (writeFlights ? ["flights.csv"] : [])
            + (writeParameters ? ["parameters.csv"] : [])
            + (try ResultWriter.writeRestriction(result, scenario: scenario, folder: folder))
        removeStaleResults(in: folder, keeping: files + ["run.json"] + (report ? ["report.html"] : []))
        let seconds = Date().timeIntervalSince(started)
        try AtomicFile.write(try RunMetadata.json(loaded: loaded, options: options, started: started, seconds: seconds,
                                                  files: files, quantileMethod: result.quantileMethod),
                             to: folder + "/run.json")
        print(HumanSummary.text(scenario: scenario, options: options, wholeRun: result.wholeRun,
                                folder: folder, files: files + ["run.json"], seconds: seconds))
        if report { print("wrote \(try Report.write(folder: folder))") }
    }
}

/// Key totals of a run, for the terminal: rows of the whole-run table
/// (summary_total.csv), so the terminal and the file give the same numbers.
enum HumanSummary {
    static let flowTotals: [Metric] = [.encounters, .encountersTotal, .bookIns, .removalsCharter, .removalsCommercial,
                                       .removals, .flights, .flightsCancelled, .releasedAtLimit, .restrictionDays, .costTotal]
    static let endStocks: [Metric] = [.pending, .atLarge, .detained]

    /// The printed lines' names and cells: flows over the run, stocks at its end, and removals of up to 25 countries.
    static func lines(for scenario: Scenario) -> [(name: String, country: String, metric: Metric)] {
        var lines = flowTotals.map { ($0.name, "ALL", $0) } + endStocks.map { ($0.name + " (end)", "ALL", $0) }
        if scenario.parameters.countries.count > 1 {
            lines += scenario.parameters.countries.prefix(25).map { ("removals \($0.code)", $0.code, Metric.removals) }
        }
        return lines
    }

    static func text(scenario: Scenario, options: RunOptions, wholeRun: RunSummary,
                     folder: String, files: [String], seconds: Double) -> String {
        var lines = ["\(scenario.name): \(scenario.start) to \(scenario.end), \(options.replications) replications, seed \(options.seed ?? scenario.seed) (\(String(format: "%.1f", seconds)) s)",
                     pad("whole run (ALL unless named)", 30) + padLeft("mean", 16) + "   90% interval"]
        var outside = false
        for line in Self.lines(for: scenario) {
            guard let row = wholeRun.row(periodIndex: 0, country: line.country, metric: line.metric) else { continue }
            // A skewed distribution's mean can lie outside its 5-95% range: say so, or it reads as a bug.
            let mark = row.mean < row.p05 || row.mean > row.p95 ? " *" : ""
            outside = outside || !mark.isEmpty
            // Where rounding would print the mean as an end of the interval, show its decimals.
            var mean = thousands(row.mean)
            if !mark.isEmpty && (mean == thousands(row.p05) || mean == thousands(row.p95)) { mean = String(format: "%.3f", row.mean) }
            lines.append(pad(line.name, 30) + padLeft(mean, 16)
                         + "   " + thousands(row.p05) + " to " + thousands(row.p95) + mark)
        }
        if outside {
            lines.append("* mean outside its 90% interval: the values are skewed (most replications alike, a few far off); the mean is their average")
        }
        lines.append("encounters, removals ...: the modelled countries together (ALL); encounters_total adds the other nationalities")
        // Every printed interval says what it includes (docs/model.md 10.1), as compare's do.
        lines.append("90% intervals include: " + IntervalContents.of(scenario).label)
        lines.append("wrote \(folder)/: " + files.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

}

