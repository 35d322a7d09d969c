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
        print("# \(loaded.file): valid; \(loaded.scenario.dayCount) days, \(loaded.scenario.parameters.countries.count) countries, \(loaded.scenario.parameters.routes.count) routes, \(loaded.scenario.changes.count) event days, \(loaded.targets.count) targets")
        print("# resolved scenario sha256 \(loaded.resolvedSHA256)")
        print(loaded.tree.yaml(), terminator: "")
    }
}
