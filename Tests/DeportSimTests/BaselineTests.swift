import Foundation
import Testing
@testable import DeportSimCore
@testable import DeportSimIO

/// The reference results in Results/ are what the code produces now: a
/// change to the model's numbers fails here until `bash Results/regenerate.sh`
/// is run and the new files are committed, so every such change is a visible diff.
@Suite("Reference results")
struct BaselineTests {
    @Test(arguments: EndToEndTests.shippedScenarios)
    func referenceResultsAreUpToDate(file: String) throws {
        let name = String(file.dropLast(5))
        let reference = packageRoot.appendingPathComponent("Results/reference/\(name)/summary.csv")
        let expected = try String(contentsOf: reference, encoding: .utf8)
        let loaded = try ScenarioLoader.load(file: packageRoot.appendingPathComponent("Scenarios/\(file)").path)
        let result = runScenario(loaded.scenario, options: RunOptions(replications: 50, jobs: 2, period: loaded.scenario.outputPeriod))
        let actual = ResultWriter.summaryCSV(result.summary)
        if actual != expected {
            let a = actual.split(separator: "\n"), e = expected.split(separator: "\n")
            let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("""
            Results/reference/\(name)/summary.csv is out of date (first difference at line \((first?.offset ?? min(a.count, e.count)) + 1): \
            expected \(first.map { String($0.element.1) } ?? "\(e.count) lines"), got \(first.map { String($0.element.0) } ?? "\(a.count) lines")). \
            If the change is intended, run `bash Results/regenerate.sh` and commit the new files.
            """)
        }
    }
}

/// southwest-border-2024 and its overlay are generated from data/:
/// the shipped files must be what the generator writes now.
@Suite("Generated scenarios")
struct GeneratedScenarioTests {
    @Test func southwestBorderScenarioIsWhatItsGeneratorWrites() throws {
        let out = temporaryFolder()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", packageRoot.appendingPathComponent("Tests/ScenarioTools/fit_southwest_border.py").path,
                       dataFolder.path, out.path]
        p.currentDirectoryURL = packageRoot
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        for name in ["southwest-border-2024.yaml", "southwest-border-2024-no-restriction-rule.yaml"] {
            let generated = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            let shipped = try String(contentsOf: packageRoot.appendingPathComponent("Scenarios/\(name)"), encoding: .utf8)
            #expect(generated == shipped, "Scenarios/\(name) differs from what Tests/ScenarioTools/fit_southwest_border.py writes")
        }
    }
}
