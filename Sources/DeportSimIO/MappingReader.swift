import Foundation
import DeportSimAnalysis
import DeportSimCore

/// Reads typed values out of one mapping node, with the key path of every
/// value, and rejects keys it was not asked about ("did you mean").
struct MappingReader {
    let node: TreeNode
    let path: String
    let allowed: [String]
    /// The scenario table this mapping follows (ScenarioKeys), which gives
    /// the defaults of values not given; nil for other files.
    let section: ScenarioSection?

    init(_ node: TreeNode, path: String, section: ScenarioSection) throws {
        try self.init(node, path: path, allowed: section.keys, section: section)
    }

    init(_ node: TreeNode, path: String, allowed: [String], section: ScenarioSection? = nil) throws {
        var unknown = ErrorCollector()
        try self.init(node, path: path, allowed: allowed, section: section, collecting: &unknown)
        try unknown.finish()
    }

    /// A reader whose unknown keys go to `errors` (every one of them)
    /// instead of being thrown, so its known keys can still be checked.
    init(_ node: TreeNode, path: String, allowed: [String], section: ScenarioSection? = nil, collecting errors: inout ErrorCollector) throws {
        guard node.entries != nil else {
            throw DeportSimError.badInput(node.location, path, "expected a mapping of keys (\(allowed.joined(separator: ", "))), found \(node.found)")
        }
        self.node = node; self.path = path; self.allowed = allowed; self.section = section
        for e in node.entries! where !allowed.contains(e.key) {
            let hint = didYouMean(e.key, in: allowed, otherwise: "; allowed keys: \(allowed.joined(separator: ", "))")
            let error = DeportSimError.badInput(e.keyLocation, self.key(e.key), "unknown key '\(e.key)'\(hint)")
            _ = try errors.attempt { throw error }
        }
    }

    func key(_ k: String) -> String { path.isEmpty ? k : path + "." + k }

    /// The value, or nil when absent or null.
    func optional(_ k: String) -> TreeNode? {
        guard let v = node[k], !v.isNull else { return nil }
        return v
    }

    func required(_ k: String, _ what: String) throws -> TreeNode {
        guard let v = node[k] else { throw DeportSimError.badInput(node.location, key(k), "required key missing (expected \(what))") }
        if v.isNull { throw DeportSimError.badInput(v.location, key(k), "expected \(what), found null") }
        return v
    }

    func contains(_ k: String) -> Bool { node[k] != nil }

    /// The table's default for a key, when it has a value.
    private func tableNumber(_ k: String) -> Double? {
        if case .number(let x)? = section?.row(k)?.defaultValue { return x }
        return nil
    }

    private func tableText(_ k: String) -> String? {
        if case .text(let s)? = section?.row(k)?.defaultValue { return s }
        return nil
    }

    // MARK: typed values

    static func number(_ v: TreeNode, _ keyPath: String, _ what: String = "a number") throws -> Double {
        guard let text = v.scalarText else { throw DeportSimError.badInput(v.location, keyPath, "expected \(what), found \(v.found)") }
        let cleaned = InputText.trimmingBlanks(text)
        if cleaned.contains(",") {
            throw DeportSimError.badInput(v.location, keyPath, "expected \(what), found '\(text)' (write numbers without thousands separators)")
        }
        guard isDecimalNumeral(cleaned), let x = Double(cleaned), x.isFinite else {
            throw DeportSimError.badInput(v.location, keyPath, "expected \(what), found '\(text)'")
        }
        return x
    }

    /// Whether `text` is in decimal notation, `[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?`
    /// (Double() alone would also take hex, "nan" and "inf"). Written out, not
    /// as a regular expression: Foundation compiles or looks one up in a
    /// process-wide cache on every call, which was nearly half the
    /// instructions of a sweep's per-point set-up (a scenario rebuilt per point).
    static func isDecimalNumeral(_ text: String) -> Bool {
        let u = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < u.count, u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
        let whole = digits()
        var fraction = 0
        if i < u.count, u[i] == UInt8(ascii: ".") { i += 1; fraction = digits() }
        guard whole > 0 || fraction > 0 else { return false }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == u.count
    }

    func number(_ k: String, default d: Double? = nil, min lo: Double = 0, max hi: Double = .infinity,
                what: String = "a non-negative number") throws -> Double {
        let d = d ?? tableNumber(k)
        guard let v = optional(k) else {
            if let d { return d }
            _ = try required(k, what)
            return 0
        }
        let x = try MappingReader.number(v, key(k), what)
        if x < lo || x > hi {
            throw DeportSimError.badInput(v.location, key(k), "expected \(what), found \(exactNumber(x))")
        }
        return x
    }

    func probability(_ k: String, default d: Double? = nil) throws -> Double {
        try number(k, default: d, min: 0, max: 1, what: "a probability in [0, 1]")
    }

    func positive(_ k: String, default d: Double? = nil) throws -> Double {
        let x = try number(k, default: d, min: 0, what: "a positive number")
        if x == 0 { throw DeportSimError.badInput(node[k]?.location ?? node.location, key(k), "expected a positive number, found 0") }
        return x
    }

