/// How days are grouped in outputs.
public enum PeriodKind: String, CaseIterable, Sendable {
    case day, week, month
    case fiscalYear = "fiscal_year"
    case year, total
}

/// One output period: an inclusive date range, clipped to the run (partial
/// first and last periods are reported as they are).
public struct Period: Sendable, Equatable {
    public var start: CivilDate
    public var end: CivilDate
    public init(start: CivilDate, end: CivilDate) { self.start = start; self.end = end }
}

/// The periods of a run and the period of each day.
public struct PeriodCalendar: Sendable {
    public let kind: PeriodKind
    public let periods: [Period]
    /// periodOfDay[d] is the index into `periods` of run day d.
    public let periodOfDay: [Int]
    /// endsPeriod[d]: whether run day d is the last day of its period.
    public let endsPeriod: [Bool]

    public init(kind: PeriodKind, start: CivilDate, end: CivilDate) {
        self.kind = kind
        var periods: [Period] = []
        var periodOfDay: [Int] = []
        let n = end.dayNumber - start.dayNumber + 1
        periodOfDay.reserveCapacity(n)
        var currentKey: Int? = nil
        for d in 0..<n {
            let date = start.adding(days: d)
            let key = PeriodCalendar.key(of: date, kind: kind)
            if key != currentKey {
                if let last = periods.indices.last { periods[last].end = start.adding(days: d - 1) }
                periods.append(Period(start: date, end: date))
                currentKey = key
            }
            periodOfDay.append(periods.count - 1)
        }
        if let last = periods.indices.last { periods[last].end = end }
        self.periods = periods
        self.periodOfDay = periodOfDay
        endsPeriod = periodOfDay.indices.map { $0 == periodOfDay.count - 1 || periodOfDay[$0 + 1] != periodOfDay[$0] }
    }

    /// A number that changes exactly when a new period starts.
    static func key(of date: CivilDate, kind: PeriodKind) -> Int {
        switch kind {
        case .day: return date.dayNumber
        // ISO weeks: Monday to Sunday.
        case .week: return (date.dayNumber - (date.isoWeekday - 1))
        case .month: return date.year * 12 + date.month
        // US federal fiscal year: October 1 to September 30, named by its end.
        case .fiscalYear: return date.month >= 10 ? date.year + 1 : date.year
        case .year: return date.year
        case .total: return 0
        }
    }
}
