/// How to run a scenario.
public struct RunOptions: Sendable {
    public var replications: Int
    public var jobs: Int
    public var generator: RandomGeneratorKind
    public var period: PeriodKind
    /// Sweep point index (0 outside sweeps); part of every stream's seed.
    public var point: Int
    /// Overrides the scenario's seed.
    public var seed: UInt64?
    public var keepFlights: Bool
    /// Memory the summaries may keep for exact quantiles (`QuantileMethod.choose`).
    public var memoryBudgetBytes: Int

    public init(replications: Int, jobs: Int = 1, generator: RandomGeneratorKind = .taus2,
                period: PeriodKind = .month, point: Int = 0, seed: UInt64? = nil, keepFlights: Bool = false,
                memoryBudgetBytes: Int = QuantileMethod.defaultMemoryBudgetBytes) {
        self.replications = replications; self.jobs = jobs; self.generator = generator; self.period = period
        self.point = point; self.seed = seed; self.keepFlights = keepFlights; self.memoryBudgetBytes = memoryBudgetBytes
    }

    /// The quantile method of a run with `cells` summary cells (and its outcomes).
    public func quantileMethod(cells: Int) -> QuantileMethod {
        QuantileMethod.choose(cells: cells, replications: replications, budgetBytes: memoryBudgetBytes)
    }
}

/// The period table of one replication (and its flights, when kept).
public struct ReplicationOutput: Sendable {
    public let replication: Int
    public let values: [Double]
    public let flights: [FlightRecord]
    /// Values of the run's extra outcomes (see `runScenario`).
    public let outcomeValues: [Double]
    /// Whether the border-wide restriction rule was active, day by day.
    public let restrictionActive: [Bool]
    /// The replication's uncertain values (docs/model.md 8.7); nil without uncertain inputs.
    public var uncertain: UncertainDraw? = nil
}

/// Records, day by day, whether the restriction rule was active.
public struct RestrictionRecorder: DayObserver {
    public private(set) var active: [Bool] = []
    public var wantsFlights: Bool { false }
    public init() {}
    public mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay,
                                 flights: ArraySlice<FlightRecord>) {
        active.append(border.restrictionActive)
    }
}

/// Composes two observers.
public struct PairObserver<A: DayObserver, B: DayObserver>: DayObserver {
    public var first: A
    public var second: B
    public init(_ first: A, _ second: B) { self.first = first; self.second = second }
    public var wantsFlights: Bool { first.wantsFlights || second.wantsFlights }
    public mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay,
                                 flights: ArraySlice<FlightRecord>) {
        first.observe(day: day, countries: countries, border: border, flights: flights)
        second.observe(day: day, countries: countries, border: border, flights: flights)
    }
    public mutating func observeWarmup(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay) {
        first.observeWarmup(day: day, countries: countries, border: border)
        second.observeWarmup(day: day, countries: countries, border: border)
    }
}

/// Summary statistics of every (period, country, metric) cell over the
/// replications of a run.
public final class RunSummary {
    public let layout: CellLayout
    public let statistics: RunningSummary
    public private(set) var replications = 0

    public init(layout: CellLayout, method: QuantileMethod = .pSquare, replications: Int = 0) {
        self.layout = layout
        statistics = RunningSummary(cellCount: layout.cellCount, method: method, replications: replications)
    }

    public func add(_ values: [Double], threads: Int = 1) {
        precondition(values.count == layout.cellCount)
        values.withUnsafeBufferPointer { statistics.add(row: $0, threads: threads) }
        replications += 1
    }

    public struct Row: Sendable {
        public let period: Period
        public let country: String
        public let metric: Metric
        public let mean, sd, p05, p50, p95: Double
    }

    public func row(period: Int, row: Int, metric: Metric) -> Row {
        let cell = layout.cell(period: period, row: row, metric: metric)
        let q = statistics.quantiles(cell: cell)
        return Row(period: layout.periods[period], country: layout.rowName(row), metric: metric,
                   mean: statistics.mean(cell: cell), sd: statistics.sd(cell: cell),
                   p05: q.p05, p50: q.p50, p95: q.p95)
    }

