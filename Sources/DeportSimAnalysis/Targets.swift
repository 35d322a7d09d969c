import DeportSimCore
import Foundation

/// A period named as analysts name them: `2024-06`, `2024`, `FY2024`,
/// `2024-06-04..2024-11-30` (inclusive), or a single date `2024-11-24`.
public struct NamedPeriod: Sendable, Equatable, CustomStringConvertible {
    public var label: String
    public var first: CivilDate
    public var last: CivilDate

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        label = t
        if let r = t.range(of: "..") {
            guard let a = CivilDate(iso: String(t[..<r.lowerBound])), let b = CivilDate(iso: String(t[r.upperBound...])),
                  a <= b else { return nil }
            first = a; last = b
        } else if t.hasPrefix("FY"), t.count == 6, let y = Int(t.dropFirst(2)), let a = CivilDate(year: y - 1, month: 10, day: 1),
                  let b = CivilDate(year: y, month: 9, day: 30) {
            first = a; last = b
        } else if t.count == 4, let y = Int(t), let a = CivilDate(year: y, month: 1, day: 1), let b = CivilDate(year: y, month: 12, day: 31) {
            first = a; last = b
        } else if t.count == 7, let y = Int(t.prefix(4)), t.dropFirst(4).first == "-", let m = Int(t.suffix(2)),
                  let a = CivilDate(year: y, month: m, day: 1) {
            first = a; last = CivilDate(year: y, month: m, day: CivilDate.daysIn(year: y, month: m))!
        } else if let d = CivilDate(iso: t) {
            first = d; last = d
        } else {
            return nil
        }
    }

    public var description: String { label }
    package static let help = "a period: 2024-06 (month), 2024 (year), FY2024 (Oct 2023 to Sep 2024), 2024-11-24 (day) or 2024-06-04..2024-11-30"
}

/// What a target is for: fitted by `calibrate`, or held back as a check
/// the calibration never saw (docs/model.md, 10).
public enum TargetRole: String, Sendable, CaseIterable {
    case fit
    case check
    /// A target without `role:` counts as fitted: its agreement is then
    /// never presented as out-of-sample evidence.
    public static let `default` = TargetRole.fit
}

/// A reported figure to hold a scenario against (docs/model.md, 10).
public struct Target: Sendable {
    public var metrics: [Metric]
    public var country: String
    public var period: NamedPeriod
    public var value: Double
    public var source: String
    /// Relative error allowed when the reported value lies outside the 90% interval.
    public var tolerance: Double
    public var weight: Double
    public var role: TargetRole
    public var location: SourceLocation

    public init(metrics: [Metric], country: String, period: NamedPeriod, value: Double, source: String,
                tolerance: Double, weight: Double, role: TargetRole = .default, location: SourceLocation) {
        self.metrics = metrics; self.country = country; self.period = period; self.value = value
        self.source = source; self.tolerance = tolerance; self.weight = weight; self.role = role; self.location = location
    }

    public var metricLabel: String { metrics.map(\.name).joined(separator: "+") }

    /// Flows sum over the period; stocks take the period's last day.
    public var statistic: OutcomeStatistic { metrics[0].isStock ? .end : .total }

    public func outcome(in scenario: Scenario) -> OutcomeSpec {
        OutcomeSpec(name: "\(metricLabel) \(country) \(period)", metrics: metrics, country: country, period: period,
                    statistic: statistic, in: scenario)
    }
}
