import DeportSimCore

extension OutcomeSpec {
    /// The outcome of `metrics` (summed) of a country code or ALL over a
    /// named period clipped to the run (nil: the whole run), as targets,
    /// sweeps and `run` name them.
    public init(name: String, metrics: [Metric], country: String, period: NamedPeriod?, statistic: OutcomeStatistic,
                in scenario: Scenario) {
        let first = period.map { max(0, scenario.dayIndex(of: $0.first)) } ?? 0
        let last = period.map { min(scenario.dayCount - 1, scenario.dayIndex(of: $0.last)) } ?? scenario.dayCount - 1
        self.init(name: name, metrics: metrics,
                  country: country == "ALL" ? nil : scenario.parameters.countries.firstIndex { $0.code == country },
                  firstDay: first, lastDay: last, statistic: statistic)
    }
}

/// A named scalar outcome of a sweep (one value per point and replication).
public struct SweepOutcome: Sendable {
    public var name: String
    public var metrics: [Metric]
    public var country: String
    /// Nil: the whole run.
    public var period: NamedPeriod?
    public var statistic: OutcomeStatistic

    public init(name: String, metrics: [Metric], country: String, period: NamedPeriod?, statistic: OutcomeStatistic) {
        self.name = name; self.metrics = metrics; self.country = country; self.period = period; self.statistic = statistic
    }

    public func spec(in scenario: Scenario) -> OutcomeSpec {
        OutcomeSpec(name: name, metrics: metrics, country: country, period: period, statistic: statistic, in: scenario)
    }

    /// The outcome as the spec hash sees it.
    package var canonical: String {
        "\(name): \(metrics.map(\.name).joined(separator: "+")) \(country) \(period?.label ?? "run") \(statistic.rawValue)"
    }
}