    /// Looks a cell up by names; nil when there is no such country or metric for it.
    public func row(periodIndex: Int, country: String, metric: Metric) -> Row? {
        let r: Int
        if country == "ALL" { r = layout.allRow }
        else if let i = layout.countryCodes.firstIndex(of: country), !metric.isBorderWide { r = i }
        else { return nil }
        return row(period: periodIndex, row: r, metric: metric)
    }
}

/// The result of `runScenario`.
public struct RunResult {
    public let summary: RunSummary
    /// The same over the whole run (`CellLayout.wholeRunValues` of each
    /// replication): what `--period total` gives, whatever the period.
    public let wholeRun: RunSummary
    /// One cell per extra outcome.
    public let outcomes: RunningSummary
    /// For each day, the share of replications in which the restriction rule was active.
    public let restrictionShare: [Double]
    /// How the quantiles of `summary` and `outcomes` were computed.
    public var quantileMethod: QuantileMethod { summary.statistics.method }
}

/// Runs a scenario: `options.replications` replications over
/// `options.jobs` threads. `eachReplication` sees every replication's table
/// in replication order (for replications.csv and flights.csv); `outcomes`
/// are extra scalars summarised alongside (targets, totals).
public func runScenario(_ scenario: Scenario, options: RunOptions, outcomes: [OutcomeSpec] = [],
                        progress: ((Int) -> Void)? = nil,
                        eachReplication: ((ReplicationOutput) -> Void)? = nil) -> RunResult {
    var activeCount = [Int](repeating: 0, count: scenario.dayCount)
    let calendar = PeriodCalendar(kind: options.period, start: scenario.start, end: scenario.end)
    let layout = CellLayout(periods: calendar.periods, countryCodes: scenario.parameters.countries.map(\.code),
                            reportsEncounterStreams: scenario.hasEncounterStreams)
    let wholeRunLayout = layout.wholeRun
    let method = options.quantileMethod(cells: layout.cellCount + wholeRunLayout.cellCount + outcomes.count)
    let summary = RunSummary(layout: layout, method: method, replications: options.replications)
    let wholeRun = RunSummary(layout: wholeRunLayout, method: method, replications: options.replications)
    let outcomeSummary = RunningSummary(cellCount: outcomes.count, method: method, replications: options.replications)
    let keepFlights = options.keepFlights
    let point = options.point
    let seed = options.seed
    var done = 0
    ReplicationRunner.run(
        scenario: scenario, generator: options.generator, indices: 0..<options.replications, jobs: options.jobs,
        work: { sim, rep in
            var recorder = PairObserver(PairObserver(PeriodRecorder(layout: layout, calendar: calendar, keepFlights: keepFlights),
                                                     OutcomeRecorder(outcomes: outcomes)), RestrictionRecorder())
            sim.run(replication: rep, point: point, seed: seed, observer: &recorder)
            return ReplicationOutput(replication: rep, values: recorder.first.first.values, flights: recorder.first.first.flights,
                                     outcomeValues: recorder.first.second.values, restrictionActive: recorder.second.active,
                                     uncertain: scenario.uncertainty.isEmpty ? nil : sim.uncertainDraw(replication: rep, point: point, seed: seed))
        },
        consume: { _, output in
            for (d, on) in output.restrictionActive.enumerated() where on { activeCount[d] += 1 }
            summary.add(output.values, threads: options.jobs)
            wholeRun.add(layout.wholeRunValues(output.values))
            for (i, x) in output.outcomeValues.enumerated() { outcomeSummary.add(x, cell: i) }
            eachReplication?(output)
            done += 1
            progress?(done)
        })
    // Exact quantiles: each cell's values sorted, cells split over the workers.
    summary.statistics.finish(threads: options.jobs)
    wholeRun.statistics.finish(threads: options.jobs)
    outcomeSummary.finish()
    return RunResult(summary: summary, wholeRun: wholeRun, outcomes: outcomeSummary,
                     restrictionShare: activeCount.map { Double($0) / Double(max(1, options.replications)) })
}
