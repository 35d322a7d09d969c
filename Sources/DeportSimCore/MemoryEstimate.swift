internal import GSLSupport

/// What a command keeps in memory, estimated before it starts so work too
/// big for the machine is refused with the reason instead of being killed
/// (or swapping) hours in. The one estimate every command checks
/// (`MemoryCheck.require`): summary cells, the values kept for exact
/// quantiles, the replications in progress, and the results a command holds
/// until it writes them (a sweep's finished points, the rows `merge`
/// combines). Memory does not grow with the replication count beyond the
/// exact quantiles' values, which `--memory-budget` caps: the summaries keep
/// a fixed size per cell, and only a bounded window of finished
/// replications waits to be summarised (`ReplicationRunner`).
public struct MemoryEstimate: Sendable, Equatable {
    /// Summary cells (period x country and ALL x metric), over all summaries kept.
    public let cells: Int
    /// What the running statistics keep per cell (GSLRunningStatistics: n,
    /// mean, M2, min, max and three P-square quantile states).
    public static var bytesPerCell: Int { GSLRunningStatistics.bytesPerCell }
    /// The values kept for exact quantiles: cells x replications x 8 bytes
    /// when that fits `--memory-budget` (`QuantileMethod.choose`), else 0
    /// (P-square estimates in flat memory).
    public let exactQuantileBytes: Int
    /// One replication's table (and flight records) while it waits its turn.
    public let bytesPerReplication: Int
    /// Replications held at once: one per worker plus the waiting window of
    /// 2 x jobs, or all of them when there are fewer.
    public let replicationsHeld: Int
    /// Results kept until they are written, in bytes, and what they are.
    public let resultBytes: Int
    public let results: Results

    public enum Results: Sendable, Equatable {
        case none
        /// A sweep's (or shard's) points, each with its replications' outcome lines.
        case sweepPoints(points: Int, replications: Int)
        /// The shards' rows `merge` combines.
        case mergedRows(points: Int, replications: Int)
        /// A run over posterior draws: each draw's scenario, and every replication's value of each target.
        case posteriorRun(draws: Int, targets: Int, replications: Int)
    }

    public var bytes: Int {
        Self.sum([Self.product(cells, Self.bytesPerCell), exactQuantileBytes,
                  Self.product(replicationsHeld, bytesPerReplication), resultBytes])
    }

    public init(cells: Int, exactQuantileBytes: Int = 0, bytesPerReplication: Int, replicationsHeld: Int,
                resultBytes: Int = 0, results: Results = .none) {
        self.cells = cells; self.exactQuantileBytes = exactQuantileBytes; self.bytesPerReplication = bytesPerReplication
        self.replicationsHeld = replicationsHeld; self.resultBytes = resultBytes; self.results = results
    }

    /// A run (or a diff's, a calibration's evaluation, a forecast).
    /// - Parameters:
    ///   - summaries: how many summaries of the run's cells are kept (1 for
    ///     a run; a diff keeps the baseline, and per variant its means and
    ///     the differences).
    ///   - tablesPerReplication: period tables per replication (a diff runs
    ///     the baseline and every variant in each).
    public init(scenario: Scenario, options: RunOptions, summaries: Int = 1, tablesPerReplication: Int = 1) {
        let calendar = PeriodCalendar(kind: options.period, start: scenario.start, end: scenario.end)
        let layout = CellLayout(periods: calendar.periods, countryCodes: scenario.parameters.countries.map(\.code))
        let cells = Self.product(layout.cellCount, summaries)
        var perReplication = Self.product(Self.product(layout.cellCount, MemoryLayout<Double>.stride), tablesPerReplication)
            + scenario.dayCount * MemoryLayout<Bool>.stride
        if options.keepFlights {
            for route in scenario.parameters.routes {
                let flights: Int
                switch route.schedule {
                case .dates(let dates): flights = dates.count
                case .everyDays(let every, _, _): flights = scenario.dayCount / max(1, every) + 1
                // Twice the monthly mean, for months that draw above it.
                case .perMonth(let perMonth): flights = Int(min(2 * perMonth * Double(scenario.dayCount) / 30.4, 1e12)) + 1
                }
                perReplication = Self.sum([perReplication, Self.product(flights, MemoryLayout<FlightRecord>.stride + 32 + 8 * route.countryIndices.count)])
            }
        }
        let exact = options.quantileMethod(cells: layout.cellCount) == .exact
        self.init(cells: cells,
                  exactQuantileBytes: exact ? Self.product(Self.product(cells, options.replications), MemoryLayout<Double>.stride) : 0,
                  bytesPerReplication: perReplication, replicationsHeld: min(options.replications, 3 * max(1, options.jobs)))
    }

