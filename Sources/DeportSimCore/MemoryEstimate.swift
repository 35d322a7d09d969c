internal import GSLSupport

/// What a run keeps in memory, estimated before it starts so a run too big
/// for the machine is refused with the reason instead of being killed (or
/// swapping) hours in. Memory does not grow with the replication count:
/// the summaries keep a fixed size per cell, and only a bounded window of
/// finished replications waits to be summarised (`ReplicationRunner`).
public struct MemoryEstimate: Sendable {
    /// Summary cells (period x country and ALL x metric), over all summaries kept.
    public let cells: Int
    /// What the running statistics keep per cell (GSLRunningStatistics: n,
    /// mean, M2, min, max and three P-square quantile states).
    public static var bytesPerCell: Int { GSLRunningStatistics.bytesPerCell }
    /// One replication's table (and flight records) while it waits its turn.
    public let bytesPerReplication: Int
    /// Replications held at once: one per worker plus the waiting window of
    /// 2 x jobs, or all of them when there are fewer.
    public let replicationsHeld: Int

    public var bytes: Int { cells * Self.bytesPerCell + replicationsHeld * bytesPerReplication }

    /// - Parameters:
    ///   - summaries: how many summaries of the run's cells are kept (1 for
    ///     a run; a diff keeps the baseline, and per variant its means and
    ///     the differences).
    ///   - tablesPerReplication: period tables per replication (a diff runs
    ///     the baseline and every variant in each).
    public init(scenario: Scenario, options: RunOptions, summaries: Int = 1, tablesPerReplication: Int = 1) {
        let calendar = PeriodCalendar(kind: options.period, start: scenario.start, end: scenario.end)
        let layout = CellLayout(periods: calendar.periods, countryCodes: scenario.parameters.countries.map(\.code))
        cells = layout.cellCount * summaries
        var perReplication = layout.cellCount * MemoryLayout<Double>.stride * tablesPerReplication
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
                perReplication += flights * (MemoryLayout<FlightRecord>.stride + 32 + 8 * route.countryIndices.count)
            }
        }
        bytesPerReplication = perReplication
        replicationsHeld = min(options.replications, 3 * max(1, options.jobs))
    }
}
