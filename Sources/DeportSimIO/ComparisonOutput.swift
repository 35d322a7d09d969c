import DeportSimAnalysis
import DeportSimCore
import Foundation

/// comparison.csv and the terminal table of `compare` and `calibrate`.
extension Comparison {
    public static let header = ["metric", "country", "period", "reported", "mean", "p05", "p95", "relative_error",
                                "within_interval", "source", "tolerance", "pass", "role", "pass_by"]

    public static func csv(_ rows: [ComparisonRow]) -> String {
        var out = csvLine(header)
        for r in rows {
            out += csvLine([r.target.metricLabel, r.target.country, r.target.period.label, formatNumber(r.target.value),
                            formatNumber(r.mean), formatNumber(r.p05), formatNumber(r.p95), formatNumber(r.relativeError),
                            r.withinInterval ? "true" : "false", r.target.source, formatNumber(r.target.tolerance),
                            r.passes ? "true" : "false", r.target.role.rawValue, r.passBy?.rawValue ?? ""])
        }
        return out
    }

    /// The table printed by `compare` and `calibrate`; `contents` says what
    /// the intervals include.
    public static func table(_ rows: [ComparisonRow], contents: IntervalContents) -> String {
        var lines = ["90% intervals include: " + contents.label,
                     pad("target", 44) + padLeft("reported", 12) + padLeft("simulated", 12) + "   " + pad("90% interval", 24)
                     + padLeft("rel.err", 9) + padLeft("tol.", 6) + "  " + pad("role", 6) + "  result"]
        for r in rows {
            let name = "\(r.target.metricLabel) \(r.target.country) \(r.target.period)"
            let rel = r.relativeError.isFinite ? String(format: "%+.1f%%", 100 * r.relativeError) : "NA"
            let result: String
            switch r.passBy {
            case .interval: result = "pass"
            case .tolerance: result = "pass by tolerance (outside the interval)"
            case nil: result = "FAIL"
            }
            lines.append(pad(name, 44) + padLeft(thousands(r.target.value), 12) + padLeft(thousands(r.mean), 12) + "   "
                         + pad(thousands(r.p05) + " to " + thousands(r.p95), 24) + padLeft(rel, 9)
                         + padLeft(String(format: "%.0f%%", 100 * r.target.tolerance), 6) + "  " + pad(r.target.role.rawValue, 6)
                         + "  " + result)
        }
        let failed = rows.filter { !$0.passes }.count
        lines.append("\(rows.count) target\(rows.count == 1 ? "" : "s"), \(failed) failed")
        for role in TargetRole.allCases {
            let some = Comparison.rows(rows, role: role)
            if !some.isEmpty { lines.append(summaryLine(some, role: role)) }
        }
        return lines.joined(separator: "\n")
    }

    /// The share inside the interval, rounded, but never to 100% (or 0%)
    /// when some target is outside (or inside): 263 of 264 is 99.6%.
    static func coverageText(_ rows: [ComparisonRow]) -> String {
        let percent = coverage(rows), inside = rows.filter(\.withinInterval).count
        let whole = String(format: "%.0f%%", percent)
        return (whole == "100%" && inside < rows.count) || (whole == "0%" && inside > 0) ? String(format: "%.1f%%", percent) : whole
    }

    /// MAPE and coverage of the targets of one role.
    static func summaryLine(_ rows: [ComparisonRow], role: TargetRole) -> String {
        let zero = rows.filter { $0.target.value == 0 }.count
        let byTolerance = rows.filter { $0.passBy == .tolerance }.count
        let what = role == .fit ? "fitted" : "check (not fitted)"
        return "  \(what): \(rows.count) target\(rows.count == 1 ? "" : "s"), mean absolute percentage error "
            + String(format: "%.1f%%", meanAbsolutePercentageError(rows))
            + (zero > 0 ? " (over the \(rows.count - zero) with a reported value other than 0)" : "")
            + "; inside the 90% interval " + coverageText(rows)
            + "; \(rows.filter { !$0.passes }.count) failed, \(byTolerance) passed by tolerance only"
    }
}
