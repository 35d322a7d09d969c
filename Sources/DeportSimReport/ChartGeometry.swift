import DeportSimAnalysis
import DeportSimCore
import DeportSimIO
import Foundation

// Chart geometry: scales, "nice" ticks, date ticks and SVG path data.
// Pure functions of their arguments; no files, no HTML.

/// Maps a data interval linearly onto a pixel interval (which may run
/// backwards, as a y axis does: larger values higher up).
struct LinearScale: Sendable, Equatable {
    var domainLow: Double
    var domainHigh: Double
    var rangeLow: Double
    var rangeHigh: Double

    init(domain: (Double, Double), range: (Double, Double)) {
        domainLow = domain.0; domainHigh = domain.1
        rangeLow = range.0; rangeHigh = range.1
    }

    func callAsFunction(_ x: Double) -> Double {
        let span = domainHigh - domainLow
        // A zero-width domain maps everything to the middle instead of dividing by zero.
        guard span != 0 else { return (rangeLow + rangeHigh) / 2 }
        return rangeLow + (x - domainLow) / span * (rangeHigh - rangeLow)
    }
}

/// A numeric axis: its extent (a whole number of steps) and tick values.
struct NumericAxis: Sendable, Equatable {
    var low: Double
    var high: Double
    var step: Double
    var ticks: [Double]
    /// Tick values scaled for their labels: 1 (plain), 1e3 (thousands shown
    /// with separators), or 1e6 when labels are in millions ("12.5M").
    var labelDivisor: Double

    func label(_ value: Double) -> String { AxisMath.tickLabel(value, step: step, divisor: labelDivisor) }
    var labels: [String] { ticks.map(label) }
}

/// A tick on a date axis, at the start of the day `dayNumber`.
struct DateTick: Sendable, Equatable {
    var dayNumber: Int
    var label: String
    var date: CivilDate { CivilDate(dayNumber: dayNumber) }
}

enum AxisMath {
    /// The 1, 2, 5 x 10^k step that splits `span` into at most about `count` parts.
    static func niceStep(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite, count > 0 else { return 1 }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// A value axis covering the finite values given, with about `count`
    /// ticks. Counts and costs are drawn from zero (`includeZero`), so bars
    /// and levels are not exaggerated. A series of zeros, or of one value,
    /// still gets an axis of non-zero height.
    static func numericAxis(values: [Double], count: Int = 5, includeZero: Bool = true) -> NumericAxis {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 0
        if includeZero { low = min(low, 0); high = max(high, 0) }
        if high == low {
            // Zero-height series (all zeros, or one value without zero):
            // from 0 to 1 for zeros, else 10% either side of the value.
            if low == 0 { high = 1 } else { let pad = abs(low) * 0.1; low -= pad; high += pad }
        }
        let step = niceStep(span: high - low, count: count)
        let lowTick = floor(low / step + 1e-9) * step
        let highTick = ceil(high / step - 1e-9) * step
        var ticks: [Double] = []
        var t = lowTick
        var i = 0
        while t <= highTick + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            i += 1
            t = lowTick + Double(i) * step
        }
        let largest = max(abs(lowTick), abs(highTick))
        let divisor: Double = largest >= 10_000_000 ? 1e6 : 1
        return NumericAxis(low: lowTick, high: highTick, step: step, ticks: ticks, labelDivisor: divisor)
    }

