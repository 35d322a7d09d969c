import DeportSimCore
import Foundation

/// Backtests: calibrate on what was reported before a forecast origin,
/// forecast what came after, score the forecasts (docs/model.md, 10.4).
public enum Backtest {
    /// The 90% and 50% intervals scored; the interval score's alpha is 0.1.
    public static let intervalAlpha = 0.1

    /// Targets the calibration may see (their period ends before `origin`)
    /// and targets to forecast (their period starts on or after it).
    /// Targets whose period straddles the origin are in neither: part of
    /// their value was known at the origin.
    public static func split(_ targets: [Target], origin: CivilDate) -> (fit: [Target], forecast: [Target]) {
        (targets.filter { $0.period.last < origin }, targets.filter { $0.period.first >= origin })
    }

    /// Months ahead: the calendar month of the period's last day counted
    /// from the origin's month, that month being 1 (a target for the
    /// origin's own month has horizon 1).
    public static func horizonMonths(origin: CivilDate, period: NamedPeriod) -> Int {
        (12 * period.last.year + period.last.month) - (12 * origin.year + origin.month) + 1
    }

    /// The kind of a period, for the naive forecast: month, year, fiscal
    /// year, day, or a range of so many days.
    public static func periodKind(_ p: NamedPeriod) -> String {
        let label = p.label
        if label.contains("..") { return "range of \(p.last.dayNumber - p.first.dayNumber + 1) days" }
        if label.hasPrefix("FY") { return "fiscal year" }
        if label.count == 4 { return "year" }
        if label.count == 7 { return "month" }
        return "day"
    }

    /// The naive forecast: the value last reported before the origin for the
    /// same metric, country and period kind (the one whose period ends
    /// latest; the first in file order among ties), carried forward; nil
    /// when there is none.
    public static func naive(for target: Target, known: [Target]) -> Double? {
        let kind = periodKind(target.period)
        let same = known.filter { $0.metricLabel == target.metricLabel && $0.country == target.country && periodKind($0.period) == kind }
        return same.reduce(nil as Target?) { best, t in
            guard let best else { return t }
            return t.period.last > best.period.last ? t : best
        }?.value
    }

    /// One forecast held against its reported value.
    public struct Row: Sendable {
        public let origin: CivilDate
        public let target: Target
        public let horizonMonths: Int
        public let forecast: ForecastQuantiles
        public let crps: Double
        public let naive: Double?

        public init(origin: CivilDate, target: Target, sample: [Double], naive: Double?) {
            self.origin = origin; self.target = target; self.naive = naive
            horizonMonths = Backtest.horizonMonths(origin: origin, period: target.period)
            forecast = ForecastQuantiles(sample: sample)
            crps = ForecastScore.crps(sample: sample, observed: target.value)
        }

        public var inside50: Bool { ForecastScore.inside(low: forecast.p25, high: forecast.p75, observed: target.value) }
        public var inside90: Bool { ForecastScore.inside(low: forecast.p05, high: forecast.p95, observed: target.value) }
        public var intervalScore: Double {
            ForecastScore.intervalScore(low: forecast.p05, high: forecast.p95, observed: target.value, alpha: Backtest.intervalAlpha)
        }
        public var absoluteError: Double { abs(forecast.mean - target.value) }
        /// |mean - reported| / |naive - reported|; NaN without a naive forecast or when it is exact.
        public var absErrorRatio: Double {
            guard let naive, naive != target.value else { return .nan }
            return absoluteError / abs(naive - target.value)
        }
    }

    /// The scores of the rows of one horizon (nil: all horizons).
    public struct Summary: Sendable {
        public let horizonMonths: Int?
        public let count: Int
        public let coverage50, coverage90: Double
        public let meanIntervalScore: Double
        /// Mean absolute percentage error over the rows with a reported value other than 0 (percent).
        public let meanAbsolutePercentageError: Double
        /// sum |mean - reported| / sum |naive - reported| over the rows with a
        /// naive forecast (below 1: better than carrying the last value forward).
        public let errorRelativeToNaive: Double
        public let rowsWithNaive: Int

        init(horizon: Int?, rows: [Row]) {
            horizonMonths = horizon
            count = rows.count
            coverage50 = ForecastScore.coverage(rows.map(\.inside50))
            coverage90 = ForecastScore.coverage(rows.map(\.inside90))
            meanIntervalScore = rows.map(\.intervalScore).reduce(0, +) / Double(max(rows.count, 1))
            let nonzero = rows.filter { $0.target.value != 0 }
            meanAbsolutePercentageError = nonzero.isEmpty ? .nan
                : 100 * nonzero.map { $0.absoluteError / abs($0.target.value) }.reduce(0, +) / Double(nonzero.count)
            let withNaive = rows.filter { $0.naive != nil }
            rowsWithNaive = withNaive.count
            let naiveError = withNaive.map { abs($0.naive! - $0.target.value) }.reduce(0, +)
            errorRelativeToNaive = naiveError > 0 ? withNaive.map(\.absoluteError).reduce(0, +) / naiveError : .nan
        }
    }

    /// One summary per horizon, in increasing order, then one over all rows.
    public static func summaries(_ rows: [Row]) -> [Summary] {
        Set(rows.map(\.horizonMonths)).sorted().map { h in Summary(horizon: h, rows: rows.filter { $0.horizonMonths == h }) }
            + [Summary(horizon: nil, rows: rows)]
    }
}
