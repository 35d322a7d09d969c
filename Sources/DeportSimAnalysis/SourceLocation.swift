/// Where a value came from: a file position, or a command-line argument.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}
