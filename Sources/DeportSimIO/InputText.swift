import DeportSimAnalysis
import Foundation

/// Reading an input file (scenario, sweep spec, targets) as bounded, checked
/// text: what it is checked before reading, the size limit, the encoding and
/// the characters, each failure located and said in the analyst's words.
public enum InputText {
    /// The file's bytes: a regular file no larger than `Limits.fileBytes`,
    /// checked before reading.
    public static func read(file path: String) throws -> Data {
        let whole = SourceLocation(file: path, line: 0, column: 0)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DeportSimError.badInput(whole, "", errno == EACCES ? "cannot read the file: no permission" : "no such file")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw DeportSimError.badInput(whole, "", "is a folder, not a file")
        default: throw DeportSimError.badInput(whole, "", "is not a regular file (a device, pipe or socket)")
        }
        if Int64(info.st_size) > Int64(Limits.fileBytes) {
            throw DeportSimError.badInput(whole, "", "the file has \(info.st_size) bytes, more than the limit of \(Limits.fileBytes) (16 MiB)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DeportSimError.badInput(whole, "", "cannot read the file: no permission")
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit: a file that grew since stat
        // still cannot make the read unbounded.
        let data: Data
        do { data = try handle.read(upToCount: Limits.fileBytes + 1) ?? Data() } catch {
            throw DeportSimError.badInput(whole, "", "cannot read the file")
        }
        if data.count > Limits.fileBytes {
            throw DeportSimError.badInput(whole, "", "the file has more than the limit of \(Limits.fileBytes) bytes (16 MiB)")
        }
        return data
    }

    /// The bytes as UTF-8 text; UTF-16 and UTF-32 (recognised by their byte
    /// order mark) and invalid UTF-8 are refused at the offending byte.
    public static func decode(_ data: Data, file: String) throws -> String {
        let bytes = [UInt8](data)
        let boms: [(String, [UInt8])] = [("UTF-32", [0xFF, 0xFE, 0, 0]), ("UTF-32", [0, 0, 0xFE, 0xFF]),
                                         ("UTF-16", [0xFF, 0xFE]), ("UTF-16", [0xFE, 0xFF])]
        if let (name, _) = boms.first(where: { bytes.starts(with: $0.1) }) {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 1, column: 1), "",
                             "the file is \(name) text; save it as UTF-8")
        }
        var line = 1, column = 1, offset = 0
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        var previousWasCR = false
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
                advance(s, line: &line, column: &column, previousWasCR: &previousWasCR)
            case .emptyInput:
                break loop
            case .error:
                throw DeportSimError.badInput(SourceLocation(file: file, line: line, column: column), "",
                                 "the file is not UTF-8 text: byte \(offset + 1) (0x\(String(bytes[offset], radix: 16, uppercase: true))) is not valid UTF-8; save the file as UTF-8")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Moves a line:column position past one character, counting line
    /// breaks as the YAML reader does (LF, CR, CR LF, NEL, LS, PS), so
    /// positions found here match those of YAML errors.
    static func advance(_ s: Unicode.Scalar, line: inout Int, column: inout Int, previousWasCR: inout Bool) {
        switch s.value {
        case 0x0A:
            if !previousWasCR { line += 1 }
            column = 1
        case 0x0D, 0x85, 0x2028, 0x2029:
            line += 1; column = 1
        default:
            column += 1
        }
        previousWasCR = s.value == 0x0D
    }

    /// `text` without leading and trailing blanks (tab, Unicode's space
    /// separators and U+200B, what Foundation's `CharacterSet.whitespaces`
    /// holds: every scalar was compared),
    /// written out: Foundation's `trimmingCharacters` bridges every call, and
    /// a sweep rebuilds a scenario, every number of it, for every point.
    static func trimmingBlanks<S: StringProtocol>(_ text: S) -> String {
        func blank(_ u: Unicode.Scalar) -> Bool { u == "\t" || u == "\u{200B}" || u.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// An event's or a route's id: letters, digits, '_' or '-', and not a
    /// number (a number would read as a list index in a path).
    static func isIdentifier(_ id: String) -> Bool {
        !id.isEmpty && Int(id) == nil && id.utf8.allSatisfy { b in
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "-"): return true
            default: return false
            }
        }
    }

    /// YAML's printable characters (YAML 1.2, section 5.1): tab, line breaks
    /// and everything else but control characters, surrogates and U+FFFE/F.
    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Refuses what the YAML reader must never see: control characters
    /// (their position and code in the message), and anchors and aliases
    /// (`&name`, `*name`), whose expansion is unbounded ("billion laughs").
    /// The alias check errs on the side of caution: a `*` or `&` at the start
    /// of a value is refused even where YAML would read it as text, and the
    /// message says to quote such text.
    static func check(_ text: String, file: String) throws {
        var line = 1, column = 1
        var previousWasCR = false
        // The last character on this line other than space or tab, whether
        // blanks followed it, and the characters after it so far.
        var last: Unicode.Scalar? = nil
        var blankAfterLast = false
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            if !isPrintable(s) {
                let code = "U+" + String(repeating: "0", count: max(0, 4 - String(s.value, radix: 16).count))
                    + String(s.value, radix: 16, uppercase: true)
                let hint = s.value == 0 ? "; if the file is UTF-16 or UTF-32 text, save it as UTF-8" : ""
                throw DeportSimError.badInput(SourceLocation(file: file, line: line, column: column), "",
                                 "control character \(code) is not allowed in a scenario file\(hint)")
            }
            if s == "*" || s == "&" {
                let tokenStart: Bool
                switch last {
                case nil: tokenStart = true
                case "[", "{", ",", ":": tokenStart = true
                case "-", "?": tokenStart = blankAfterLast
                default: tokenStart = false
                }
                if tokenStart {
                    let name = String(String.UnicodeScalarView(scalars[(i + 1)...].prefix {
                        !" \t\r\n,[]{}".unicodeScalars.contains($0) }.prefix(40)))
                    let what = s == "*" ? "alias '*\(name)'" : "anchor '&\(name)'"
                    throw DeportSimError.badInput(SourceLocation(file: file, line: line, column: column), "",
                                     "YAML anchors and aliases are not supported (found the \(what)); write the value out, and put text that starts with '\(s)' in quotes")
                }
            }
            let lineBefore = line
            advance(s, line: &line, column: &column, previousWasCR: &previousWasCR)
            if line != lineBefore || s == "\n" {
                last = nil; blankAfterLast = false
            } else if s == " " || s == "\t" {
                blankAfterLast = true
            } else {
                last = s; blankAfterLast = false
            }
        }
    }
}