    /// A run over posterior draws (calibrate's check, a backtest's
    /// forecasts): the run's need, plus each draw's scenario and every
    /// replication's value of each target (kept for exact quantiles and
    /// the forecast scores).
    public init(posteriorRun scenario: Scenario, options: RunOptions, draws: Int, targets: Int) {
        let run = MemoryEstimate(scenario: scenario, options: options)
        self.init(cells: run.cells, exactQuantileBytes: run.exactQuantileBytes, bytesPerReplication: run.bytesPerReplication,
                  replicationsHeld: run.replicationsHeld,
                  resultBytes: Self.sum([Self.product(draws, Self.scenarioBytes(scenario)),
                                         Self.product(Self.product(targets, options.replications), MemoryLayout<Double>.stride)]),
                  results: .posteriorRun(draws: draws, targets: targets, replications: options.replications))
    }

    /// A sweep (or one shard of it): each of `points` keeps its scenario
    /// until it runs and its text lines (points.csv, outcomes.csv and
    /// outcomes_summary.csv) until all are written; 3 x jobs replications'
    /// outcome rows wait to be summarised.
    public init(sweepPoint scenario: Scenario, points: Int, replications: Int, outcomes: Int, jobs: Int) {
        let perPoint = Self.sum([Self.scenarioBytes(scenario),
                                 Self.product(Self.sum([1, replications, outcomes]), Self.lineBytes(numbers: outcomes + 2))])
        self.init(cells: 0, bytesPerReplication: Self.product(outcomes, MemoryLayout<Double>.stride),
                  replicationsHeld: Self.product(3, max(1, jobs)), resultBytes: Self.product(points, perPoint),
                  results: .sweepPoints(points: points, replications: replications))
    }

    /// `merge`: every shard's CSV text (`fileBytes` together) and one
    /// reference per line of the `points` points, held until all are written.
    public init(mergedFileBytes fileBytes: Int, points: Int, replications: Int, outcomes: Int) {
        let lines = Self.product(points, Self.sum([1, replications, outcomes]))
        self.init(cells: 0, bytesPerReplication: 0, replicationsHeld: 0,
                  resultBytes: Self.sum([fileBytes, Self.product(lines, MemoryLayout<Substring>.stride)]),
                  results: .mergedRows(points: points, replications: replications))
    }

    /// The need of work done one part after another (a calibration's
    /// evaluations, then its check): the largest part's.
    public static func largest(_ parts: [MemoryEstimate]) -> MemoryEstimate {
        parts.max { $0.bytes < $1.bytes }!
    }

    /// About what a number takes as text in a CSV line, with its comma:
    /// whole counts and 6-significant-digit values are shorter, exact ones longer.
    static let bytesPerNumberText = 16

    static func lineBytes(numbers: Int) -> Int { product(max(1, numbers), bytesPerNumberText) }

    /// A scenario's values: its countries and routes in the first day's values
    /// and in every event day's snapshot.
    static func scenarioBytes(_ s: Scenario) -> Int {
        let one = MemoryLayout<ModelParameters>.stride
            + s.parameters.countries.count * MemoryLayout<Country>.stride
            + s.parameters.routes.count * MemoryLayout<Route>.stride
        return product(one, 1 + s.changes.count) + MemoryLayout<Scenario>.stride
    }

    /// Products and sums saturate at Int.max: an estimate past it is refused anyway.
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : p
    }

    public static func sum(_ terms: [Int]) -> Int {
        terms.reduce(0) { s, t in
            let (r, overflow) = s.addingReportingOverflow(t)
            return overflow ? .max : r
        }
    }
}