    static func integer(_ v: TreeNode, _ keyPath: String, min lo: Int, max hi: Int = Int(9.0e15), what: String) throws -> Int {
        let x = try number(v, keyPath, what)
        guard x == x.rounded(), x >= Double(lo), x <= Double(hi) else {
            throw DeportSimError.badInput(v.location, keyPath, "expected \(what), found \(exactNumber(x))")
        }
        return Int(x)
    }

    func integer(_ k: String, default d: Int? = nil, min lo: Int = 0, max hi: Int = Int(9.0e15), what: String = "a whole number >= 0") throws -> Int {
        let d = d ?? tableNumber(k).map { Int($0) }
        guard let v = optional(k) else {
            if let d { return d }
            _ = try required(k, what)
            return 0
        }
        return try MappingReader.integer(v, key(k), min: lo, max: hi, what: what)
    }

    /// nil when absent or null (unlimited).
    func optionalInteger(_ k: String, min lo: Int = 0, what: String) throws -> Int? {
        guard let v = optional(k) else { return nil }
        return try MappingReader.integer(v, key(k), min: lo, what: what)
    }

    /// The seed of the random streams: a whole number using all 64 bits, or `d` when absent.
    func seed(default d: UInt64? = nil) throws -> UInt64 {
        guard let v = optional("seed") else { return d ?? UInt64(tableNumber("seed") ?? 0) }
        guard let s = v.scalarText, let x = UInt64(s) else {
            throw DeportSimError.badInput(v.location, key("seed"), "expected a whole number from 0 to 18446744073709551615, found \(v.found)")
        }
        return x
    }

    /// A period as analysts name it (`2024-06`, `FY2024`, ...: NamedPeriod) at key `k`.
    func namedPeriod(_ node: TreeNode, _ k: String) throws -> NamedPeriod {
        guard let text = node.scalarText, let p = NamedPeriod(text) else {
            throw DeportSimError.badInput(node.location, key(k), "expected \(NamedPeriod.help), found \(node.found)")
        }
        return p
    }

    func string(_ k: String, default d: String? = nil) throws -> String {
        let d = d ?? tableText(k)
        guard let v = optional(k) else {
            if let d { return d }
            _ = try required(k, "text")
            return ""
        }
        guard let s = v.scalarText else { throw DeportSimError.badInput(v.location, key(k), "expected text, found \(v.found)") }
        return s
    }

    static func date(_ v: TreeNode, _ keyPath: String) throws -> CivilDate {
        guard let s = v.scalarText, let d = CivilDate(iso: InputText.trimmingBlanks(s)) else {
            throw DeportSimError.badInput(v.location, keyPath, "expected a date YYYY-MM-DD, found \(v.found)")
        }
        return d
    }

    func date(_ k: String) throws -> CivilDate {
        try MappingReader.date(try required(k, "a date YYYY-MM-DD"), key(k))
    }

    /// One of `T`'s cases; absent, `d` or else the table's default.
    func choice<T: RawRepresentable & CaseIterable>(_ k: String, default d: T? = nil) throws -> T where T.RawValue == String {
        guard let v = optional(k) else {
            guard let d = d ?? tableText(k).flatMap(T.init(rawValue:)) else {
                preconditionFailure("\(key(k)) has no default in the scenario tables")
            }
            return d
        }
        let options = T.allCases.map(\.rawValue)
        guard let s = v.scalarText, let x = T(rawValue: s) else {
            let hint = didYouMean(v.scalarText, in: options)
            throw DeportSimError.badInput(v.location, key(k), "expected one of \(options.joined(separator: ", ")), found \(v.found)\(hint)")
        }
        return x
    }

    func list(_ k: String) throws -> [TreeNode]? {
        guard let v = optional(k) else { return nil }
        guard let items = v.items else { throw DeportSimError.badInput(v.location, key(k), "expected a list, found \(v.found)") }
        return items
    }

    func sub(_ k: String, allowed: [String]) throws -> MappingReader? {
        guard let v = optional(k) else { return nil }
        return try MappingReader(v, path: key(k), allowed: allowed)
    }

    /// The section at `k` in this section's table, or nil when absent or null.
    func sub(_ k: String) throws -> MappingReader? {
        guard let v = optional(k) else { return nil }
        return try MappingReader(v, path: key(k), section: try subsection(k))
    }

    /// The required section at `k`.
    func section(_ k: String, _ what: String) throws -> MappingReader {
        try MappingReader(try required(k, what), path: key(k), section: try subsection(k))
    }

    private func subsection(_ k: String) throws -> ScenarioSection {
        guard case .section(let inner)? = section?.row(k)?.kind else {
            preconditionFailure("\(key(k)) is not a section of the scenario tables")
        }
        return inner
    }
}

extension MappingReader {
    /// `true` or `false` at key `k`, or `d` when absent or null.
    func bool(_ k: String, default d: Bool) throws -> Bool {
        guard let v = optional(k) else { return d }
        switch v.scalarText {
        case "true": return true
        case "false": return false
        default: throw DeportSimError.badInput(v.location, key(k), "expected true or false, found \(v.found)")
        }
    }
}
