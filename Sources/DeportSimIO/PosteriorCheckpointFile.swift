import Crypto
import DeportSimAnalysis
import DeportSimCore
import Foundation

/// The checkpoint that lets a long `calibrate --posterior` (or one origin of
/// a `backtest`) resume (docs/model.md, 10.3): the sampler's whole state
/// after its last finished generation, written atomically after each one,
/// with a fingerprint of everything that determines the result. Re-running
/// the same command goes on from it and ends with the same bytes; a
/// checkpoint of another calibration is refused, naming what differs.
public struct PosteriorCheckpointFile {
    static let format = "deportsim posterior checkpoint v1"
    public let path: String
    /// Named inputs that determine the sampler's draws, each as text.
    public let fingerprint: [String: String]

    /// - Parameters:
    ///   - command: what runs the sampler, e.g. "calibrate --posterior" or "backtest --origin 2024-07-01".
    ///   - evaluation: the replications, seed and generator of one evaluation (not its jobs: results do not depend on them).
    public init(path: String, command: String, loaded: LoadedScenario, parameters: [FitParameter], targets: [Target],
                evaluation: RunOptions, settings: PosteriorSettings) {
        self.path = path
        let targetText = targets.map { t in
            "\(t.metricLabel) \(t.country) \(t.period.label) value \(t.value) tolerance \(t.tolerance) weight \(t.weight)\n"
        }.joined()
        fingerprint = [
            "command": command,
            "scenario_sha256": loaded.resolvedSHA256,
            "fit": parameters.map { "\($0.path)=\($0.low)..\($0.high)\($0.integer ? " (whole numbers)" : "")" }.joined(separator: "; "),
            "targets": "\(targets.count) targets, SHA-256 " + SHA256.hash(data: Data(targetText.utf8)).hex,
            "draws": "\(settings.draws)",
            "replications_per_evaluation": "\(evaluation.replications)",
            // The two commands seed the sampler and the evaluations alike; said apart if ever they are not.
            "seed": evaluation.seed == settings.seed ? "\(settings.seed)"
                : "sampler \(settings.seed), evaluations \(evaluation.seed.map(String.init) ?? "the scenario's")",
            "rng": evaluation.generator.rawValue,
            "sampler": "ess_fraction \(settings.essFraction), moves_per_generation \(settings.movesPerGeneration), max_generations \(settings.maxGenerations)",
        ]
    }

    struct Contents: Codable {
        var format: String
        var fingerprint: [String: String]
        var state: PosteriorCheckpoint
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        // A particle the scenario rejected has log-likelihood -infinity.
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// The saved state to resume from: nil when there is no checkpoint, or
    /// when `fresh` (which deletes it). A checkpoint that cannot be read or
    /// whose fingerprint differs is bad input (exit 2) saying what differs.
    public func load(fresh: Bool) throws -> PosteriorCheckpoint? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        if fresh { remove(); return nil }
        let advice = "finish it with the command that made it, pass --fresh to start over, or use another --out"
        let contents: Contents
        do {
            contents = try Self.decoder.decode(Contents.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DeportSimError.journal(path: path, "cannot read this posterior checkpoint (\(error)); pass --fresh to start over")
        }
        guard contents.format == Self.format else {
            throw DeportSimError.journal(path: path, "expected a '\(Self.format)' file, found '\(contents.format)'; pass --fresh to start over")
        }
        let differences = Set(fingerprint.keys).union(contents.fingerprint.keys).sorted().compactMap { key -> String? in
            let then = contents.fingerprint[key] ?? "(none)", now = fingerprint[key] ?? "(none)"
            return then == now ? nil : "\(key) differs (checkpoint: \(then); this command: \(now))"
        }
        if !differences.isEmpty {
            throw DeportSimError.journal(path: path, "this folder holds the checkpoint of another posterior calibration: "
                                         + differences.joined(separator: "; ") + "; " + advice)
        }
        return contents.state
    }

    /// Replaces the checkpoint atomically (temporary name, then rename). It is
    /// not a result file: a command that fails later leaves it, so it resumes.
    public func save(_ state: PosteriorCheckpoint) throws {
        let data = try Self.encoder.encode(Contents(format: Self.format, fingerprint: fingerprint, state: state))
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n", to: path, isResult: false)
    }

    /// Deletes the checkpoint once the results are in place.
    public func remove() { unlink(path) }
}
