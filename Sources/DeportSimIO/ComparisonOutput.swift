import DeportSimAnalysis
import DeportSimCore
import Foundation

/// comparison.csv and the terminal table of `compare` and `calibrate`.
extension Comparison {
    public static let header = ["metric", "country", "period", "reported", "mean", "p05", "p95", "relative_error",
                                "within_interval", "source", "tolerance", "pass"]

    public static func csv(_ rows: [ComparisonRow]) -> String {
        var out = csvLine(header)
        for r in rows {
            out += csvLine([r.target.metricLabel, r.target.country, r.target.period.label, formatNumber(r.target.value),
                            formatNumber(r.mean), formatNumber(r.p05), formatNumber(r.p95), formatNumber(r.relativeError),
                            r.withinInterval ? "true" : "false", r.target.source, formatNumber(r.target.tolerance),
                            r.passes ? "true" : "false"])
        }
        return out
    }

    /// The table printed by `compare` and `calibrate`.
    public static func table(_ rows: [ComparisonRow]) -> String {
        var lines = [pad("target", 44) + padLeft("reported", 12) + padLeft("simulated", 12) + "   " + pad("90% interval", 24)
                     + padLeft("rel.err", 9) + "  result"]
        for r in rows {
            let name = "\(r.target.metricLabel) \(r.target.country) \(r.target.period)"
            let rel = r.relativeError.isFinite ? String(format: "%+.1f%%", 100 * r.relativeError) : "NA"
            lines.append(pad(name, 44) + padLeft(thousands(r.target.value), 12) + padLeft(thousands(r.mean), 12) + "   "
                         + pad(thousands(r.p05) + " to " + thousands(r.p95), 24) + padLeft(rel, 9) + "  "
                         + (r.passes ? (r.withinInterval ? "pass" : "pass (within tolerance)") : "FAIL"))
        }
        let zero = rows.filter { $0.target.value == 0 }.count
        let failed = rows.filter { !$0.passes }.count
        lines.append("\(rows.count) target\(rows.count == 1 ? "" : "s"), \(failed) failed; mean absolute percentage error "
                     + String(format: "%.1f%%", meanAbsolutePercentageError(rows))
                     + (zero > 0 ? " (over the \(rows.count - zero) with a reported value other than 0)" : "")
                     + "; reported value inside the 90% interval for " + String(format: "%.0f%%", coverage(rows)))
        return lines.joined(separator: "\n")
    }
}
