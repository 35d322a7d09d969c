import DeportSimIO
import Foundation

/// One input, given to every reader of analyst-written text: as a scenario
/// file, a sweep spec and a targets file (both against a shipped scenario),
/// and its first lines as `--set` and `--variant` arguments. A thrown error
/// is the readers doing their job; a trap, a sanitizer report, a leak or a
/// slow input is a failure (libFuzzer stops and saves the input).
enum FuzzReaders {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let baseFile = root.appendingPathComponent("Scenarios/china-2024.yaml").path
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
            _ = try? ScenarioLoader.load(file: baseFile, overrides: lines)
            _ = try? Variants.fromSpec("v:" + lines.joined(separator: ","), baseline: base)
        }
    }
}

#if FUZZING
/// libFuzzer's entry point (`-sanitize=fuzzer` supplies `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzReaders.run(Data(bytes: bytes, count: count))
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
