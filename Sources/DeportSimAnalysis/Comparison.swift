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
    public var passes: Bool { passBy != nil }

    /// How a target passes: inside the interval, else within its tolerance;
    /// nil when it fails.
    public var passBy: PassKind? {
        if withinInterval { return .interval }
        let close = target.value == 0 ? mean == 0 : abs(relativeError) <= target.tolerance
        return close ? .tolerance : nil
    }
}

/// How a target passed (comparison.csv's `pass_by`).
public enum PassKind: String, Sendable {
    /// The reported value lies inside the simulated 90% interval.
    case interval
    /// Outside the interval, but the mean is within the target's tolerance.
    case tolerance
}

/// What a simulated interval includes, so every printed or drawn interval
/// says it (docs/model.md, 10.1).
public struct IntervalContents: Sendable, Equatable {
    /// Parameter sets drawn from a posterior or from `uncertain:` inputs.
    public var parameterUncertainty: Bool
    /// Month-to-month shocks to encounters (`encounters.volatility`).
    public var shocks: Bool

    public init(parameterUncertainty: Bool, shocks: Bool) {
        self.parameterUncertainty = parameterUncertainty; self.shocks = shocks
    }

    public static let simulationNoiseOnly = IntervalContents(parameterUncertainty: false, shocks: false)

    /// What the intervals of a run of `scenario` include (docs/model.md
    /// 10.1). The one place that decides it: `uncertain:` inputs (8.7) add
    /// parameter uncertainty, a `volatility` above 0 in the start values or
    /// an event's (5.3.2) adds monthly shocks.
    public static func of(_ scenario: Scenario) -> IntervalContents {
        let snapshots = [scenario.parameters] + scenario.changes.map(\.parameters)
        let shocks = snapshots.contains { p in
            let processes = p.countries.flatMap { [$0.encounters, $0.portEncounters] } + [p.border.otherEncounters, p.border.otherPortEncounters]
            return processes.contains { ($0?.volatility ?? 0) > 0 }
        }
        return IntervalContents(parameterUncertainty: !scenario.uncertainty.isEmpty, shocks: shocks)
    }

    /// The label printed next to an interval and recorded in run.json
    /// (`interval_includes`).
    public var label: String {
        var parts = ["simulation noise"]
        if parameterUncertainty { parts.append("parameter uncertainty") }
        if shocks { parts.append("shocks") }
        return parts.count == 1 ? "simulation noise only" : parts.joined(separator: " + ")
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

    /// Targets of one role, with their MAPE and coverage (compare prints
    /// fitted and check targets apart: only the checks are out of sample).
    public static func rows(_ rows: [ComparisonRow], role: TargetRole) -> [ComparisonRow] {
        rows.filter { $0.target.role == role }
    }

    public static func coverage(_ rows: [ComparisonRow]) -> Double {
        rows.isEmpty ? 0 : 100 * Double(rows.filter(\.withinInterval).count) / Double(rows.count)
    }
}
