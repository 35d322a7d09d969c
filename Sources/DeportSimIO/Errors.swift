import DeportSimAnalysis

/// Why a command failed: where, which key, what was expected and what was
/// found, and which kind of failure it was, so a failed write is not
/// reported (or exited) as bad input.
public struct DeportSimError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// A scenario, spec, targets or results file, a flag or a path the user gave.
        case badInput
        /// A result file or folder could not be written (disk full, no permission).
        case outputFailure
        /// A sweep folder's journal belongs to another sweep, or another process holds it.
        case journal
    }

    let kind: Kind
    public var location: SourceLocation?
    public var keyPath: String
    public var message: String

    init(_ kind: Kind, _ location: SourceLocation?, _ keyPath: String, _ message: String) {
        self.kind = kind; self.location = location; self.keyPath = keyPath; self.message = message
    }

    /// Bad input at `location`, under `keyPath` ("" when the whole file or flag is meant).
    public static func badInput(_ location: SourceLocation?, _ keyPath: String, _ message: String) -> DeportSimError {
        DeportSimError(.badInput, location, keyPath, message)
    }

    /// A result that could not be written to `path`.
    public static func outputFailure(path: String, _ message: String) -> DeportSimError {
        DeportSimError(.outputFailure, SourceLocation(file: path, line: 0, column: 0), "", message)
    }

    /// A sweep journal at `path` that this sweep may not use.
    public static func journal(path: String, _ message: String) -> DeportSimError {
        DeportSimError(.journal, SourceLocation(file: path, line: 0, column: 0), "", message)
    }

    public var isBadInput: Bool { kind == .badInput }

    /// The process exit status this failure ends a command with.
    public var exitStatus: ExitStatus { kind == .outputFailure ? .outputFailed : .badInput }

    public var description: String {
        let whereText = location.map { "\($0): " } ?? ""
        let keyText = keyPath.isEmpty ? "" : "\(keyPath): "
        return "\(whereText)error: \(keyText)\(message)"
    }
}

/// The exit statuses of `deportsim` (the README's table).
public struct ExitStatus: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let success = ExitStatus(rawValue: 0)
    /// `compare` (or `calibrate`'s check): a target failed.
    public static let targetsFailed = ExitStatus(rawValue: 1)
    /// A scenario, spec, flag or file was rejected; nothing was written.
    public static let badInput = ExitStatus(rawValue: 2)
    /// A result could not be written (disk full, no permission); no half-written file was left.
    public static let outputFailed = ExitStatus(rawValue: 3)
    /// Ctrl-C (SIGINT): 128 + 2.
    public static let interrupted = ExitStatus(rawValue: 130)
    /// SIGTERM: 128 + 15.
    public static let terminated = ExitStatus(rawValue: 143)
}
