import Foundation

// Every number the tool writes as text goes through this file, in one of
// five styles. They share one rule for what is not a number (NA, Inf,
// -Inf) and one for whole numbers (no decimal point); none uses the locale
// or an exponent, so equal runs give equal bytes.

/// "NA", "Inf" or "-Inf" for a value that is not finite; nil otherwise.
private func nonFiniteText(_ x: Double) -> String? {
    x.isNaN ? "NA" : x.isInfinite ? (x > 0 ? "Inf" : "-Inf") : nil
}

/// The digits of a whole number that an Int holds exactly; nil otherwise.
private func wholeText(_ x: Double) -> String? {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : nil
}

/// Numbers in CSV outputs: at most 4 decimals, trailing zeros dropped, no
/// exponent, `.` as decimal mark.
package func formatNumber(_ x: Double) -> String {
    if let s = nonFiniteText(x) ?? wholeText(x) { return s }
    let scaled = (abs(x) * 10_000).rounded()
    guard scaled < 9e15 else { return String(x) }
    let units = Int(scaled)
    let whole = units / 10_000
    var fraction = units % 10_000
    if fraction == 0 { return (x < 0 && whole != 0 ? "-" : "") + String(whole) }
    var digits = 4
    while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
    let f = String(fraction)
    return (x < 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: digits - f.count) + f
}

/// A value exactly as given: the shortest text that reads back as the same
/// Double (swept values in points.csv and their scenarios, values in messages).
package func exactNumber(_ x: Double) -> String {
    wholeText(x) ?? String(x)
}

/// 1234567.5 -> "1,234,567.5": thousands separators and exactly `decimals`
/// decimals (the terminal tables and the HTML report).
package func groupedNumber(_ x: Double, decimals: Int = 0) -> String {
    if let s = nonFiniteText(x) { return s }
    let text = String(format: "%.\(decimals)f", abs(x))
    let parts = text.split(separator: ".", maxSplits: 1)
    let whole = Array(parts[0])
    var out = ""
    for (i, c) in whole.enumerated() {
        if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    if parts.count > 1 { out += "." + parts[1] }
    let isZero = text.allSatisfy { $0 == "0" || $0 == "." }
    return (x < 0 && !isZero ? "-" : "") + out
}

/// 1,234,567 for the terminal: one decimal below 100, none when it is 0.
package func thousands(_ x: Double) -> String {
    guard abs(x) < 100 else { return groupedNumber(x) }
    let s = groupedNumber(x, decimals: 1)
    return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
}

/// The report's tables and hover text: separators; whole numbers and values
/// from 100 up without decimals, two decimals below 10, one below 100.
package func readableNumber(_ x: Double) -> String {
    guard x.isFinite, x != x.rounded(), abs(x) < 100 else { return groupedNumber(x) }
    return groupedNumber(x, decimals: abs(x) < 10 ? 2 : 1)
}

package func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
package func padLeft(_ s: String, _ width: Int) -> String { s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s }
