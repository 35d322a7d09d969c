import DeportSimAnalysis
import Foundation
import Yams

/// A scenario document as a tree whose every node knows its file, line and
/// column: files merged by `extends`, `--set` overrides and event values
/// keep their own locations, so any error points at the text that caused it.
/// Not `indirect` (the arrays already box the children): an indirect case's
/// box is held by a pointer carrying the case in its spare bits, which the
/// fuzzer's leak checker cannot follow, so every tree read as leaked.
public enum TreeValue: Sendable {
    /// `isNull` marks a plain `null`, `~` or empty value.
    case scalar(String, isNull: Bool)
    case mapping([TreeEntry])
    case sequence([TreeNode])
}

public struct TreeEntry: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: TreeNode
}

public struct TreeNode: Sendable {
    public var value: TreeValue
    public var location: SourceLocation

    public init(_ value: TreeValue, _ location: SourceLocation) { self.value = value; self.location = location }

    public var isNull: Bool { if case .scalar(_, true) = value { return true } else { return false } }
    public var scalarText: String? { if case .scalar(let s, false) = value { return s } else { return nil } }
    public var entries: [TreeEntry]? { if case .mapping(let e) = value { return e } else { return nil } }
    public var items: [TreeNode]? { if case .sequence(let i) = value { return i } else { return nil } }

    public subscript(key: String) -> TreeNode? { entries?.first { $0.key == key }?.value }

    /// A short description of what the node holds, for "found ..." in messages.
    public var found: String {
        switch value {
        case .scalar(_, true): return "null"
        case .scalar(let s, false): return "'\(s.count > 40 ? String(s.prefix(40)) + "..." : s)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Parses YAML (or JSON) text: control characters, anchors and aliases
    /// are refused before the YAML reader sees the text, depth and list
    /// lengths while the tree is built (see `Limits`).
    public static func parse(yaml text: String, file: String) throws -> TreeNode {
        try InputText.check(text, file: file)
        let composed: Yams.Node?
        do {
            // The basic resolver: the tree keeps every scalar as text, read by
            // key later (ScenarioKeys), so Yams' default tag resolution (its
            // regular expressions, run on every scalar and on each mapping key
            // it hashes for duplicates) was work without use: 30% of loading
            // the 200-country benchmark scenario (callgrind, `deportsim check`).
            composed = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw TreeNode.inputError(from: error, file: file, text: text)
        }
        guard let root = composed else {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 1, column: 1), "", "the file is empty")
        }
        return try convert(root, file: file, path: "", depth: 1)
    }

    /// Reads and parses a file (bounded, checked UTF-8: see `InputText`).
    public static func load(file path: String) throws -> TreeNode {
        try parse(yaml: try InputText.decode(try InputText.read(file: path), file: path), file: path)
    }

