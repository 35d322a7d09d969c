import Foundation

// Every number the tool writes as text goes through this file, in one of
// five styles. They share one rule for what is not a number (NA, Inf,
// -Inf) and one for whole numbers (no decimal point); none uses the locale
// or an exponent, so equal runs give equal bytes.

/// "NA", "Inf" or "-Inf" for a value that is not finite; nil otherwise.
private func nonFiniteText(_ x: Double) -> String? {
    x.isNaN ? "NA" : x.isInfinite ? (x > 0 ? "Inf" : "-Inf") : nil
}

/// A whole number that an Int holds exactly: written without a decimal point.
@inline(__always)
private func isWhole(_ x: Double) -> Bool { x == x.rounded() && abs(x) < 1e15 }

/// The digits of a whole number that an Int holds exactly; nil otherwise.
private func wholeText(_ x: Double) -> String? {
    isWhole(x) ? String(Int(x)) : nil
}

/// Numbers in CSV outputs: at most 4 decimals, trailing zeros dropped, no
/// exponent, `.` as decimal mark.
package func formatNumber(_ x: Double) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(24)
    appendNumber(x, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

/// Appends `formatNumber(x)`'s bytes (docs/model.md, 11.2) without making a
/// String: result files hold millions of numbers. A whole number below
/// 10^15 is written as an integer; any other finite number is rounded to 4
/// decimals, halves away from zero, trailing zeros dropped; a rounded value
/// of 9e15 ten-thousandths or more (beyond exact integers) falls back to
/// Swift's shortest representation.
@inline(__always)
package func appendNumber(_ x: Double, to out: inout [UInt8]) {
    if let s = nonFiniteText(x) { out.append(contentsOf: s.utf8); return }
    if isWhole(x) { appendInteger(Int64(x), to: &out); return }
    let scaled = (abs(x) * 10_000).rounded()
    guard scaled < 9e15 else { out.append(contentsOf: String(x).utf8); return }
    let units = Int64(scaled)
    let whole = units / 10_000
    var fraction = units % 10_000
    if fraction == 0 {
        if x < 0 && whole != 0 { out.append(0x2D) }
        appendInteger(whole, to: &out)
        return
    }
    if x < 0 { out.append(0x2D) }
    appendInteger(whole, to: &out)
    out.append(0x2E)
    var digits = 4
    while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
    // `digits` decimals of `fraction`, with its leading zeros.
    var divisor: Int64 = 1
    for _ in 1..<digits { divisor *= 10 }
    while divisor > 0 {
        out.append(0x30 + UInt8(fraction / divisor % 10))
        divisor /= 10
    }
}

/// Decimal digits of an integer, `-` first when negative.
@inline(__always)
func appendInteger(_ value: Int64, to out: inout [UInt8]) {
    var magnitude = value.magnitude
    if value < 0 { out.append(0x2D) }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { d in
        repeat {
            d[count] = 0x30 + UInt8(magnitude % 10)
            magnitude /= 10
            count += 1
        } while magnitude > 0
        for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
    }
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
