import Foundation
import Testing
@testable import DeportSimCore
@testable import DeportSimIO

/// Issue 11: adversarial and extreme input fails fast, with a located
/// message naming the limit, never a crash or unbounded memory or time.
/// Each case is the issue's input.
@Suite("Hostile input")
struct HostileInputTests {
    let folder: URL = {
        let f = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("deportsim-hostile-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: f, withIntermediateDirectories: true)
        return f
    }()
    static let china = packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = folder.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    /// The error of loading `file` (with `overrides`); fails the test when it loads.
    func error(_ file: String, overrides: [String] = []) -> DeportSimError? {
        do {
            _ = try ScenarioLoader.load(file: file, overrides: overrides)
            Issue.record("expected \(file) to be refused")
            return nil
        } catch let e as DeportSimError {
            return e
        } catch {
            Issue.record("expected an DeportSimError, got \(error)")
            return nil
        }
    }

    func expect(_ e: DeportSimError?, line: Int, column: Int, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(e?.location?.line == line, sourceLocation: sourceLocation)
        #expect(e?.location?.column == column, sourceLocation: sourceLocation)
        #expect(e?.message.contains(message) == true, "\(e?.description ?? "nil")", sourceLocation: sourceLocation)
    }

    /// Nine anchors of nine aliases each: 9^9 "lol"s, 342 bytes of YAML.
    static let billionLaughs = (["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        + zip("abcdefgh", "bcdefghi").map { p, c in "\(c): &\(c) [" + Array(repeating: "*\(p)", count: 9).joined(separator: ",") + "]" })
        .joined(separator: "\n") + "\n"

    @Test func billionLaughsFailsFastAtTheFirstAnchor() {
        let start = Date()
        let e = error(write("laughs.yaml", Self.billionLaughs))
        expect(e, line: 1, column: 4, "anchors and aliases are not supported")
        #expect(Date().timeIntervalSince(start) < 2)
    }

    /// The same expansion hidden in a mapping key, which the YAML library
    /// would hash (visiting every expanded node) before the tree is built.
    @Test func aliasAsAKeyIsRefusedBeforeTheYAMLReader() {
        let text = Self.billionLaughs + "? *i\n: 1\n"
        let start = Date()
        #expect(throws: DeportSimError.self) { try TreeNode.parse(yaml: text, file: "keys.yaml") }
        #expect(Date().timeIntervalSince(start) < 2)
        expect(try? { () throws -> DeportSimError? in
            do { _ = try TreeNode.parse(yaml: "x: 1\n*k : 2\n", file: "k.yaml"); return nil } catch let e as DeportSimError { return e }
        }(), line: 2, column: 1, "alias '*k'")
    }

    @Test func undefinedAliasIsLocated() {
        expect(error(write("undefined.yaml", "start: 2024-01-01\nname: *nothing\n")), line: 2, column: 7, "alias '*nothing'")
    }

    @Test func starsAndAmpersandsInsideTextAreText() throws {
        let tree = try TreeNode.parse(yaml: "a: 5 * 3\nb: R&D, travel & lodging\nc: \"*quoted\"\nd: a-*b\n", file: "t.yaml")
        #expect(tree["a"]?.scalarText == "5 * 3")
        #expect(tree["b"]?.scalarText == "R&D, travel & lodging")
        #expect(tree["c"]?.scalarText == "*quoted")
        #expect(tree["d"]?.scalarText == "a-*b")
    }

    static let tenThousandSegments = Array(repeating: "a", count: 10_000).joined(separator: ".")

    @Test func tenThousandSegmentPathIsRefusedWithTheLimit() throws {
        // --set: was signal 11 in TreePaths.set.
        let set = error(Self.china, overrides: [Self.tenThousandSegments + "=1"])
        #expect(set?.message == "a path of 10000 segments, more than the limit of 32")
        #expect(set?.location?.file.count ?? 0 < 300)
        // --variant.
        let base = try ScenarioLoader.load(file: Self.china)
        #expect(throws: DeportSimError.self) { try Variants.fromSpec("v:" + Self.tenThousandSegments + "=1", baseline: base) }
        // An event's key (an explicit `?` key: YAML limits implicit keys to 1024 characters).
        let text = try String(contentsOfFile: Self.china, encoding: .utf8)
            .replacingOccurrences(of: "set: { border.restrictions.deactivate_after_days: 28 }",
                                  with: "set: { ? border.\(Self.tenThousandSegments) : 28 }")
        let e = error(write("event.yaml", text))
        #expect(e?.message.contains("more than the limit of 32") == true, "\(e?.description ?? "")")
        #expect((e?.location?.line ?? 0) > 0)
    }

    @Test func variantAssignmentsSplitInLinearTime() {
        #expect(Variants.splitAssignments("a.b=[1, 2],c.d={x: 1, y: 2}, e_f=3,text") == ["a.b=[1, 2]", "c.d={x: 1, y: 2}", "e_f=3,text"])
        // 200,000 commas: a slice and a regex per comma took minutes.
        let start = Date()
        #expect(Variants.splitAssignments("a=" + String(repeating: "x,", count: 200_000)).count == 1)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func invalidUTF8IsLocatedAtTheByte() {
        expect(error(write("latin1.yaml", Array("start: 2024-01-01\nname: caf".utf8) + [0xE9, 0x0A])),
               line: 2, column: 10, "byte 28 (0xE9) is not valid UTF-8")
    }

    @Test(arguments: [("UTF-16", [UInt8]([0xFF, 0xFE])), ("UTF-16", [0xFE, 0xFF]),
                      ("UTF-32", [0xFF, 0xFE, 0, 0]), ("UTF-32", [0, 0, 0xFE, 0xFF])])
    func utf16And32AreNamed(_ name: String, _ bom: [UInt8]) {
        let e = error(write("wide.yaml", bom + Array("s".utf16.flatMap { [UInt8($0), 0] })))
        expect(e, line: 1, column: 1, "the file is \(name) text; save it as UTF-8")
    }

    @Test func utf16WithoutAMarkIsANulAtItsPosition() {
        let bytes = Array("start: 2024-01-01\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        expect(error(write("wide.yaml", bytes)), line: 1, column: 2, "control character U+0000")
    }

    @Test func controlCharactersAreLocated() {
        expect(error(write("bell.yaml", "start: 2024-01-01\nname: a\u{07}b\n")), line: 2, column: 8, "control character U+0007")
        expect(error(write("c1.yaml", "name: \u{9B}x\n")), line: 1, column: 7, "control character U+009B")
        // From the command line too.
        #expect(throws: DeportSimError.self) { try TreePaths.parseAssignment("name=a\u{01}") }
    }

    @Test func secondDocumentIsLocated() {
        expect(error(write("two.yaml", "start: 2024-01-01\n---\nend: 2024-02-01\n")), line: 2, column: 1, "a second YAML document")
    }

    @Test func extendsToAFolderOrDeviceIsReportedAtTheExtendsLine() {
        let dir = error(write("dir.yaml", "name: x\nextends: \(folder.path)\n"))
        expect(dir, line: 2, column: 10, "is a folder, not a file")
        #expect(dir?.keyPath == "extends")
        expect(error(write("dev.yaml", "name: x\nextends: /dev/zero\n")), line: 2, column: 10, "is not a regular file")
        expect(error(write("none.yaml", "name: x\nextends: missing.yaml\n")), line: 2, column: 10, "no such file")
    }

    @Test func extendsChainIsBounded() {
        for i in 0...Limits.extendsChain { _ = write("chain\(i).yaml", "extends: chain\(i + 1).yaml\n") }
        let e = error(folder.appendingPathComponent("chain0.yaml").path)
        #expect(e?.message.contains("more than \(Limits.extendsChain) files") == true, "\(e?.description ?? "")")
    }

    @Test func setExtendsIsRefused() {
        let e = error(Self.china, overrides: ["extends=/nonexistent.yaml"])
        #expect(e?.keyPath == "extends")
        #expect(e?.location?.file == "--set extends=/nonexistent.yaml")
        #expect(e?.message.contains("'extends' cannot be set from the command line") == true)
    }

    @Test func nestingIsBounded() {
        expect(error(write("deep.yaml", "a: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n")),
               line: 1, column: 35, "nested more than 32 deep")
        // Deeper than the YAML reader's own bound (1000): its error, said like ours.
        expect(error(write("deeper.yaml", "a: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n")),
               line: 1, column: 5, "nested more than 32 deep")
    }

    @Test func listLengthIsBounded() {
        let e = error(write("long.yaml", "a: [" + Array(repeating: "1", count: Limits.listItems + 1).joined(separator: ",") + "]\n"))
        expect(e, line: 1, column: 4, "100001 items, more than the limit of 100000 in one list")
    }

    @Test func fileSizeIsCheckedBeforeReading() throws {
        let path = write("huge.yaml", "")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(Limits.fileBytes + 1))   // sparse: nothing is written
        try handle.close()
        let e = error(path)
        #expect(e?.message == "the file has 16777217 bytes, more than the limit of 16777216 (16 MiB)")
        #expect(throws: DeportSimError.self) { try TargetParser.load(file: path, scenario: try ScenarioLoader.load(file: Self.china).scenario) }
    }

    @Test func aScenarioFileThatIsAFolderOrDevice() {
        #expect(error(folder.path)?.message == "is a folder, not a file")
        #expect(error("/dev/zero")?.message == "is not a regular file (a device, pipe or socket)")
        #expect(error(folder.appendingPathComponent("missing.yaml").path)?.message == "no such file")
    }
}
