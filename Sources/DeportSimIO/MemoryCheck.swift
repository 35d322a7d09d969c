import DeportSimAnalysis
import DeportSimCore
import Foundation

/// Refuses a run whose estimated memory (`MemoryEstimate`) exceeds what the
/// machine has available, before anything is written.
public enum MemoryCheck {
    /// The memory available to a new process without swapping: Linux's
    /// `MemAvailable` in /proc/meminfo, in bytes; nil where there is none.
    public static func availableBytes(meminfo path: String = "/proc/meminfo") -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kB = Int(fields[1]) else { return nil }
            return kB.multipliedReportingOverflow(by: 1024).overflow ? Int.max : kB * 1024
        }
        return nil
    }

    /// How to lower a run's need (run, compare, diff).
    public static let runAdvice = "use a longer --period, fewer countries or --jobs, a smaller --memory-budget "
        + "(P-square quantiles in flat memory instead of every value), or no --write-flights"
    /// How to lower a sweep's need.
    public static let sweepAdvice = "use fewer points (--points, shorter value lists) or --replications, fewer outcomes, "
        + "or split it with --shard K/N (a shard keeps only its own points)"
    /// How to lower a calibration's or backtest's need.
    public static let calibrationAdvice = "use fewer --replications (or --forecast-replications), fewer --jobs, "
        + "or a smaller --memory-budget (P-square quantiles in flat memory instead of every value)"
    /// What merge can do: it holds every row it combines.
    public static let mergeAdvice = "merge on a machine with more memory available, or sweep with fewer points or replications"

    /// Throws, at `scenarioFile` (the file the work is read from), when
    /// `estimate` needs more than `available` bytes (default: what the
    /// machine has now). The one memory check of every command: `what`
    /// names the work ("the run", "the sweep"), `advice` how to lower it.
    public static func require(_ estimate: MemoryEstimate, scenarioFile: String, what: String = "the run",
                               advice: String = runAdvice, available: Int? = availableBytes()) throws {
        guard let available, estimate.bytes > available else { return }
        func size(_ bytes: Int) -> String {
            bytes >= 1 << 30 ? String(format: "%.1f GB", Double(bytes) / Double(1 << 30))
                : bytes >= 1 << 20 ? String(format: "%.0f MB", Double(bytes) / Double(1 << 20))
                : String(format: "%.0f KB", max(1, Double(bytes) / 1024))
        }
        var parts: [String] = []
        if estimate.cells > 0 { parts.append("\(thousands(Double(estimate.cells))) summary cells x \(MemoryEstimate.bytesPerCell) bytes") }
        if estimate.exactQuantileBytes > 0 { parts.append("\(size(estimate.exactQuantileBytes)) of values kept for exact quantiles (--memory-budget)") }
        if estimate.replicationsHeld > 0 && estimate.bytesPerReplication > 0 {
            parts.append("\(estimate.replicationsHeld) replications in progress x \(size(estimate.bytesPerReplication))")
        }
        switch estimate.results {
        case .none: break
        case .sweepPoints(let points, let replications):
            parts.append("\(size(estimate.resultBytes)) for \(thousands(Double(points))) points x \(thousands(Double(replications))) replications kept until written")
        case .mergedRows(let points, let replications):
            parts.append("\(size(estimate.resultBytes)) for the rows of \(thousands(Double(points))) points x \(thousands(Double(replications))) replications, kept until written")
        case .posteriorRun(let draws, let targets, let replications):
            parts.append("\(size(estimate.resultBytes)) for \(thousands(Double(draws))) posterior draws' scenarios and \(thousands(Double(targets))) targets x \(thousands(Double(replications))) replications")
        }
        throw DeportSimError.badInput(
            SourceLocation(file: scenarioFile, line: 0, column: 0), "",
            "\(what) needs about \(size(estimate.bytes)) of memory (\(parts.joined(separator: ", plus "))), more than the "
            + "\(size(available)) this machine has available (MemAvailable in /proc/meminfo); \(advice)")
    }
}
