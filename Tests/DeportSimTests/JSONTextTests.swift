import Foundation
import Testing
@testable import DeportSimIO

/// The provenance files' JSON writer (`jsonText`), held against Foundation's
/// `JSONSerialization`: what it writes reads back to the same values, and
/// where the two order keys alike it writes the same bytes.
@Suite("JSON text")
struct JSONTextTests {
    /// Values of every kind the writer takes, with the awkward cases:
    /// escapes and control characters, non-ASCII text, whole and
    /// fractional doubles at both ends of their range, negative zero,
    /// UInt64 beyond Int64, empty and nested containers.
    static var tricky: [String: Any] { [
        "text": "a/b \"quoted\" back\\slash \u{1}\u{8}\u{c}\n\r\t\u{1b}\u{1f}\u{7f} é 😀",
        "integers": [0, -1, Int.max, Int.min],
        "seed": UInt64.max,
        "doubles": [0.1, 1e-5, 3.0, -0.0, 1e15, 1e16, 0x1p53, 1.7976931348623157e308, 5e-324, 0.30000000000000004, -2.5e-7, 123456789012.5],
        "flags": [true, false],
        "missing": NSNull(),
        "empty_object": [String: Any](),
        "empty_array": [Any](),
        "nested": [["k": [1, [2, [String: Any]()]]], [Any]()] as [Any],
        "Upper": 1, "x10": 2, "x9": 3, "a_b": 4, "ab": 5,
    ] }

    /// JSONSerialization's own text of a value, keys sorted, as the reference.
    static func foundationText(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    @Test("what it writes reads back through JSONSerialization to the same values")
    func roundTrip() throws {
        // JSONSerialization reads "-0" as the integer 0, so negative zero is checked apart.
        var object = Self.tricky
        object["doubles"] = (object["doubles"] as! [Double]).filter { !($0 == 0 && $0.sign == .minus) }
        let read = try JSONSerialization.jsonObject(with: Data(try jsonText(object).utf8))
        #expect(try Self.foundationText(read) == (try Self.foundationText(object)))
        #expect(try jsonText(Self.tricky).contains("    -0,\n"))
    }

    @Test("the same bytes as JSONSerialization where both order keys alike")
    func sameBytes() throws {
        var object = Self.tricky
        for key in ["Upper", "x10", "x9"] { object.removeValue(forKey: key) }  // ICU orders these differently
        #expect(try jsonText(object) == (try Self.foundationText(object)))
    }

    @Test("keys in code-point order")
    func keyOrder() throws {
        let text = try jsonText(["b": 1, "Z": 2, "a": 3, "x10": 4, "x9": 5])
        let keys = text.split(separator: "\n").compactMap { line in line.split(separator: "\"").dropFirst().first.map(String.init) }
        #expect(keys == ["Z", "a", "b", "x10", "x9"])
    }

    @Test("what JSONSerialization reads back (merge's sweep.json) is written as it was")
    func readBack() throws {
        let source = "{\"b\":true,\"d\":2.5,\"i\":-3,\"u\":18446744073709551615,\"w\":3.0}"
        let read = try JSONSerialization.jsonObject(with: Data(source.utf8))
        #expect(try jsonText(read) == "{\n  \"b\" : true,\n  \"d\" : 2.5,\n  \"i\" : -3,\n  \"u\" : 18446744073709551615,\n  \"w\" : 3\n}\n")
        // A whole file of text, lists and objects, as merge reads one, written
        // again byte for byte (the kinds of values a sweep.json holds).
        let file: [String: Any] = ["sweep_id": "a/b é \"q\"", "points": 256, "fraction": 0.25, "seed": UInt64.max,
                                   "parameters": [["path": "routes.china-charter.seats", "values": [60, 180.5]], ["path": "x", "flag": true]],
                                   "shard": NSNull(), "files": [String](), "design_settings": [String: Any]()]
        let text = try jsonText(file)
        #expect(try jsonText(try JSONSerialization.jsonObject(with: Data(text.utf8))) == text)
    }

    @Test("a value it cannot write throws instead of writing half a file")
    func refuses() throws {
        #expect(throws: JSONTextError.self) { try jsonText(["x": Double.nan]) }
        #expect(throws: JSONTextError.self) { try jsonText(["x": Double.infinity]) }
        #expect(throws: JSONTextError.self) { try jsonText(["x": Date()]) }
        let missing: Int? = nil
        #expect(throws: JSONTextError.self) { try jsonText(["x": missing as Any]) }
        let present: Int? = 3
        #expect(try jsonText(["x": present as Any]) == "{\n  \"x\" : 3\n}\n")
    }
}
