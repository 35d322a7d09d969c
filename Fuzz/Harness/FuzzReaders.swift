import DeportSimIO
import Foundation

/// One input, given to every reader of analyst-written text: as a scenario
/// file, a sweep spec and a targets file (both against a small scenario),
/// and its first lines as the assignments of a `--variant` (the path
/// reader `--set` shares). A thrown error
/// is the readers doing their job; a trap, a sanitizer report, a leak or a
/// slow input is a failure (libFuzzer stops and saves the input).
enum FuzzReaders {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// One country, one route, one event: each input is checked against it
    /// quickly (a shipped scenario takes ten times as long).
    static let baseFile = root.appendingPathComponent("Tests/Fixtures/sweep-small.yaml").path
    static let base: LoadedScenario = {
        do { return try ScenarioLoader.load(file: baseFile) } catch { fatalError("fuzz: cannot load \(baseFile): \(error)") }
    }()
    /// The readers take a path, so the input is written to a file first:
    /// the size, file-type and encoding checks run as for a real file.
    static let inputFile = NSTemporaryDirectory() + "deportsim-fuzz-\(getpid()).yaml"

    static func run(_ data: Data) {
        guard FileManager.default.createFile(atPath: inputFile, contents: data) else {
            fatalError("fuzz: cannot write \(inputFile)")
        }
        _ = try? ScenarioLoader.load(file: inputFile)
        _ = try? SweepSpecParser.load(file: inputFile, overrides: SweepOverrides(), scenario: base)
        _ = try? TargetParser.load(file: inputFile, scenario: base.scenario)
        let lines = String(decoding: data.prefix(4096), as: UTF8.self).split(separator: "\n").prefix(3).map(String.init)
        if !lines.isEmpty {
            _ = try? Variants.fromSpec("v:" + lines.joined(separator: ","), baseline: base)
        }
    }
}

#if FUZZING
import CFuzzDriver

/// The fuzzing build's entry point (SwiftPM links `main` to this name):
/// libFuzzer's driver parses its flags and calls back with each input.
@_cdecl("deportsim_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    _ = FuzzReaders.base   // loaded before the first input, so not counted as its memory
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}

/// One input (libFuzzer also looks this name up itself).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzReaders.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
#else
/// Without the fuzzer: `deportsim-fuzz FILE...` runs saved inputs (a crash
/// libFuzzer found, the seed corpus) through the same readers once.
@main
struct ReplayInputs {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            FuzzReaders.run(try Data(contentsOf: URL(fileURLWithPath: path)))
            print("ok \(path)")
        }
    }
}
#endif
