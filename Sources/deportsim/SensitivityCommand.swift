import ArgumentParser
import DeportSimAnalysis
import DeportSimIO
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Recompute the Sobol or Morris sensitivity analysis of a finished saltelli or morris sweep.",
        discussion: """
        Reads DIR/sweep.json, points.csv and outcomes.csv of a finished or \
        merged sweep, computes each outcome's indices on each point's mean \
        over its replications (95% intervals by bootstrap, 100 resamples), \
        rewrites DIR/sensitivity.csv and DIR/replication_noise.csv, and \
        prints a ranked table per outcome: by ST for Sobol indices, by mu* \
        for Morris. `sweep` and `merge` write the same files.
        """)

    @Argument(help: "A finished or merged saltelli or morris sweep folder.")
    var dir: String

    func run() throws {
        let report = try SweepFiles.recomputeSensitivity(folder: dir)
        printSensitivity(report)
        print("wrote \(dir)/\(SweepFiles.sensitivityFiles.joined(separator: " and "))")
    }
}

/// Prints the ranked table of each outcome; noise warnings go to stderr.
func printSensitivity(_ report: SweepSensitivityReport) {
    let level = Int((100 * SweepSensitivity.confidence).rounded())
    let interval = "\(level)% bootstrap intervals, \(SweepSensitivity.bootstrapResamples) resamples"
    let width = max(9, report.parameters.map(\.count).max() ?? 0)
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    func value(_ x: Double, _ conf: Double) -> String { String(format: "%.3f ± %.3f", x, conf) }
    for result in report.results {
        print("")
        guard let indices = result.indices else {
            print("\(result.outcome): \(result.problem ?? "no indices")")
            continue
        }
        switch indices {
        case .sobol(let s):
            print("\(result.outcome): Sobol indices of the point means, ranked by ST (\(interval))")
            print("  " + pad("parameter", width) + "  " + left("S1", 15) + "  " + left("ST", 15))
            for i in report.parameters.indices.sorted(by: { ranked(s.totalOrder, $0, $1) }) {
                print("  " + pad(report.parameters[i], width) + "  " + left(value(s.firstOrder[i], s.firstOrderConfidence[i]), 15)
                      + "  " + left(value(s.totalOrder[i], s.totalOrderConfidence[i]), 15))
            }
            if !s.secondOrder.isEmpty {
                for pair in s.secondOrder.sorted(by: { $0.value > $1.value || ($0.value == $1.value && ($0.first, $0.second) < ($1.first, $1.second)) }) {
                    print("  S2 " + report.parameters[pair.first] + " x " + report.parameters[pair.second] + ": "
                          + value(pair.value, pair.confidenceHalfWidth))
                }
            }
        case .morris(let m):
            let delta = report.morrisDelta.map { String(format: "%.3g", $0) } ?? "delta"
            print("\(result.outcome): Morris elementary effects (outcome change per step of \(delta) of a parameter's range), ranked by mu* (\(interval) for mu*)")
            print("  " + pad("parameter", width) + "  " + left("mu*", 23) + "  " + left("mu", 11) + "  " + left("sigma", 11))
            func number(_ x: Double) -> String { thousands(x) }
            for i in report.parameters.indices.sorted(by: { ranked(m.muStar, $0, $1) }) {
                print("  " + pad(report.parameters[i], width) + "  " + left(number(m.muStar[i]) + " ± " + number(m.muStarConfidence[i]), 23)
                      + "  " + left(number(m.mu[i]), 11) + "  " + left(number(m.sigma[i]), 11))
            }
        }
        let noise = result.noise
        if let share = noise.share {
            print(String(format: "  replication noise: %.1f%% of the variance of the point means (%d replications per point)", 100 * share, noise.replications))
        }
        if let warning = noise.warning {
            FileHandle.standardError.write(Data("warning: \(result.outcome): \(warning)\n".utf8))
        }
    }
}

/// Larger first; ties in parameter order, so the table is the same on every run.
private func ranked(_ x: [Double], _ i: Int, _ j: Int) -> Bool { x[i] > x[j] || (x[i] == x[j] && i < j) }
