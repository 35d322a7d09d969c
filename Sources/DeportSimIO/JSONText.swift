import Foundation

/// JSON for the provenance files (run.json, sweep.json, the posterior's
/// diagnostics): objects with their keys in code-point order, two-space
/// indents, `"key" : value`, slashes not escaped, and a final line break.
///
/// Written here rather than by `JSONSerialization`, which on Linux bridges
/// every value through `NSDictionary` and `NSNumber` and orders keys with
/// ICU's collation: on the 200-country benchmark scenario it took 0.15 s of
/// an 11 s run, and a third of a one-year run. The layout is
/// `JSONSerialization`'s `.prettyPrinted` one, and what it writes reads back
/// through `JSONSerialization` to the same values (JSONTextTests).
///
/// Values: `[String: Any]`, `[Any]`, `String`, `Bool`, `Int`, `UInt64`,
/// finite `Double`, `NSNull`, and what JSONSerialization reads (its
/// `NSNumber`s, and on Darwin its `NSString`, `NSArray` and `NSDictionary`).
/// Anything else, a non-finite number or a nil Optional (write `NSNull()`),
/// is a programming error and throws.
func jsonText(_ object: Any) throws -> String {
    var out: [UInt8] = []
    out.reserveCapacity(1 << 16)
    try JSONText.append(object, indent: 0, to: &out)
    out.append(0x0A)
    return String(decoding: out, as: UTF8.self)
}

/// A value `jsonText` cannot write.
struct JSONTextError: Error, CustomStringConvertible {
    let value: String
    var description: String { "internal error: cannot write \(value) as JSON" }
}

/// A value `jsonText` writes. Each kind says how it is written, so that
/// telling them apart is one protocol cast: casting an `Any` to a concrete
/// type it is not (a dictionary to `Int`) makes the runtime try bridging it
/// to an Objective-C class first, which costs more than the writing.
private protocol JSONWritable {
    func appendJSON(indent: Int, to out: inout [UInt8]) throws
}

extension Bool: JSONWritable {
    func appendJSON(indent: Int, to out: inout [UInt8]) { out.append(contentsOf: self ? Array("true".utf8) : Array("false".utf8)) }
}
extension Int: JSONWritable {
    func appendJSON(indent: Int, to out: inout [UInt8]) { out.append(contentsOf: String(self).utf8) }
}
extension UInt64: JSONWritable {
    func appendJSON(indent: Int, to out: inout [UInt8]) { out.append(contentsOf: String(self).utf8) }
}
extension Double: JSONWritable {
    /// Swift's shortest round-trip text without a trailing ".0", as
    /// `JSONSerialization` writes it (`3`, `-0`, `0.1`, `1e-05`, `1e+16`).
    func appendJSON(indent: Int, to out: inout [UInt8]) throws {
        guard isFinite else { throw JSONTextError(value: "the number \(self)") }
        let text = description.utf8
        out.append(contentsOf: text.reversed().starts(with: ".0".utf8.reversed()) ? text.dropLast(2) : text[...])
    }
}
extension String: JSONWritable {
    func appendJSON(indent: Int, to out: inout [UInt8]) {
        out.append(0x22)
        for b in utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
extension NSNull: JSONWritable {
    func appendJSON(indent: Int, to out: inout [UInt8]) { out.append(contentsOf: "null".utf8) }
}
extension NSNumber: JSONWritable {
    /// A number read back by JSONSerialization (merge's sweep.json): its C
    /// type says whether it is a boolean, a double or an integer. Only
    /// JSONSerialization's numbers are meant: it makes booleans as "c", so an
    /// `Int8` number would be written as a boolean.
    func appendJSON(indent: Int, to out: inout [UInt8]) throws {
        switch String(cString: objCType) {
        case "c", "B": boolValue.appendJSON(indent: indent, to: &out)
        case "d", "f": try doubleValue.appendJSON(indent: indent, to: &out)
        case "Q", "L", "I", "S", "C": uint64Value.appendJSON(indent: indent, to: &out)
        default: Int(int64Value).appendJSON(indent: indent, to: &out)
        }
    }
}
extension Array: JSONWritable {
    func appendJSON(indent: Int, to out: inout [UInt8]) throws {
        try JSONText.appendContainer(self, open: 0x5B, close: 0x5D, indent: indent, to: &out) { item, out in
            try JSONText.append(item, indent: indent + 2, to: &out)
        }
    }
}
extension Dictionary: JSONWritable where Key == String {
    func appendJSON(indent: Int, to out: inout [UInt8]) throws {
        try JSONText.appendContainer(sorted { $0.key < $1.key }, open: 0x7B, close: 0x7D, indent: indent, to: &out) { entry, out in
            entry.key.appendJSON(indent: 0, to: &out)
            out.append(contentsOf: " : ".utf8)
            try JSONText.append(entry.value, indent: indent + 2, to: &out)
        }
    }
}

private enum JSONText {
    static func append(_ value: Any, indent: Int, to out: inout [UInt8]) throws {
        if let writable = value as? JSONWritable { return try writable.appendJSON(indent: indent, to: &out) }
        // Darwin's JSONSerialization reads text and containers back as
        // NSString, NSArray and NSDictionary, which bridge by these casts only.
        if let text = value as? String { return text.appendJSON(indent: indent, to: &out) }
        if let object = value as? [String: Any] { return try object.appendJSON(indent: indent, to: &out) }
        if let array = value as? [Any] { return try array.appendJSON(indent: indent, to: &out) }
        throw JSONTextError(value: "\(type(of: value))")
    }

    /// `[`, each item on its own line, `]`; an empty container as
    /// `JSONSerialization` writes it: the brackets on two lines with a blank one between.
    static func appendContainer<T>(_ items: [T], open: UInt8, close: UInt8, indent: Int, to out: inout [UInt8],
                                   item: (T, inout [UInt8]) throws -> Void) throws {
        out.append(open)
        out.append(0x0A)
        for (k, x) in items.enumerated() {
            if k > 0 { out.append(contentsOf: ",\n".utf8) }
            out.append(contentsOf: repeatElement(0x20, count: indent + 2))
            try item(x, &out)
        }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
        out.append(close)
    }
}
