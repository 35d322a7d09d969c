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
///
/// The daily loop reads its own plain copy of the specs (`spans`,
/// `metrics`: no references), not `outcomes`: copying an `OutcomeSpec`
/// retains and releases its metric array and name, and the workers of a
/// sweep share one `outcomes`, so every day of every replication wrote the
/// same reference counts from every thread: about two retains and two
/// releases per outcome and day under callgrind, a quarter of a China
/// sweep's reference counting. Two jobs made as many instructions as one,
/// yet spent about 2 CPU s more on 256 points x 20 replications: atomic
/// writes to one cache line from both cores are the likely cost.
public struct OutcomeRecorder: DayObserver {
    public let outcomes: [OutcomeSpec]
    public private(set) var values: [Double]
    private var days: [Int]
    private let spans: [Span]
    /// Every outcome's metrics, one after another (`Span.metrics` indexes them).
    private let metrics: [Metric]
    public var wantsFlights: Bool { false }

    /// One outcome's spec without references.
    private struct Span {
        var firstDay: Int, lastDay: Int
        var country: Int?
        var statistic: OutcomeStatistic
        var metrics: Range<Int>
    }

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
        var metrics: [Metric] = [], spans: [Span] = []
        for o in outcomes {
            spans.append(Span(firstDay: o.firstDay, lastDay: o.lastDay, country: o.country, statistic: o.statistic,
                              metrics: metrics.count ..< metrics.count + o.metrics.count))
            metrics += o.metrics
        }
        self.spans = spans
        self.metrics = metrics
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
        for i in spans.indices {
            let o = spans[i]
            guard day >= o.firstDay && day <= o.lastDay else { continue }
            // An end value needs only its last day.
            if o.statistic == .end && day != o.lastDay { continue }
            var x = 0.0
            for k in o.metrics { x += OutcomeRecorder.value(of: metrics[k], country: o.country, countries, border) }
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
