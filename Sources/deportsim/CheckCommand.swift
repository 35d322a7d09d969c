import Foundation
import ArgumentParser
import DeportSimIO

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario and print it fully resolved (extends merged, --set applied) as YAML.",
        discussion: "Exit status 0 when the scenario is valid, 2 with a located message when not.")

    @OptionGroup var input: ScenarioOptions

    func run() throws {
        let loaded = try input.load()
        for warning in loaded.warnings { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let s = loaded.scenario
        print("# \(loaded.file): valid; " + [count(s.dayCount, "day"), count(s.parameters.countries.count, "country").replacingOccurrences(of: "countrys", with: "countries"),
                                            count(s.parameters.routes.count, "route"), count(s.changes.count, "event day"),
                                            count(loaded.targets.count, "target")].joined(separator: ", "))
        print("# resolved scenario sha256 \(loaded.resolvedSHA256)")
        print(loaded.tree.yaml(), terminator: "")
    }
}
