import Foundation
import Testing
@testable import DeportSimCore
@testable import DeportSimIO

/// The reference results of an independent implementation of MODEL.md
/// (../shared/conformance), checked with its own `check.py`.
@Suite("Conformance with the reference implementation")
struct ConformanceTests {
    @Test(arguments: ["conf-one", "conf-three"])
    func agreesWithTheReference(name: String) throws {
        let folder = sharedFolder.appendingPathComponent("conformance")
        let loaded = try ScenarioLoader.load(file: folder.appendingPathComponent("\(name).yaml").path)
        let replications = 2000
        let result = runScenario(loaded.scenario, options: RunOptions(replications: replications, jobs: 2, period: .month))
        let out = temporaryFolder().appendingPathComponent("summary.csv")
        try ResultWriter.summaryCSV(result.summary).write(to: out, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", folder.appendingPathComponent("check.py").path,
                       folder.appendingPathComponent("\(name).expected.csv").path, out.path, String(replications)]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("conforms"))
    }
}
