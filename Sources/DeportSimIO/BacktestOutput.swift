import DeportSimAnalysis
import Foundation

/// backtest.csv, backtest_summary.csv and the table `backtest` prints.
extension Backtest {
    public static let header = ["origin", "metric", "country", "period", "horizon_months", "reported", "mean", "p05", "p25",
                                "p75", "p95", "inside_50", "inside_90", "interval_score", "crps", "naive", "abs_error_ratio"]

    public static func csv(_ rows: [Row]) -> String {
        var out = csvLine(header)
        for r in rows {
            let f = r.forecast
            out += csvLine([r.origin.description, r.target.metricLabel, r.target.country, r.target.period.label, String(r.horizonMonths),
                            formatNumber(r.target.value), formatNumber(f.mean), formatNumber(f.p05), formatNumber(f.p25),
                            formatNumber(f.p75), formatNumber(f.p95), r.inside50 ? "true" : "false", r.inside90 ? "true" : "false",
                            formatNumber(r.intervalScore), formatNumber(r.crps), r.naive.map(formatNumber) ?? "NA",
                            formatNumber(r.absErrorRatio)])
        }
        return out
    }

    public static let summaryHeader = ["horizon_months", "targets", "coverage_50", "coverage_90", "mean_interval_score",
                                       "mape", "error_relative_to_naive", "targets_with_naive"]

    /// One row per horizon, then `all`.
    public static func summaryCSV(_ summaries: [Summary]) -> String {
        var out = csvLine(summaryHeader)
        for s in summaries {
            out += csvLine([s.horizonMonths.map(String.init) ?? "all", String(s.count), formatNumber(s.coverage50),
                            formatNumber(s.coverage90), formatNumber(s.meanIntervalScore), formatNumber(s.meanAbsolutePercentageError),
                            formatNumber(s.errorRelativeToNaive), String(s.rowsWithNaive)])
        }
        return out
    }

    public static func summaryTable(_ summaries: [Summary], contents: IntervalContents) -> String {
        func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.0f%%", 100 * x) : "NA" }
        var lines = ["intervals include: " + contents.label,
                     padLeft("horizon", 8) + padLeft("targets", 9) + padLeft("in 50%", 8) + padLeft("in 90%", 8)
                     + padLeft("interval score", 16) + padLeft("MAPE", 9) + padLeft("vs naive", 10)]
        for s in summaries {
            lines.append(padLeft(s.horizonMonths.map { "\($0) mo" } ?? "all", 8) + padLeft(String(s.count), 9)
                         + padLeft(percent(s.coverage50), 8) + padLeft(percent(s.coverage90), 8)
                         + padLeft(thousands(s.meanIntervalScore), 16)
                         + padLeft(s.meanAbsolutePercentageError.isFinite ? String(format: "%.1f%%", s.meanAbsolutePercentageError) : "NA", 9)
                         + padLeft(s.errorRelativeToNaive.isFinite ? String(format: "%.2f", s.errorRelativeToNaive) : "NA", 10))
        }
        lines.append("in 50% / in 90%: share of reported values inside the forecast's central 50% / 90% interval (expect about 50% and 90%); "
                     + "interval score: Gneiting & Raftery (2007), alpha 0.1, lower is better; vs naive: the forecast's total absolute error "
                     + "over that of carrying the last reported value forward (below 1 is better)")
        return lines.joined(separator: "\n")
    }
}