    private static func location(_ mark: Mark?, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    private static func convert(_ node: Yams.Node, file: String, path: String, depth: Int) throws -> TreeNode {
        let loc = location(node.mark, file)
        // The text check refuses anchors; this catches any it let through
        // before an alias can repeat the anchored value.
        if node.anchor != nil {
            throw DeportSimError.badInput(loc, path, "YAML anchors and aliases are not supported; write the value out")
        }
        switch node {
        case .mapping, .sequence:
            if depth > Limits.nestingDepth {
                throw DeportSimError.badInput(loc, path, "mappings and lists nested more than \(Limits.nestingDepth) deep (the limit)")
            }
            let count = node.mapping?.count ?? node.sequence?.count ?? 0
            if count > Limits.listItems {
                throw DeportSimError.badInput(loc, path, "\(count) items, more than the limit of \(Limits.listItems) in one \(node.mapping != nil ? "mapping" : "list")")
            }
        default: break
        }
        switch node {
        case .scalar(let s):
            let plain = s.style == .plain || s.style == .any
            let isNull = plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
            return TreeNode(.scalar(s.string, isNull: isNull), loc)
        case .mapping(let m):
            var entries: [TreeEntry] = []
            var keys: Set<String> = []
            for (k, v) in m {
                guard case .scalar(let ks) = k else {
                    throw DeportSimError.badInput(location(k.mark, file), path, "expected a plain key, found a complex key")
                }
                let keyPath = path.isEmpty ? ks.string : path + "." + ks.string
                if !keys.insert(ks.string).inserted {
                    throw DeportSimError.badInput(location(k.mark, file), keyPath, "duplicate key")
                }
                entries.append(TreeEntry(key: ks.string, keyLocation: location(k.mark, file),
                                         value: try convert(v, file: file, path: keyPath, depth: depth + 1)))
            }
            return TreeNode(.mapping(entries), loc)
        case .sequence(let seq):
            return TreeNode(.sequence(try seq.enumerated().map {
                try convert($0.element, file: file, path: path + "." + String($0.offset), depth: depth + 1)
            }), loc)
        case .alias:
            throw DeportSimError.badInput(loc, path, "YAML aliases are not supported; write the value out")
        }
    }

    private static func inputError(from error: YamlError, file: String, text: String) -> DeportSimError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let at = SourceLocation(file: file, line: mark.line, column: mark.column)
            // The YAML reader's own nesting bound (1000), reached before ours
            // in flow style (`[[[[...`); said like ours.
            if problem.contains("Maximum nesting level") {
                return DeportSimError.badInput(at, "", "mappings and lists nested more than \(Limits.nestingDepth) deep (the limit)")
            }
            let ctx = context.map { " (\($0.text))" } ?? ""
            return DeportSimError.badInput(at, "", "\(file.hasSuffix(".json") ? "JSON" : "YAML") syntax error: \(problem)\(ctx)")
        case .composer(_, let problem, let mark, _):
            let at = SourceLocation(file: file, line: mark.line, column: mark.column)
            if problem.contains("another document") {
                return DeportSimError.badInput(at, "", "a second YAML document ('---') in the file: a scenario file holds one document")
            }
            if problem.contains("undefined alias") {
                return DeportSimError.badInput(at, "", "an alias ('*name') is not supported; write the value out")
            }
            return DeportSimError.badInput(at, "", "YAML error: \(problem)")
        case .reader(let problem, let offset, _, _):
            // Offsets count characters from the start of the text.
            var line = 1, column = 1, previousWasCR = false
            for s in text.unicodeScalars.prefix(offset ?? 0) {
                InputText.advance(s, line: &line, column: &column, previousWasCR: &previousWasCR)
            }
            return DeportSimError.badInput(SourceLocation(file: file, line: line, column: column), "", "cannot read the text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? ""
            return duplicateKeyError(key: key, firstAt: context.mark, file: file, text: text)
        default:
            // Out of memory and the writer's errors: no position to give.
            return DeportSimError.badInput(SourceLocation(file: file, line: 0, column: 0), "", "cannot read the file as YAML")
        }
    }

    /// A duplicate key, named by its full path at its second appearance.
    /// Yams reports only the key and its first mark; renaming that first
    /// appearance lets the text compose, and the tree then gives the path
    /// and the second key's position, in block and flow style alike.
    private static func duplicateKeyError(key: String, firstAt mark: Mark, file: String, text: String) -> DeportSimError {
        let message = "duplicate key: each key may appear once in a mapping"
        let fallback = DeportSimError.badInput(SourceLocation(file: file, line: mark.line, column: mark.column), key, message)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard mark.line >= 1, mark.line <= lines.count else { return fallback }
        let line = Array(lines[mark.line - 1])
        let at = mark.column - 1
        // The key may be quoted; the mark is at its first character either way.
        let keyStart = at < line.count && (line[at] == "\"" || line[at] == "'") ? at + 1 : at
        guard keyStart >= 0, keyStart + key.count <= line.count, String(line[keyStart..<keyStart + key.count]) == key else { return fallback }
        let marker = "deportsim-first-of-duplicate-key"
        lines[mark.line - 1] = String(line[..<keyStart]) + marker + String(line[(keyStart + key.count)...])
        guard let composed = try? Yams.compose(yaml: lines.joined(separator: "\n"), .basic),
              let tree = try? convert(composed, file: file, path: "", depth: 1),
              var (path, second) = tree.findEntry(key: key, besideKey: marker, path: "") else { return fallback }
        // On the renamed line, positions after the marker moved by the difference in length.
        if second.line == mark.line && second.column > keyStart + 1 { second.column -= marker.count - key.count }
        return DeportSimError.badInput(second, path, message)
    }

    /// The path and key position of the entry `key` in the mapping that also holds `besideKey`.
    private func findEntry(key: String, besideKey: String, path: String) -> (String, SourceLocation)? {
        switch value {
        case .scalar: return nil
        case .mapping(let entries):
            if entries.contains(where: { $0.key == besideKey }), let e = entries.first(where: { $0.key == key }) {
                return (path.isEmpty ? key : path + "." + key, e.keyLocation)
            }
            for e in entries {
                if let found = e.value.findEntry(key: key, besideKey: besideKey, path: path.isEmpty ? e.key : path + "." + e.key) { return found }
            }
            return nil
        case .sequence(let items):
            for (i, item) in items.enumerated() {
                if let found = item.findEntry(key: key, besideKey: besideKey, path: path.isEmpty ? "\(i)" : path + ".\(i)") { return found }
            }
            return nil
        }
    }

