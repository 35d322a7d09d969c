import ArgumentParser
import DeportSimIO
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shards of a sweep into the files a single run writes.",
        discussion: """
        Each DIR is a shard folder (holding sweep.json) or a folder of \
        shard-K-of-N folders. Checks that all shards come from the same \
        scenario and spec (their hashes in sweep.json) and that every point \
        is present exactly once, then writes points.csv, outcomes.csv and \
        outcomes_summary.csv, byte-identical to a single-process run, and \
        sweep.json; for a saltelli or morris sweep also sensitivity.csv and \
        replication_noise.csv. Exit status 2 with a message when a check fails; nothing \
        is written then.
        """)

    @Argument(help: "Shard folders, or a folder holding shard-K-of-N folders.")
    var dirs: [String]

    @Option(help: "Folder for the merged files (default: the one DIR, when it holds shard-K-of-N folders).")
    var out: String?

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("give at least one folder") }
    }

    func run() throws {
        var sensitivity: SweepSensitivityReport?
        let result = try SweepFiles.merge(inputs: dirs, out: out, sensitivity: { sensitivity = $0 })
        print("merged \(result.shards.count) shard\(result.shards.count == 1 ? "" : "s"), \(result.points) points: wrote \(result.folder)/points.csv, outcomes.csv, outcomes_summary.csv"
              + (sensitivity == nil ? "" : ", " + SweepFiles.sensitivityFiles.joined(separator: ", ")) + " and sweep.json")
        if let sensitivity { printSensitivity(sensitivity) }
    }
}
