/// How the daily values of an outcome's date range become one number.
public enum OutcomeStatistic: String, CaseIterable, Sendable {
    /// Sum over the range's days.
    case total
    /// Daily mean.
    case mean
    case max, min
    /// Value on the range's last day.
    case end
}

/// One scalar per replication: a metric (or the sum of several) of a
/// country or ALL over a range of run days.
public struct OutcomeSpec: Sendable {
    public var name: String
    public var metrics: [Metric]
    /// Country index, or nil for ALL.
    public var country: Int?
    /// Run day indices, inclusive.
    public var firstDay: Int
    public var lastDay: Int
    public var statistic: OutcomeStatistic
    public init(name: String, metrics: [Metric], country: Int?, firstDay: Int, lastDay: Int, statistic: OutcomeStatistic) {
        self.name = name; self.metrics = metrics; self.country = country
        self.firstDay = firstDay; self.lastDay = lastDay; self.statistic = statistic
    }
}

/// Computes outcome values of one replication from its days.
public struct OutcomeRecorder: DayObserver {
    public let outcomes: [OutcomeSpec]
    public private(set) var values: [Double]
    private var days: [Int]
    public var wantsFlights: Bool { false }

    public init(outcomes: [OutcomeSpec]) {
        self.outcomes = outcomes
        values = outcomes.map { o in
            switch o.statistic {
            case .max: -Double.infinity
            case .min: Double.infinity
            default: 0
            }
        }
        days = Array(repeating: 0, count: outcomes.count)
    }

    @inline(__always) static func value(of m: Metric, country: Int?, _ countries: UnsafeBufferPointer<CountryDay>,
                                        _ border: BorderDay) -> Double {
        if m.isBorderWide { return border.value(m) }
        if let c = country { return countries[c].value(m) }
        if m == .flights { return Double(border.flightsFlown) }
        var s = 0.0
        for c in 0..<countries.count { s += countries[c].value(m) }
        return s
    }

    public mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay,
                                 flights: ArraySlice<FlightRecord>) {
        for (i, o) in outcomes.enumerated() where day >= o.firstDay && day <= o.lastDay {
            var x = 0.0
            for m in o.metrics { x += OutcomeRecorder.value(of: m, country: o.country, countries, border) }
            days[i] += 1
            switch o.statistic {
            case .total: values[i] += x
            case .mean: values[i] += (x - values[i]) / Double(days[i])
            case .max: values[i] = Swift.max(values[i], x)
            case .min: values[i] = Swift.min(values[i], x)
            case .end: values[i] = x
            }
        }
    }
}
