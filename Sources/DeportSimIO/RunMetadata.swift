import DeportSimAnalysis
import DeportSimCore
import Foundation
import GSLSupport

/// Provenance: what produced a result folder (run.json, sweep.json).
enum Provenance {
    /// The fields every provenance file holds: the tool, the scenario, the
    /// random streams, how the run was started and what it wrote.
    static func fields(loaded: LoadedScenario, seed: UInt64, replications: Int, generator: RandomGeneratorKind, jobs: Int,
                       started: Date, seconds: Double, files: [String], quantileMethod: QuantileMethod) -> [String: Any] {
        [
            "tool": "deportsim", "tool_version": deportsimVersion, "gsl_version": GSL.version,
            "scenario_name": loaded.scenario.name, "scenario_description": loaded.scenario.description,
            "scenario_file": loaded.file, "scenario_sha256": loaded.fileSHA256,
            "resolved_scenario_sha256": loaded.resolvedSHA256,
            "seed": seed, "replications": replications, "rng": generator.rawValue, "jobs": jobs,
            "command_line": CommandLine.arguments, "start_time": ISO8601DateFormatter().string(from: started),
            "wall_time_seconds": (seconds * 1000).rounded() / 1000, "files": files,
            "quantile_method": quantileMethod.rawValue,
            "interval_includes": IntervalContents.of(loaded.scenario).label,
        ]
    }
}

/// run.json.
public enum RunMetadata {
    public static func json(loaded: LoadedScenario, options: RunOptions, started: Date, seconds: Double, files: [String],
                     quantileMethod: QuantileMethod, extra: [String: Any] = [:]) throws -> String {
        var object = Provenance.fields(loaded: loaded, seed: options.seed ?? loaded.scenario.seed, replications: options.replications,
                                       generator: options.generator, jobs: options.jobs, started: started, seconds: seconds, files: files,
                                       quantileMethod: quantileMethod)
        object["parameters"] = jsonValue(loaded.tree)
        if !loaded.scenario.uncertainty.isEmpty { object["uncertain"] = UncertaintyOutput.json(loaded.scenario.uncertainty) }
        object["period"] = options.period.rawValue
        for (k, v) in extra { object[k] = v }
        return try jsonText(object)
    }
}
