import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation
import GSLSupport

@main
struct DeportSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deportsim",
        abstract: "A daily stochastic simulator of deportation flows (docs/model.md).",
        discussion: """
        Exit status: 0 success; 1 a comparison target failed; 2 bad input \
        (scenario, flags or files; nothing is written then); 3 a result \
        could not be written (no half-written file is left); 130 (143) \
        interrupted by Ctrl-C (SIGTERM).
        """,
        version: deportsimVersion,
        subcommands: [
            RunCommand.self,
            CheckCommand.self,
            CompareCommand.self,
            CalibrateCommand.self,
            BacktestCommand.self,
            DiffCommand.self,
            ReportCommand.self,
            SweepCommand.self,
            MergeCommand.self,
            SensitivityCommand.self,
            ServeCommand.self,
        ])

    /// Bad input exits with status 2 and a located message, a failed write
    /// with 3; never a trap.
    static func main() {
        // An unknown command word gets a suggestion rather than "unexpected arguments".
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        if let word = CommandLine.arguments.dropFirst().first, !word.hasPrefix("-"), !names.contains(word) {
            fail("error: unknown command '\(word)'\(didYouMean(word, in: names)) (commands: \(names.dropLast().joined(separator: ", ")))",
                 .badInput)
        }
        // `serve` writes no files and stops gracefully on its own signal handlers (swift-service-lifecycle).
        if CommandLine.arguments.dropFirst().first != "serve" { InterruptCleanup.shared.install() }
        do {
            var command = try parseAsRoot()
            do {
                try command.run()
            } catch let error as ValidationError {
                // Raised by a subcommand's checks: point at that subcommand's help.
                let name = type(of: command).configuration.commandName ?? "deportsim"
                failAfterCleanUp("Error: \(error.message)\nSee 'deportsim \(name) --help'.", .badInput)
            }
        } catch let error as DeportSimError {
            failAfterCleanUp(error.description, error.exitStatus)
        } catch let error as FailedTargets {
            // A comparison that ran: its results are whole and stay.
            fail(error.description, .targetsFailed)
        } catch {
            if exitCode(for: error) == .validationFailure { failAfterCleanUp(fullMessage(for: error), .badInput) }
            InterruptCleanup.shared.removeAfterFailure()
            exit(withError: error)
        }
    }

    /// A command that fails after it began writing removes what it wrote
    /// (result files, temporary files, folders it created), so no folder
    /// that looks complete is left; then `fail`.
    static func failAfterCleanUp(_ message: String, _ status: ExitStatus) -> Never {
        InterruptCleanup.shared.removeAfterFailure()
        fail(message, status)
    }

    /// Writes `message` to stderr and exits with `status`.
    static func fail(_ message: String, _ status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status.rawValue)
    }
}

/// Raised by `compare` when a target fails (exit status 1).
struct FailedTargets: Error, CustomStringConvertible {
    let count: Int
    var description: String { "\(count) target\(count == 1 ? "" : "s") failed" }
}

/// Options shared by the commands that load a scenario.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a value by path before running, e.g. countries.CHN.court.mean_days=900 (repeatable; the value is YAML, so null and [..] work).",
        valueName: "path=value"))
    var overrides: [String] = []

    func load() throws -> LoadedScenario {
        let loaded = try ScenarioLoader.load(file: scenario, overrides: overrides)
        printWarnings(loaded.warnings)
        return loaded
    }
}

/// Writes warnings to stderr, each once, in order.
func printWarnings(_ warnings: [String]) {
    var seen = Set<String>()
    for w in warnings where seen.insert(w).inserted { FileHandle.standardError.write(Data((w + "\n").utf8)) }
}

/// The help of -r and --seed: a sweep's spec comes before the scenario,
/// and only `sweep`'s help should say so.
protocol SimulationHelp {
    static var replications: String { get }
    static var seed: String { get }
}

enum ScenarioSimulationHelp: SimulationHelp {
    static let replications = "Replications (default: the scenario's `replications`, else 100)."
    static let seed = "Seed of the random streams (default: the scenario's `seed`, else 1). A whole number >= 0."
}

enum SweepSimulationHelp: SimulationHelp {
    static let replications = "Replications per point (default: the sweep spec's `replications`, else the scenario's, else 100)."
    static let seed = "Seed of the random streams (default: the sweep spec's `seed`, else the scenario's, else 1). A whole number >= 0."
}

/// Options shared by the commands that simulate (`sweep`'s with its own help).
typealias SimulationOptions = SimulationOptionsWith<ScenarioSimulationHelp>

