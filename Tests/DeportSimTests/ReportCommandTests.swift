import Foundation
import Testing

/// The package's root folder, from this file's path.
private let reportPackageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs the built `deportsim` as an analyst would; (status, stdout, stderr).
private func deportsim(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("deportsim")
    let p = Process()
    p.executableURL = FileManager.default.fileExists(atPath: beside.path) ? beside
        : reportPackageRoot.appendingPathComponent(".build/debug/deportsim")
    p.arguments = arguments
    p.currentDirectoryURL = reportPackageRoot
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

@Suite("report command and run --report", .serialized)
struct ReportCommandTests {
    @Test func runWithReportWritesTheReportIntoTheFolder() throws {
        let out = NSTemporaryDirectory() + "deportsim-report-run-\(UUID().uuidString)"
        let scenario = reportPackageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/conf-three.yaml").path
        let r = try deportsim(["run", scenario, "-r", "10", "--out", out, "--write-flights", "--report"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("wrote \(out)/report.html"))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<h1>conf-three</h1>"))
        #expect(html.contains("Route caribbean"))
        #expect(html.contains("HTI — Haiti"))
        #expect(ReportFixtures.count("<svg", in: html) >= 30)
    }

    @Test func reportToAChosenFile() throws {
        let folder = try ReportFixtures.runFolder()
        let target = folder + "/elsewhere.html"
        let r = try deportsim(["report", folder, "--out", target])
        #expect(r.status == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: target))
        #expect(!FileManager.default.fileExists(atPath: folder + "/report.html"))
    }

    @Test func badInputExitsWithStatus2AndALocatedMessage() throws {
        let missing = try deportsim(["report", "/nonexistent/deportsim-folder"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("/nonexistent/deportsim-folder: error: no such results folder"))

        var lines = ReportFixtures.summaryCSV().split(separator: "\n").map(String.init)
        lines[2] = "2024-01-01,2024-01-31,CHN,book_ins,lots,1,2,3,4"
        let folder = try ReportFixtures.makeFolder(["summary.csv": lines.joined(separator: "\n") + "\n"])
        let malformed = try deportsim(["report", folder])
        #expect(malformed.status == 2)
        #expect(malformed.err.contains("summary.csv:3:36: error: mean: expected a number, found 'lots'"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/report.html"))
    }
}
