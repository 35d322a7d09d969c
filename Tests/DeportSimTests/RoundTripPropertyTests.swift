import Foundation
import PropertyBased
import Testing
@testable import DeportSimIO

/// `deportsim check` prints the resolved scenario; that text must load to
/// the same resolved scenario (same hash), whatever values were set. The
/// variations set paths on a shipped scenario: a text with any character
/// below U+3000 (control characters, quotes, line breaks, YAML indicators
/// arrive through escapes), whole numbers, shares and a schedule kind.
@Suite("check round trip")
struct RoundTripPropertyTests {
    static let china = packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path

    /// A YAML double-quoted literal of any text: every character escaped
    /// as \UXXXXXXXX (independent of the printer under test).
    static func quoted(_ s: String) -> String {
        "\"" + s.unicodeScalars.map { u in
            let hex = String(u.value, radix: 16)
            return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }.joined() + "\""
    }

    @Test func checkOutputLoadsToTheSameResolvedScenario() async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("deportsim-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The printed scenario names its posterior relative to itself (uncertain.from, docs/model.md 8.7).
        try FileManager.default.copyItem(atPath: (Self.china as NSString).deletingLastPathComponent + "/china-2024.posterior.csv",
                                         toPath: folder.appendingPathComponent("china-2024.posterior.csv").path)
        let schedules = ["routes.china-charter.schedule={every_days: 21, first: 2024-06-29}", "routes.china-charter.schedule={per_month: 1}",
                         "routes.china-charter.seats=90", "events.1.note=moved", "output.period=week"]
        await propertyCheck(count: 40,
                            input: Gen.character(in: "\u{0}"..."\u{2FFF}").string(of: 0...24),
                            Gen.int(in: 1...5000), Gen.double(in: 0...1), Gen.int(in: 0...(schedules.count - 1))) { text, days, share, which in
            let overrides = ["description=" + Self.quoted(text), "events.2.note=" + Self.quoted(String(text.reversed())),
                             "countries.CHN.court.mean_days=\(days)",
                             "countries.CHN.travel_documents.cooperation=\(share)", schedules[which]]
            do {
                let loaded = try ScenarioLoader.load(file: Self.china, overrides: overrides)
                let printed = loaded.tree.yaml()
                let file = folder.appendingPathComponent("resolved.yaml").path
                #expect(FileManager.default.createFile(atPath: file, contents: Data(printed.utf8)))
                let again = try ScenarioLoader.load(file: file)
                #expect(again.resolvedSHA256 == loaded.resolvedSHA256, "printed:\n\(printed.prefix(600))")
                #expect(again.tree["description"]?.scalarText == text)
                #expect(again.tree.yaml() == printed)
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
