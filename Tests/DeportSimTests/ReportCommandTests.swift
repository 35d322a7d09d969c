import Foundation
import Testing

/// The built tool, as everywhere in the tests (Support.swift).
private func deportsim(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try runTool(arguments) }

@Suite("report command and run --report", .serialized)
struct ReportCommandTests {
    @Test func runWithReportWritesTheReportIntoTheFolder() throws {
        let out = NSTemporaryDirectory() + "deportsim-report-run-\(UUID().uuidString)"
        let scenario = conformanceFolder.appendingPathComponent("conf-three.yaml").path
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