    /// A tick label: thousands separators, as many decimals as the step
    /// needs, millions as "12.5M" when the divisor is 1e6.
    static func tickLabel(_ value: Double, step: Double, divisor: Double = 1) -> String {
        if value == 0 { return "0" }
        let v = value / divisor
        let s = step / divisor
        var decimals = 0
        if s > 0 && s < 1 {
            decimals = Int(ceil(-log10(s) - 1e-9))
            if (s * pow(10, Double(decimals))).rounded() != s * pow(10, Double(decimals)) { decimals += 1 }
        }
        return groupedNumber(v, decimals: min(decimals, 6)) + (divisor == 1e6 ? "M" : "")
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Date ticks between two days (inclusive) at the finest calendar
    /// interval that gives at most `maxTicks` ticks: days, weeks (Mondays;
    /// spans up to 62 days), 1, 2, 3 or 6 months (first of the month), or
    /// 1, 2, 5, 10... years.
    /// Month labels carry the year at January and at the first tick.
    static func dateTicks(first: CivilDate, last: CivilDate, maxTicks: Int = 8) -> [DateTick] {
        let a = first.dayNumber, b = max(last.dayNumber, first.dayNumber)
        let limit = max(maxTicks, 2)
        func dayLabel(_ d: CivilDate, withYear: Bool) -> String {
            "\(monthNames[d.month - 1]) \(d.day)" + (withYear ? ", \(d.year)" : "")
        }
        // Days.
        for step in [1, 2] where (b - a) / step + 1 <= limit {
            return stride(from: a, through: b, by: step).enumerated().map { i, n in
                let d = CivilDate(dayNumber: n)
                return DateTick(dayNumber: n, label: dayLabel(d, withYear: i == 0 || (d.month == 1 && d.day == 1)))
            }
        }
        // Weeks, on Mondays, for up to about two months (beyond, months read better).
        let firstMonday = a + (8 - first.isoWeekday) % 7
        for weeks in [1, 2] where b - a <= 62 {
            let days = stride(from: firstMonday, through: b, by: 7 * weeks).map { $0 }
            if days.count <= limit && !days.isEmpty {
                var previousYear = -1
                return days.map { n in
                    let d = CivilDate(dayNumber: n)
                    defer { previousYear = d.year }
                    return DateTick(dayNumber: n, label: dayLabel(d, withYear: d.year != previousYear))
                }
            }
        }
        // Months, on the first of months divisible by the step (Jan, Apr, Jul, Oct for 3).
        for months in [1, 2, 3, 6] {
            var ticks: [CivilDate] = []
            var y = first.year, m = first.month
            if first.day != 1 { m += 1; if m > 12 { m = 1; y += 1 } }
            while let d = CivilDate(year: y, month: m, day: 1), d.dayNumber <= b {
                if (m - 1) % months == 0 { ticks.append(d) }
                m += 1; if m > 12 { m = 1; y += 1 }
            }
            if ticks.count <= limit && !ticks.isEmpty {
                return ticks.enumerated().map { i, d in
                    let name = monthNames[d.month - 1]
                    return DateTick(dayNumber: d.dayNumber, label: (i == 0 || d.month == 1) ? "\(name) \(d.year)" : name)
                }
            }
        }
        // Years.
        var step = 1
        while true {
            var ticks: [CivilDate] = []
            var y = first.month == 1 && first.day == 1 ? first.year : first.year + 1
            y = Int((Double(y) / Double(step)).rounded(.up)) * step
            while let d = CivilDate(year: y, month: 1, day: 1), d.dayNumber <= b { ticks.append(d); y += step }
            if ticks.count <= limit {
                if ticks.isEmpty { return [DateTick(dayNumber: a, label: dayLabel(first, withYear: true))] }
                return ticks.map { DateTick(dayNumber: $0.dayNumber, label: String($0.year)) }
            }
            step = step == 1 ? 2 : step == 2 ? 5 : step * 2
        }
    }
}

/// SVG path data, with coordinates rounded to 0.1 px so equal inputs give
/// equal bytes.
enum PathData {
    static func number(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        if r == r.rounded() { return String(Int(r)) }
        return String(format: "%.1f", r)
    }

    /// A polyline through the points; a nil or non-finite point breaks the
    /// line, so missing values are gaps, not zeros.
    static func line(_ points: [(x: Double, y: Double)?]) -> String {
        var out: [String] = []
        var penDown = false
        for p in points {
            guard let p, p.x.isFinite, p.y.isFinite else { penDown = false; continue }
            out.append((penDown ? "L" : "M") + number(p.x) + " " + number(p.y))
            penDown = true
        }
        return out.joined(separator: " ")
    }

    /// A closed area between an upper and a lower line over the same x
    /// values (an interval band); stretches with a missing bound are skipped.
    static func band(x: [Double], lower: [Double], upper: [Double]) -> String {
        var pieces: [String] = []
        var run: [(Double, Double, Double)] = []
        func flush() {
            guard !run.isEmpty else { return }
            var d = run.enumerated().map { i, p in (i == 0 ? "M" : "L") + number(p.0) + " " + number(p.2) }
            d += run.reversed().map { "L" + number($0.0) + " " + number($0.1) }
            pieces.append(d.joined(separator: " ") + " Z")
            run.removeAll()
        }
        for i in x.indices {
            let (a, lo, hi) = (x[i], lower[i], upper[i])
            if a.isFinite && lo.isFinite && hi.isFinite { run.append((a, lo, hi)) } else { flush() }
        }
        flush()
        return pieces.joined(separator: " ")
    }

    /// An axis-aligned rectangle as path data.
    static func rect(x: Double, y: Double, width: Double, height: Double) -> String {
        "M\(number(x)) \(number(y)) H\(number(x + width)) V\(number(y + height)) H\(number(x)) Z"
    }
}
