import DeportSimCore
import Foundation
import GSLSupport

/// run.json: what produced a result folder.
public enum RunMetadata {
    public static func json(loaded: LoadedScenario, options: RunOptions, started: Date, seconds: Double, files: [String],
                     quantileMethod: QuantileMethod, extra: [String: Any] = [:]) throws -> String {
        let iso = ISO8601DateFormatter()
        var object: [String: Any] = [
            "tool": "deportsim", "tool_version": deportsimVersion, "gsl_version": GSL.version,
            "scenario_name": loaded.scenario.name, "scenario_description": loaded.scenario.description,
            "scenario_file": loaded.file, "scenario_sha256": loaded.fileSHA256,
            "resolved_scenario_sha256": loaded.resolvedSHA256,
            "parameters": jsonValue(loaded.tree),
            "seed": NSNumber(value: options.seed ?? loaded.scenario.seed), "replications": options.replications,
            "period": options.period.rawValue, "rng": options.generator.rawValue, "jobs": options.jobs,
            "command_line": CommandLine.arguments, "start_time": iso.string(from: started),
            "wall_time_seconds": (seconds * 1000).rounded() / 1000, "files": files,
            "quantile_method": quantileMethod.rawValue,
        ]
        for (k, v) in extra { object[k] = v }
        return try jsonText(object)
    }
}
