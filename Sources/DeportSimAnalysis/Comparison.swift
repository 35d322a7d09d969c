import DeportSimCore
import Foundation
import GSLSupport

/// One target held against the simulation.
public struct ComparisonRow: Sendable {
    public let target: Target
    public let mean: Double
    public let p05: Double
    public let p95: Double

    /// (simulated mean - reported) / reported; NaN (written NA) when the reported value is 0.
    public var relativeError: Double {
        target.value == 0 ? .nan : (mean - target.value) / target.value
    }
    public var withinInterval: Bool { p05 <= target.value && target.value <= p95 }
    /// A target fails only when the 90% interval misses the reported value
    /// and the mean is further off than the tolerance (for a reported 0,
    /// which has no relative error: when the mean is not 0 either).
    public var passes: Bool {
        if withinInterval { return true }
        return target.value == 0 ? mean == 0 : abs(relativeError) <= target.tolerance
    }
}

public enum Comparison {
    /// Runs a scenario once and holds every target against it.
    public static func run(_ scenario: Scenario, targets: [Target], options: RunOptions,
                           progress: ((Int) -> Void)? = nil) -> (RunResult, [ComparisonRow]) {
        let outcomes = targets.map { $0.outcome(in: scenario) }
        let result = runScenario(scenario, options: options, outcomes: outcomes, progress: progress)
        return (result, rows(targets: targets, outcomes: result.outcomes))
    }

    public static func rows(targets: [Target], outcomes: RunningSummary) -> [ComparisonRow] {
        targets.enumerated().map { i, t in
            let q = outcomes.quantiles(cell: i)
            return ComparisonRow(target: t, mean: outcomes.mean(cell: i), p05: q.p05, p95: q.p95)
        }
    }

    /// Mean absolute percentage error over targets with a non-zero reported
    /// value (a reported 0 has no relative error; the table says how many were left out).
    public static func meanAbsolutePercentageError(_ rows: [ComparisonRow]) -> Double {
        let finite = rows.filter { $0.target.value != 0 }
        guard !finite.isEmpty else { return 0 }
        return 100 * finite.map { abs($0.relativeError) }.reduce(0, +) / Double(finite.count)
    }

    public static func coverage(_ rows: [ComparisonRow]) -> Double {
        rows.isEmpty ? 0 : 100 * Double(rows.filter(\.withinInterval).count) / Double(rows.count)
    }
}
