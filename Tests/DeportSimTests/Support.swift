import Foundation
@testable import DeportSimCore
@testable import DeportSimIO

/// The package's root folder (tests run from anywhere).
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// The two conformance scenarios and the reference monthly means of an
/// independent implementation of docs/model.md (see ConformanceTests).
let conformanceFolder: URL = packageRoot.appendingPathComponent("Tests/Fixtures/conformance")
/// The reported figures and monthly series the shipped scenarios cite (data/README.md).
let dataFolder: URL = packageRoot.appendingPathComponent("data")

/// Builds a scenario from YAML text, as the loader does for a file.
func scenario(_ yaml: String, file: String = "test.yaml") throws -> LoadedScenario {
    try ScenarioLoader.build(tree: try TreeNode.parse(yaml: yaml, file: file), file: file)
}

/// A small one-country scenario; `extra` is appended at the top level and
/// `country` inside the country's mapping.
func oneCountry(days: Int = 60, country: String = "", extra: String = "") -> String {
    let end = CivilDate(iso: "2024-01-01")!.adding(days: days - 1)
    return """
    start: 2024-01-01
    end: \(end)
    countries:
      AAA:
        encounters: { per_day: 20 }
        pathways: { expedited_removal: 0.5, notice_to_appear: 0.4, voluntary_return: 0.1 }
        court: { mean_days: 100, order_rate: 0.5 }
        travel_documents: { mean_days: 10, cooperation: 1 }
    \(country.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    \(extra)
    """
}

/// Writes `text` to the file `name` in `folder`; returns its path.
func writeText(_ text: String, _ name: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// 1,000 countries over 100 years (1950-2049): hundreds of GB of daily
/// summaries, for the memory check's refusals; `extra` is appended.
func thousandCountriesOverACentury(extra: String = "") -> String {
    let letters: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    func code(_ i: Int) -> String { String([letters[i / 676 % 26], letters[i / 26 % 26], letters[i % 26]]) }
    let codes: [String] = (0..<1_001).map(code).filter { $0 != "ALL" }
    let country = "{ encounters: { per_day: 1 }, pathways: { expedited_removal: 1, notice_to_appear: 0, voluntary_return: 0 }, court: { mean_days: 100, order_rate: 0.5 }, travel_documents: { mean_days: 10 } }"
    return "start: 1950-01-01\nend: 2049-12-31\ncountries:\n" + codes.map { "  \($0): \(country)\n" }.joined() + extra
}

/// The base fixture (oneCountry) with values set at scenario paths, as
/// `--set PATH=VALUE` does (the value is YAML). Unlike replacing YAML text,
/// which silently changes nothing when the text is not found, a mistyped
/// path or key is an error.
func baseScenario(days: Int = 60, setting assignments: [String]) throws -> LoadedScenario {
    var tree = try TreeNode.parse(yaml: oneCountry(days: days), file: "test.yaml")
    for text in assignments {
        let (path, value) = try TreePaths.parseAssignment(text)
        tree = try TreePaths.set(tree, path: path, value: value, origin: value.location)
    }
    return try ScenarioLoader.build(tree: tree, file: "test.yaml")
}

/// Collects every day of one replication.
struct DayLog: DayObserver {
    var wantsFlights = true
    var countries: [[CountryDay]] = []
    var border: [BorderDay] = []
    var flights: [FlightRecord] = []
    mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay, flights: ArraySlice<FlightRecord>) {
        self.countries.append(Array(countries))
        self.border.append(border)
        self.flights.append(contentsOf: flights)
    }
}

func simulate(_ s: Scenario, replication: Int = 0) -> DayLog {
    var log = DayLog()
    Simulator(scenario: s).run(replication: replication, observer: &log)
    return log
}

/// Runs the built `deportsim` executable; (status, stdout, stderr). Output
/// goes through files, so a chatty stderr can never fill a pipe and stall.
func runTool(_ arguments: [String], cwd: URL = packageRoot) throws -> (status: Int32, out: String, err: String) {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("deportsim")
    let p = Process()
    p.executableURL = FileManager.default.fileExists(atPath: exe.path) ? exe
        : packageRoot.appendingPathComponent(".build/debug/deportsim")
    p.arguments = arguments
    p.currentDirectoryURL = cwd
    let base = NSTemporaryDirectory() + "deportsim-out-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
    defer { try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err") }
    p.standardOutput = FileHandle(forWritingAtPath: base + ".out")
    p.standardError = FileHandle(forWritingAtPath: base + ".err")
    try p.run()
    p.waitUntilExit()
    let text = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    return (p.terminationStatus, text(base + ".out"), text(base + ".err"))
}

func temporaryFolder(_ name: String = "deportsim-test") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