struct SimulationOptionsWith<Help: SimulationHelp>: ParsableArguments {
    // `.unconditional`: a negative value ("--seed -1") is read as the value,
    // so its message says what is wrong with it, not that it is missing.
    @Option(name: .shortAndLong, parsing: .unconditional, help: ArgumentHelp(Help.replications))
    var replications: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(Help.seed))
    var seed: UInt64?

    @Option(name: .shortAndLong, parsing: .unconditional, help: "Worker threads (default: the number of cores). Outputs do not depend on it.")
    var jobs: Int?

    @Option(name: .customLong("rng"), help: ArgumentHelp("GSL generator: \(RandomGeneratorKind.allCases.map(\.rawValue).joined(separator: ", ")). taus2 is fastest and seeds from all 64 bits of a stream's hash.", valueName: "name"))
    var generator: RandomGeneratorKind = .taus2

    @Option(help: ArgumentHelp("Memory the summaries may use to keep every value for exact quantiles (bytes, or with KiB, MiB, GiB); beyond it (cells x replications x 8 bytes), P-square estimates in flat memory. Default 1GiB.", valueName: "size"))
    var memoryBudget: ByteCount = ByteCount(bytes: QuantileMethod.defaultMemoryBudgetBytes)

    func validate() throws {
        try CountFlag.replications.check(replications)
        try CountFlag.jobs.check(jobs)
    }

    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// A flag that takes a count, with the range it accepts and why: every
/// count flag is checked here, in `validate()`, before anything is read or
/// written, so no count can trap, allocate without bound or leave a folder.
struct CountFlag {
    let name: String
    let range: ClosedRange<Int>
    let reason: String

    static let replications = CountFlag(name: "--replications", range: 1...Limits.replications,
                                        reason: "a mean's error shrinks as 1/sqrt(R), to 0.03% of the sd at the limit")
    static let jobs = CountFlag(name: "--jobs", range: 1...Limits.jobs, reason: "worker threads; more than the cores gains nothing")
    static let points = CountFlag(name: "--points", range: 1...Limits.sweepPoints, reason: "the limit of sweep points")
    static let trajectories = CountFlag(name: "--trajectories", range: 2...Limits.sweepPoints,
                                        reason: "a morris design needs two trajectories to compare")
    static let top = CountFlag(name: "--top", range: 0...1_000_000, reason: "lines printed")
    /// The N of `--shard K/N`: no more shards than a sweep can have points.
    static let shards = CountFlag(name: "--shard", range: 1...Limits.sweepPoints, reason: "no more shards than points")

    /// Throws, naming the flag and its range, when `value` is outside it.
    func check(_ value: Int?) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(name) must be from \(thousands(Double(range.lowerBound))) to \(thousands(Double(range.upperBound))) (\(reason)), found \(value)")
    }
}

/// A size in bytes: `1073741824`, `512MiB`, `1GiB` (binary units).
struct ByteCount: ExpressibleByArgument {
    let bytes: Int
    init(bytes: Int) { self.bytes = bytes }
    init?(argument: String) {
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("B", 1), ("", 1)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let n = Int(argument.dropLast(suffix.count)), n >= 0 else { return nil }
            let (b, overflow) = n.multipliedReportingOverflow(by: scale)
            guard !overflow else { return nil }
            bytes = b
            return
        }
        return nil
    }
    var defaultValueDescription: String { bytes % (1 << 30) == 0 ? "\(bytes >> 30)GiB" : "\(bytes)" }
}

extension PeriodKind: ExpressibleByArgument {}
extension RandomGeneratorKind: ExpressibleByArgument {}
extension SweepDesignKind: ExpressibleByArgument {}

/// A progress bar on stderr when it is a terminal (and, for long batch
/// jobs, a line every 10 s when it is not): done/total, rate, ETA.
final class Progress {
    let label: String
    /// What is counted ("replications", "runs").
    let unit: String
    let total: Int
    /// Off a terminal, a line every 10 s (for batch logs) instead of nothing.
    let logsWhenNotATerminal: Bool
    let isTerminal = isatty(2) != 0
    let started = Date()
    var startDone: Int?
    var lastPrint = Date.distantPast

    init(label: String, unit: String = "replications", total: Int = 0, logsWhenNotATerminal: Bool = false) {
        self.label = label; self.unit = unit; self.total = total; self.logsWhenNotATerminal = logsWhenNotATerminal
    }

    /// `done` of the `total` given at init.
    func update(_ done: Int) { update(done, total) }

    /// Units per second done by this process: those since the first update
    /// (not the ones resumed from an earlier run), over the seconds since
    /// this progress began. The progress line and a command's closing
    /// summary both print it (`rate` keeps the last), so they agree.
    static func rate(done: Int, since startDone: Int, seconds: Double) -> Double {
        seconds > 0 ? Double(done - startDone) / seconds : 0
    }

    /// The rate at the last update.
    private(set) var rate = 0.0

    func update(_ done: Int, _ total: Int) {
        if startDone == nil { startDone = done }
        let now = Date()
        rate = Progress.rate(done: done, since: startDone!, seconds: now.timeIntervalSince(started))
        if !isTerminal && !logsWhenNotATerminal { return }
        let finished = done == total
        if !finished && now.timeIntervalSince(lastPrint) < (isTerminal ? 0.2 : 10) { return }
        lastPrint = now
        let eta = rate > 0 ? duration(Double(total - done) / rate) : "?"
        let percent = total > 0 ? 100 * done / total : 100
        if isTerminal {
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = String(format: "\r%@ [%@] %d/%d %@ %3d%%  %.1f %@/s  ETA %@   ", label, bar, done, total, unit, percent, rate, unit, eta)
            FileHandle.standardError.write(Data(line.utf8))
            if finished { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let line = String(format: "%@: %d/%d %@ (%d%%), %.1f %@/s, ETA %@\n", label, done, total, unit, percent, rate, unit, eta)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", t % 3600 / 60))m" : t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}

