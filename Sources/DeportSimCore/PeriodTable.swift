/// Where each (period, country, metric) value lives in a flat table.
///
/// Per period: every modelled country's per-country metrics, in scenario
/// order, then the row of country ALL, which also has the border-wide ones.
public struct CellLayout: Sendable {
    public let periods: [Period]
    public let countryCodes: [String]
    public let countryWidth = Metric.perCountry.count
    public let periodStride: Int
    /// Whether `encounters_border_patrol` and `encounters_ports` are
    /// reported: only for scenarios with two encounter streams
    /// (`Scenario.hasEncounterStreams`), so others' files are unchanged.
    public let reportsEncounterStreams: Bool
    /// The metrics reported on country rows and on ALL's, in order.
    public let countryMetrics: [Metric]
    public let allMetrics: [Metric]

    public init(periods: [Period], countryCodes: [String], reportsEncounterStreams: Bool = false) {
        self.periods = periods
        self.countryCodes = countryCodes
        periodStride = countryCodes.count * Metric.perCountry.count + Metric.count
        self.reportsEncounterStreams = reportsEncounterStreams
        allMetrics = Metric.allCases.filter { reportsEncounterStreams || !$0.isEncounterStream }
        countryMetrics = allMetrics.filter { !$0.isBorderWide }
    }

    public var cellCount: Int { periods.count * periodStride }
    public var allRow: Int { countryCodes.count }

    /// `row` is a country index, or `allRow` for ALL.
    @inline(__always) public func cell(period: Int, row: Int, metric: Metric) -> Int {
        period * periodStride + row * countryWidth + metric.rawValue
    }

    /// The metrics reported for a row.
    public func metrics(row: Int) -> [Metric] { row == allRow ? allMetrics : countryMetrics }
    public func rowName(_ row: Int) -> String { row == allRow ? "ALL" : countryCodes[row] }

    /// The same rows over one period, the whole run.
    public var wholeRun: CellLayout {
        CellLayout(periods: [Period(start: periods.first!.start, end: periods.last!.end)], countryCodes: countryCodes,
                   reportsEncounterStreams: reportsEncounterStreams)
    }

    /// One replication's table (`values`, this layout) as `wholeRun`'s:
    /// flows summed over the periods, stocks as at the last period's end,
    /// what one period spanning the run records (docs/model.md 11).
    public func wholeRunValues(_ values: [Double]) -> [Double] {
        let countryCells = countryCodes.count * countryWidth
        let stock = (0..<periodStride).map { i in
            (i < countryCells ? Metric(rawValue: i % countryWidth) : Metric(rawValue: i - countryCells))?.isStock ?? false
        }
        var total = [Double](repeating: 0, count: periodStride)
        for p in periods.indices {
            for i in 0..<periodStride {
                let x = values[p * periodStride + i]
                total[i] = stock[i] ? x : total[i] + x
            }
        }
        return total
    }
}

/// Sums flows and keeps end-of-period stocks of one replication.
///
/// Country rows take each day's values; ALL's per-country metrics are the
/// sums of the country rows, formed once on each period's last day (the
/// rows then hold the period's flows and its last day's stocks), so the
/// daily work is one add per country and metric. The sums of whole numbers
/// below 2^53 are exact in any order, so they equal the day-by-day sums.
/// The table is complete once the run's last day has been observed.
public struct PeriodRecorder: DayObserver {
    public let layout: CellLayout
    /// The run's periods: which period each day adds to, and which days end one.
    let calendar: PeriodCalendar
    public private(set) var values: [Double]
    public var wantsFlights: Bool
    public private(set) var flights: [FlightRecord] = []

    public init(layout: CellLayout, calendar: PeriodCalendar, keepFlights: Bool = false) {
        self.layout = layout
        self.calendar = calendar
        self.values = Array(repeating: 0, count: layout.cellCount)
        self.wantsFlights = keepFlights
    }

    public mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay,
                                 flights: ArraySlice<FlightRecord>) {
        let base = calendar.periodOfDay[day] * layout.periodStride
        let width = layout.countryWidth
        let endsPeriod = calendar.endsPeriod[day]
        values.withUnsafeMutableBufferPointer { v in
            let rows = v.baseAddress! + base
            for c in 0..<countries.count { countries[c].accumulate(into: rows + c * width) }
            let all = rows + layout.allRow * width
            // ALL counts each flight once, however many countries it carried.
            all[Metric.flights.rawValue] += Double(border.flightsFlown)
            for m in Metric.borderWide {
                if m.isStock { all[m.rawValue] = border.value(m) } else { all[m.rawValue] += border.value(m) }
            }
            if endsPeriod {
                for m in Metric.perCountry where m != .flights {
                    var sum = 0.0
                    for c in 0..<countries.count { sum += rows[c * width + m.rawValue] }
                    all[m.rawValue] = sum
                }
            }
        }
        if wantsFlights { self.flights.append(contentsOf: flights) }
    }
}
