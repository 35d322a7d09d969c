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

    /// Throws, at the scenario file, when `estimate` needs more than
    /// `available` bytes (default: what the machine has now).
    public static func require(_ estimate: MemoryEstimate, scenarioFile: String,
                               available: Int? = availableBytes()) throws {
        guard let available, estimate.bytes > available else { return }
        func size(_ bytes: Int) -> String {
            bytes >= 1 << 30 ? String(format: "%.1f GB", Double(bytes) / Double(1 << 30))
                : String(format: "%.0f MB", Double(bytes) / Double(1 << 20))
        }
        throw DeportSimError.badInput(
            SourceLocation(file: scenarioFile, line: 0, column: 0), "",
            "the run needs about \(size(estimate.bytes)) of memory (\(thousands(Double(estimate.cells))) summary cells x "
            + "\(MemoryEstimate.bytesPerCell) bytes, plus \(estimate.replicationsHeld) replications in progress x "
            + "\(size(estimate.bytesPerReplication))), more than the \(size(available)) this machine has available "
            + "(MemAvailable in /proc/meminfo); use a longer --period, fewer countries or --jobs, or no --write-flights")
    }
}
