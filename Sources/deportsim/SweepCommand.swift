import ArgumentParser
import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over the points of a parameter sweep.",
        discussion: """
        Writes points.csv (point,<parameter paths>), outcomes.csv \
        (point,replication,<outcomes>), outcomes_summary.csv \
        (point,outcome,mean,sd,p05,p50,p95) and sweep.json (provenance) to \
        --out. Results do not depend on --jobs or sharding. With --shard K/N \
        (0 <= K < N), or inside a Slurm array task, only the points p with \
        p mod N == K run, into DIR/shard-K-of-N; combine shards with \
        `deportsim merge DIR`. A killed sweep started again with the same \
        command runs only the points it lacks. A saltelli or morris design \
        also writes sensitivity.csv (Sobol indices or Morris effects of each \
        outcome, 95% bootstrap intervals) and replication_noise.csv, and \
        prints a ranked table per outcome (`deportsim sensitivity DIR` \
        recomputes them).
        """)

    @OptionGroup var input: ScenarioOptions

    @Argument(help: "Sweep spec (YAML); optional when --vary gives the parameters.")
    var spec: String?

    @Option(help: ArgumentHelp("Vary a value: PATH=a,b,c (values) or PATH=LOW..HIGH (a range); adds to or replaces the spec's parameters (repeatable).", valueName: "path=values"))
    var vary: [String] = []

    @Option(help: "Design: grid, list, random, latin_hypercube, sobol, saltelli or morris (default: the spec's; without one, grid for lists only, else latin_hypercube).")
    var design: SweepDesignKind?

    @Option(help: "Points of a random, latin_hypercube or sobol design; base samples N of a saltelli design (N x (parameters + 2) points).")
    var points: Int?

    @Option(help: "Trajectories r of a morris design (r x (parameters + 1) points).")
    var trajectories: Int?

    @OptionGroup var simulation: SimulationOptionsWith<SweepSimulationHelp>

    @Option(help: "Output folder (default: Results/<spec name>, or Results/<scenario name>-sweep without a spec).")
    var out: String?

    @Option(help: ArgumentHelp("Run shard K of N (0 <= K < N). Default inside a Slurm array task: SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN) of SLURM_ARRAY_TASK_COUNT.", valueName: "K/N"))
    var shard: String?

    @Flag(help: "Replace the finished results of another sweep (other scenario, spec or shard) in the output folder; the same sweep's results are kept and an unfinished one still resumes.")
    var force = false

    func validate() throws {
        if spec == nil && vary.isEmpty { throw ValidationError("give a sweep spec file or at least one --vary PATH=VALUES") }
        try CountFlag.points.check(points)
        try CountFlag.trajectories.check(trajectories)
        _ = try resolveShard(shard, environment: ProcessInfo.processInfo.environment)
    }

    func run() throws {
        let started = Date()
        InterruptCleanup.shared.resumeHint = "the same command resumes from the finished points"
        let shard = try resolveShard(shard, environment: ProcessInfo.processInfo.environment)
        let loaded = try input.load()
        let overrides = SweepOverrides(vary: vary, design: design, points: points, trajectories: trajectories, replications: simulation.replications,
                                       seed: simulation.seed, generator: simulation.generator)
        let sweepSpec = try SweepSpecParser.load(file: spec, overrides: overrides, scenario: loaded)
        // An uncertain draw, or an event that sets a swept path (unless the
        // spec carries the value into the events), overrides the swept value: say so.
        printWarnings(sweepSpec.parameters.flatMap {
            loaded.scenario.overrideWarnings(path: $0.path, what: "swept", carriedIntoEvents: sweepSpec.carryIntoEvents)
        })
        let root = out ?? (spec.map { "Results/" + specStem($0) } ?? "Results/\(loaded.scenario.name)-sweep")
        let jobs = simulation.jobCount
        let shardPoints = sweepSpec.points.indices.reduce(0) { $0 + (shard.contains(point: $1) ? 1 : 0) }
        try MemoryCheck.require(MemoryEstimate(sweepPoint: loaded.scenario, points: shardPoints, replications: sweepSpec.replications,
                                               outcomes: sweepSpec.outcomes.count, jobs: jobs),
                                scenarioFile: sweepSpec.file, what: "the sweep", advice: MemoryCheck.sweepAdvice)
        let plan = try SweepFiles.plan(loaded: loaded, spec: sweepSpec, shard: shard, root: root, jobs: jobs)

        let progress = Progress(label: shard.count > 1 ? "sweep \(shard)" : "sweep", unit: "runs", logsWhenNotATerminal: true)
        for warning in sweepSpec.design.morrisLevelWarnings() {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        var sensitivity: SweepSensitivityReport?
        let outcome = try SweepFiles.execute(plan, jobs: jobs, started: started, replacing: force, memoryBudgetBytes: simulation.memoryBudget.bytes,
                                             progress: progress.update, sensitivity: { sensitivity = $0 })
        let seconds = Date().timeIntervalSince(started)
        let what = "\(plan.tasks.count) point\(plan.tasks.count == 1 ? "" : "s") x \(sweepSpec.replications) replications"
        switch outcome {
        case .alreadyComplete:
            print("\(plan.folder): already complete (\(what)); nothing to run")
        case .finished(_, let resumed):
            // The progress line's rate at its last update: the runs of this process over the simulations' clock.
            let rate = progress.rate
            print("\(sweepSpec.design.kind.rawValue) sweep of \(loaded.scenario.name), \(what)"
                  + (shard.count > 1 ? " (shard \(shard) of \(sweepSpec.points.count) points)" : "")
                  + (resumed > 0 ? ", \(resumed) resumed from an earlier run" : "")
                  + String(format: ": %.1f s, %.1f runs/s", seconds, rate))
            print("wrote \(plan.folder)/points.csv, outcomes.csv, outcomes_summary.csv"
                  + (sensitivity == nil ? "" : ", " + SweepFiles.sensitivityFiles.joined(separator: ", ")) + " and sweep.json")
        }
        if let sensitivity { printSensitivity(sensitivity) }
        if shard.count > 1 { print("when every shard is done: deportsim merge \(root)") }
    }
}

/// The spec's name without `.yaml` / `.yml` and `.sweep`.
func specStem(_ path: String) -> String {
    var stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    if stem.hasSuffix(".sweep") { stem.removeLast(6) }
    return stem
}

/// `--shard K/N`, else the Slurm array task's place in its array, else the whole sweep.
func resolveShard(_ flag: String?, environment env: [String: String]) throws -> SweepShard {
    if let flag {
        let parts = flag.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else {
            throw ValidationError("--shard expects K/N with 0 <= K < N (e.g. 0/4), found '\(flag)'")
        }
        try CountFlag.shards.check(n)
        return SweepShard(index: k, count: n)
    }
    guard let idText = env["SLURM_ARRAY_TASK_ID"] else { return .whole }
    guard let id = Int(idText), let count = env["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }), count >= 1 else {
        throw ValidationError("inside a Slurm array task SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT must be whole numbers; pass --shard K/N")
    }
    // --array=1-8 or --array=0-14:2 still give shards 0..<count.
    let first = env["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
    let step = max(1, env["SLURM_ARRAY_TASK_STEP"].flatMap { Int($0) } ?? 1)
    let k = (id - first) / step
    guard k >= 0, k < count, (id - first) % step == 0 else {
        throw ValidationError("cannot place Slurm array task \(id) (min \(first), step \(step), count \(count)) in 0..<\(count); pass --shard K/N")
    }
    return SweepShard(index: k, count: count)
}
