import Foundation
import Testing
@testable import DeportSimReport

/// Headless Chromium, when it is on PATH (Debian package `chromium`).
enum Browser {
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// CI must run the browser check: there a missing browser is a failure, not a skip.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"
    static let shouldRun = executable != nil || required

    /// Runs the browser; returns (exit status, stdout, stderr).
    static func run(_ arguments: [String], timeoutSeconds: Double = 90) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable!)
        process.arguments = arguments
        // Output goes to files, so a chatty browser cannot block on a full pipe.
        let base = NSTemporaryDirectory() + "chromium-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err") }
        process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        process.standardError = FileHandle(forWritingAtPath: base + ".err")
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(100_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let outData = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let errData = FileManager.default.contents(atPath: base + ".err") ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

@Suite("Report in a real browser", .serialized)
struct ReportBrowserTests {
    @Test(.enabled(if: Browser.shouldRun, "chromium is not on PATH (set CI=true to make this a failure)"))
    func reportLoadsAndDrawsInHeadlessChromium() throws {
        _ = try #require(Browser.executable, "CI=true but chromium is not on PATH: apt-get install -y chromium")
        let path = try ReportFixtures.makeFolder([
            "summary.csv": ReportFixtures.summaryCSV(),
            "run.json": ReportFixtures.runJSON(name: "<script>alert(1)</script>"),
            "flights.csv": ReportFixtures.flightsCSV,
            "comparison.csv": ReportFixtures.comparisonCSV,
        ])
        let report = try Report.write(folder: path)
        let profile = path + "/chromium-profile"
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile)",
                      "--enable-logging=stderr", "--v=0"]

        // The DOM after load: every chart present, drawn, and the hostile name still text.
        let (status, dom, log) = try Browser.run(common + ["--dump-dom", "file://\(report)"])
        #expect(status == 0, "chromium exited with \(status): \(log.suffix(2000))")
        #expect(dom.contains("id=\"report-end\""), "the page did not load to its end")
        #expect(ReportFixtures.count("<svg", in: dom) == 25)
        #expect(drawnPaths(dom) > 40)
        #expect(ReportFixtures.count("<script", in: dom) == 1 && dom.contains("<script id=\"chart-save\""),
                "a scenario name became a script element")
        // The chart saver ran: two buttons under each chart.
        #expect(ReportFixtures.count("class=\"save\"", in: dom) == 2 * 25)
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // No console errors, no failed loads (the page fetches nothing).
        for line in log.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Failed to load") || line.contains("Uncaught") {
            Issue.record("browser reported: \(line)")
        }

        // A screenshot that is not blank: a blank page of this size is about 11 KB.
        let png = path + "/report.png"
        let (shotStatus, _, shotLog) = try Browser.run(common + ["--screenshot=\(png)", "--window-size=1200,2000", "file://\(report)"])
        #expect(shotStatus == 0, "chromium screenshot failed: \(shotLog.suffix(2000))")
        let data = try #require(FileManager.default.contents(atPath: png), "no screenshot written")
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        #expect(data.count > 40_000, "screenshot of \(data.count) bytes looks blank")
    }
}
