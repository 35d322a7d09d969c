import DeportSimCore
import Foundation

/// Runs a scenario with parameter uncertainty: one scenario per posterior
/// draw, replication r on draw r mod N, with replication index r and the
/// same seed, so replication r keeps its random streams whatever the draw
/// (common random numbers). These are the semantics of
/// `uncertain: { from: posterior.csv }` (issue 13, item 1); when scenarios
/// carry that input, callers can run the one scenario with `runScenario`
/// instead and get the same numbers.
public enum PosteriorPredictive {
    public struct Result {
        /// summary.csv's statistics over all replications.
        public let summary: RunSummary
        /// comparison statistics of the targets (the same estimators as `compare`).
        public let outcomes: RunningSummary
        /// Every replication's value of every target: [target][replication].
        public let values: [[Double]]
        public let restrictionShare: [Double]
    }

    /// - Parameters:
    ///   - scenarios: one per draw, all with the same dates and countries.
    public static func run(scenarios: [Scenario], targets: [Target], options: RunOptions,
                           progress: ((Int) -> Void)? = nil) -> Result {
        let first = scenarios[0]
        let outcomes = targets.map { $0.outcome(in: first) }
        let calendar = PeriodCalendar(kind: options.period, start: first.start, end: first.end)
        let layout = CellLayout(periods: calendar.periods, countryCodes: first.parameters.countries.map(\.code))
        let method = options.quantileMethod(cells: layout.cellCount + outcomes.count)
        let summary = RunSummary(layout: layout, method: method, replications: options.replications)
        let outcomeSummary = RunningSummary(cellCount: outcomes.count, method: method, replications: options.replications)
        var values = [[Double]](repeating: [], count: outcomes.count)
        var activeCount = [Int](repeating: 0, count: first.dayCount)
        let seed = options.seed, point = options.point, generator = options.generator
        var done = 0
        ReplicationRunner.run(
            indices: 0..<options.replications, jobs: options.jobs,
            makeWorker: { SimulatorCache(scenarios: scenarios, generator: generator) },
            work: { cache, rep in
                var recorder = PairObserver(PairObserver(PeriodRecorder(layout: layout, calendar: calendar),
                                                         OutcomeRecorder(outcomes: outcomes)), RestrictionRecorder())
                cache.simulator(draw: rep % scenarios.count).run(replication: rep, point: point, seed: seed, observer: &recorder)
                return (recorder.first.first.values, recorder.first.second.values, recorder.second.active)
            },
            consume: { _, output in
                summary.add(output.0, threads: options.jobs)
                for (i, x) in output.1.enumerated() { outcomeSummary.add(x, cell: i); values[i].append(x) }
                for (d, on) in output.2.enumerated() where on { activeCount[d] += 1 }
                done += 1
                progress?(done)
            })
        summary.statistics.finish(threads: options.jobs)
        outcomeSummary.finish()
        return Result(summary: summary, outcomes: outcomeSummary, values: values,
                      restrictionShare: activeCount.map { Double($0) / Double(max(1, options.replications)) })
    }
}

/// A worker's simulators, one per draw, made when first needed.
final class SimulatorCache {
    let scenarios: [Scenario]
    let generator: RandomGeneratorKind
    var made: [Int: Simulator] = [:]
    init(scenarios: [Scenario], generator: RandomGeneratorKind) { self.scenarios = scenarios; self.generator = generator }
    func simulator(draw: Int) -> Simulator {
        if let s = made[draw] { return s }
        let s = Simulator(scenario: scenarios[draw], generator: generator)
        made[draw] = s
        return s
    }
}
