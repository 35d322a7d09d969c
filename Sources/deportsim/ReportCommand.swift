import ArgumentParser
import DeportSimIO
import DeportSimReport
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a results folder's report: one self-contained HTML file to open, print and send.",
        discussion: """
        Reads what the folder holds (summary.csv and run.json of a run; \
        flights.csv; comparison.csv of a comparison; points.csv, \
        outcomes_summary.csv and sweep.json of a sweep; difference.csv of a \
        diff) and writes charts as inline SVG, with no fonts or anything \
        fetched from the network; its one script adds buttons that save a \
        chart as SVG or PNG. Default output: \
        RESULTS_DIR/report.html.
        """)

    @Argument(help: "A results folder written by run, compare, sweep or diff.")
    var resultsDir: String

    @Option(help: "Output file (default: RESULTS_DIR/report.html).")
    var out: String?

    func run() throws {
        print("wrote \(try Report.write(folder: resultsDir, to: out))")
    }
}
