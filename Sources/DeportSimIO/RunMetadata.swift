import DeportSimCore
import Foundation
import GSLSupport

/// run.json: what produced a result folder.
public enum RunMetadata {
    public static func json(loaded: LoadedScenario, options: RunOptions, started: Date, seconds: Double, files: [String],
                     extra: [String: Any] = [:]) throws -> String {
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
            "quantile_method": "GSL gsl_rstat_quantile (P-square, Jain & Chlamtac 1985)",
        ]
        for (k, v) in extra { object[k] = v }
        return try jsonText(object)
    }
}

/// 1234567.5 -> "1,234,567.5": thousands separators and exactly `decimals`
/// decimals, no locale (the terminal tables and the HTML report use it).
public func groupedNumber(_ x: Double, decimals: Int = 0) -> String {
    guard x.isFinite else { return x.isNaN ? "NA" : (x > 0 ? "Inf" : "-Inf") }
    let text = String(format: "%.\(decimals)f", abs(x))
    let parts = text.split(separator: ".", maxSplits: 1)
    let whole = Array(parts[0])
    var out = ""
    for (i, c) in whole.enumerated() {
        if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    if parts.count > 1 { out += "." + parts[1] }
    let isZero = text.allSatisfy { $0 == "0" || $0 == "." }
    return (x < 0 && !isZero ? "-" : "") + out
}

/// 1,234,567 for the terminal: one decimal below 100, none when it is 0.
public func thousands(_ x: Double) -> String {
    guard abs(x) < 100 else { return groupedNumber(x) }
    let s = groupedNumber(x, decimals: 1)
    return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
}

public func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
public func padLeft(_ s: String, _ width: Int) -> String { s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s }