    /// Writes the tree back as YAML text (for `deportsim check`).
    public func yaml(indent: Int = 0) -> String {
        var out = ""
        emit(into: &out, indent: indent, inlineFirst: false)
        return out
    }

    private func emit(into out: inout String, indent: Int, inlineFirst: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .scalar:
            out += scalarYAML + "\n"
        case .mapping(let entries):
            if entries.isEmpty { out += "{}\n"; return }
            for (i, e) in entries.enumerated() {
                out += (i == 0 && inlineFirst ? "" : pad) + TreeNode.quoteKey(e.key) + ":"
                switch e.value.value {
                case .scalar: out += " "; e.value.emit(into: &out, indent: indent + 2, inlineFirst: false)
                case .mapping(let m) where m.isEmpty: out += " {}\n"
                case .sequence(let s) where s.isEmpty: out += " []\n"
                case .sequence(let s) where s.allSatisfy({ $0.scalarText != nil || $0.isNull }):
                    out += " [" + s.map(\.scalarYAML).joined(separator: ", ") + "]\n"
                default: out += "\n"; e.value.emit(into: &out, indent: indent + 2, inlineFirst: false)
                }
            }
        case .sequence(let items):
            if items.isEmpty { out += "[]\n"; return }
            for (i, item) in items.enumerated() {
                out += (i == 0 && inlineFirst ? "" : pad) + "- "
                item.emit(into: &out, indent: indent + 2, inlineFirst: true)
            }
        }
    }

    var scalarYAML: String {
        switch value {
        case .scalar(_, true): return "null"
        case .scalar(let s, false):
            // Plain when it reads back as the same string: [A-Za-z0-9_.+-/ ]
            // only, no space first or last, not a sequence entry's "-" or
            // "- ...", and no word YAML reads as something else.
            let safe = !s.isEmpty && s.utf8.allSatisfy { TreeNode.isPlainKeyByte($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: " ") }
                && s.utf8.first != UInt8(ascii: " ") && s.utf8.last != UInt8(ascii: " ")
                && s != "-" && !s.hasPrefix("- ")
                && !["null", "true", "false", "yes", "no", "on", "off", "~"].contains(s.lowercased())
            if safe { return s }
            return TreeNode.doubleQuoted(s)
        default: return ""
        }
    }

    /// A YAML double-quoted scalar that reads back as exactly `s`: quotes,
    /// backslashes, line breaks (which YAML would fold), tabs, the byte
    /// order mark and every character the reader refuses are escaped.
    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where !InputText.isPrintable(u) || [0x85, 0x2028, 0x2029, 0xFEFF].contains(u.value):
                let hex = String(u.value, radix: 16, uppercase: true)
                out += u.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : u.value <= 0xFFFF ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func quoteKey(_ k: String) -> String {
        !k.isEmpty && k.utf8.allSatisfy(isPlainKeyByte) ? k : doubleQuoted(k)
    }

    /// [A-Za-z0-9_.-]: a key written without quotes. (Checked byte by byte:
    /// a regular expression here was half the time of loading a large
    /// scenario, which `run` does once and `sweep` once per point.)
    @inline(__always) static func isPlainKeyByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"): return true
        default: return false
        }
    }
}

/// "; did you mean 'court'?" when a candidate is close to `word`, else
/// `otherwise`: the hint every "unknown ..." message ends with.
package func didYouMean(_ word: String?, in candidates: [String], otherwise: String = "") -> String {
    word.flatMap { closestMatch($0, in: candidates) }.map { "; did you mean '\($0)'?" } ?? otherwise
}

/// "did you mean" suggestions: the closest allowed word within edit distance 2
/// (or a third of the word's length, whichever is larger).
func closestMatch(_ word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
    let w = Array(word.lowercased())
    let scored = candidates.map { ($0, distance(w, Array($0.lowercased()))) }.sorted { $0.1 < $1.1 }
    if let best = scored.first, best.1 <= max(2, word.count / 3) { return best.0 }
    // A shortened name: `beds` for `detention_beds`.
    if word.count >= 3 { return candidates.first { $0.lowercased().contains(word.lowercased()) } }
    return nil
}
