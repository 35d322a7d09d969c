import Foundation

/// Numbers in CSV outputs: at most 4 decimals, trailing zeros dropped, no
/// exponent, `.` as decimal mark. Deterministic, so equal runs give equal bytes.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "NA" }
    if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
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

/// 1234567.5 -> "1,234,567.5": thousands separators and exactly `decimals`
/// decimals, no locale (the terminal tables and the HTML report use it).
public func groupedNumber(_ x: Double, decimals: Int = 0) -> String {
    guard x.isFinite else { return x.isNaN ? "NA" : (x > 0 ? "Inf" : "-Inf") }
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
public func thousands(_ x: Double) -> String {
    guard abs(x) < 100 else { return groupedNumber(x) }
    let s = groupedNumber(x, decimals: 1)
    return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
}

public func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
public func padLeft(_ s: String, _ width: Int) -> String { s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s }
