import Foundation
import Testing
@testable import DeportSimCore
@testable import DeportSimIO
@testable import DeportSimReport

/// Whole-run tables by default (`summary_total.csv`, `difference_total.csv`),
/// what the built `deportsim` writes and prints.
@Suite("Whole-run tables")
struct WholeRunTableTests {
    static let conf = conformanceFolder.appendingPathComponent("conf-three.yaml").path

    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func runWritesTheWholeRunAsPeriodTotalWould() throws {
        let dir = temporaryFolder()
        let monthly = dir.appendingPathComponent("month"), total = dir.appendingPathComponent("total")
        let r = try runTool(["run", Self.conf, "-r", "12", "--jobs", "2", "--out", monthly.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("summary_total.csv"), "\(r.out)")
        #expect(try runTool(["run", Self.conf, "-r", "12", "--jobs", "1", "--period", "total", "--out", total.path]).status == 0)
        let wholeRun = try text(monthly.appendingPathComponent("summary_total.csv"))
        // Byte for byte the summary of one period spanning the run: flows summed, stocks at the end.
        #expect(wholeRun == (try text(total.appendingPathComponent("summary.csv"))))
        let header = try text(monthly.appendingPathComponent("summary.csv")).prefix { $0 != "\n" }
        #expect(wholeRun.hasPrefix(header + "\n"))
        #expect(Set(wholeRun.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] + "," + $0.split(separator: ",")[1] })
                == ["2024-01-01,2024-08-31"])
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: monthly.appendingPathComponent("run.json"))) as! [String: Any]
        #expect((meta["files"] as? [String])?.contains("summary_total.csv") == true)
    }

    @Test func diffWritesTheWholeRunAsPeriodTotalWould() throws {
        let dir = temporaryFolder()
        let args = ["diff", Self.conf, "--variant", "beds:capacity.detention_beds=900", "-r", "10"]
        let week = dir.appendingPathComponent("week"), total = dir.appendingPathComponent("total")
        let r = try runTool(args + ["--period", "week", "--out", week.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("difference.csv, difference_total.csv, run.json"), "\(r.out)")
        #expect(try runTool(args + ["--period", "total", "--out", total.path]).status == 0)
        let wholeRun = try text(week.appendingPathComponent("difference_total.csv"))
        #expect(wholeRun == (try text(total.appendingPathComponent("difference.csv"))))
        #expect(wholeRun.hasPrefix(Variants.header.joined(separator: ",") + "\n"))
        #expect(wholeRun.split(separator: "\n").count > 40)
    }
}

/// `diff --report`: the whole-run table first, the variant's own events beside the baseline's.
@Suite("What-if report")
struct WhatIfReportTests {
    static let baseline = packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path
    static let overlay = packageRoot.appendingPathComponent("Scenarios/china-2024-cooperation-suspended-2025.yaml").path

    @Test func theWholeRunTableComesFirstAndTheVariantsOwnEventIsMarked() throws {
        let out = temporaryFolder().appendingPathComponent("diff")
        let r = try runTool(["diff", Self.baseline, Self.overlay, "-r", "6", "--metrics", "removals,detained,flights_cancelled", "--report", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        // Asked-for metrics are printed even when they barely change, and the
        // intervals say what they include, as run's and compare's do.
        #expect(r.out.contains("/ ALL / flights_cancelled"), "\(r.out)")
        #expect(r.out.contains("\n90% intervals include: simulation noise + parameter uncertainty + shocks\n"), "\(r.out)")
        #expect(r.out.contains("6 paired replications, common random numbers"), "\(r.out)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        let section = try #require(html.range(of: "id=\"difference\"")).upperBound
        // The differences' intervals say what they include, from run.json.
        #expect(html[section...].contains("90% intervals include: simulation noise + parameter uncertainty + shocks."))
        let table = try #require(html.range(of: "<h4>Whole run (", range: section..<html.endIndex)).lowerBound
        let firstChart = try #require(html.range(of: "<svg", range: section..<html.endIndex)).lowerBound
        #expect(table < firstChart)
        // --metrics is honoured in the table: removals and detained, nothing else.
        let tableHTML = String(html[table..<firstChart])
        #expect(tableHTML.contains("<td>Removals</td>") && tableHTML.contains("<td>Detained</td>"))
        #expect(!tableHTML.contains("<td>Encounters</td>"))
        // The overlay adds one event on 2024-12-01; the baseline's stay numbered, the variant's is V1.
        let loadedOverlay = try ScenarioLoader.load(file: Self.overlay)
        let loadedBase = try ScenarioLoader.load(file: Self.baseline)
        let own = loadedOverlay.scenario.eventNotes.filter { e in !loadedBase.scenario.eventNotes.contains { $0.date == e.date && $0.note == e.note } }
        #expect(own.count == 1)
        #expect(html.contains("<span class=\"mono\">V1 \(own[0].date)</span>"))
        #expect(!html.contains(">V2 "))
        #expect(html.contains("class=\"event variant-event\""))
        #expect(html.contains("event of variant \(loadedOverlay.scenario.name) only (V-numbered)"))
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        let variants = try #require(meta["variants"] as? [[String: Any]])
        let dates = (variants[0]["events"] as? [[String: String]])?.compactMap { $0["date"] } ?? []
        #expect(dates.contains(own[0].date.description) && dates.count == loadedOverlay.scenario.eventNotes.count)
    }

    @Test func onlyEventsTheBaselineLacksAreTheVariantsOwn() {
        let d = { (s: String) in CivilDate(iso: s)! }
        let base = [EventMarker(date: d("2024-04-20"), label: "cooperation"), EventMarker(date: d("2024-06-05"), label: "rule")]
        let variant = [EventMarker(date: d("2024-12-01"), label: "suspended"), base[0], EventMarker(date: d("2024-06-12"), label: "rule")]
        // The moved event (same note, other date) and the added one, in date order.
        #expect(DifferenceCharts.variantOwnEvents(baseline: base, variant: variant).map(\.date) == [d("2024-06-12"), d("2024-12-01")])
        #expect(DifferenceCharts.variantOwnEvents(baseline: base, variant: base).isEmpty)
    }

    @Test func chartsWhoseSeriesAreAllZeroSaySo() throws {
        let out = temporaryFolder().appendingPathComponent("nocost")
        let r = try runTool(["run", WholeRunTableTests.conf, "-r", "4", "--set", "costs=null", "--report", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Zero in every replication: the scenario sets no costs"))
        let priced = temporaryFolder().appendingPathComponent("priced")
        #expect(try runTool(["run", WholeRunTableTests.conf, "-r", "4", "--report", "--out", priced.path]).status == 0)
        #expect(!(try String(contentsOf: priced.appendingPathComponent("report.html"), encoding: .utf8)).contains("sets no costs"))
    }
}

/// The report's and the explorer's chart saving, and tables that wrap at sensible points.
@Suite("Report pages")
struct ReportPageTests {
    @Test func theReportsOnlyScriptIsTheStaticChartSaver() throws {
        let html = try Report.html(folder: ReportFixtures.runFolder())
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.contains("<script id=\"chart-save\" data-save=\"all\">" + ChartSave.script + "</script>"))
        // Offline: nothing fetched or loaded, by the script or the page.
        for word in ["fetch(", "XMLHttpRequest", "import(", " src=", "<link"] { #expect(!html.contains(word), "\(word)") }
        // The saved SVG carries the chart style sheet the page uses.
        let quoted = String(decoding: try JSONEncoder().encode(Chart.stylesheet), as: UTF8.self)
        #expect(ChartSave.script.contains("const chartStyle = \(quoted);"))
        #expect(ReportBuilder.css.contains(Chart.stylesheet))
    }

    @Test func tableTextBreaksOnlyAfterItsSeparators() {
        func render(_ nodes: [HNode]) -> String { Markup.el("td", [], nodes).render() }
        #expect(render(ReportBuilder.breakable("2024-07-01..2024-09-30", after: [".."])) == "<td>2024-07-01..<wbr>2024-09-30</td>")
        #expect(render(ReportBuilder.breakable("removals+voluntary_return", after: ["+", "_"])) == "<td>removals+<wbr>voluntary_<wbr>return</td>")
        #expect(render(ReportBuilder.breakable("F032 <b>/x", after: ["/"])) == "<td>F032 &lt;b&gt;/<wbr>x</td>")
        #expect(render(ReportBuilder.breakable("FY2024", after: [".."])) == "<td>FY2024</td>")
    }

    @Test func helpSpeaksOfTheSweepSpecOnlyInSweep() throws {
        for command in ["run", "compare", "diff"] {
            let r = try runTool([command, "--help"])
            #expect(r.status == 0)
            let lines = r.out.components(separatedBy: "\n")
            let options = lines.drop { !$0.hasPrefix("  -r, --replications") }.prefix { !$0.hasPrefix("  -j, --jobs") }.joined(separator: " ")
            #expect(!options.isEmpty && !options.contains("sweep") && options.contains("scenario's"), "\(command): \(options)")
        }
        let sweep = try runTool(["sweep", "--help"])
        #expect(sweep.out.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ").contains("sweep spec's"))
    }
}

/// `sweep --force`, the rate the progress line and the summary print, and
/// the sweep report's descriptions.
@Suite("Sweep folders and their report", .serialized)
final class SweepFolderTests {
    let scratch = temporaryFolder("deportsim-sweep-folder").path

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    func sweep(_ out: String, _ extra: [String] = []) throws -> DeportSimBinary.Result {
        try DeportSimBinary.run(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--out", out, "--jobs", "2"] + extra)
    }

    func bytes(_ folder: String) -> [Data?] {
        (SweepEndToEndTests.files + ["sweep.json"]).map { FileManager.default.contents(atPath: folder + "/" + $0) }
    }

    @Test func forceReplacesAnotherSweepsFinishedResultsAndOnlyThose() throws {
        let folder = scratch + "/one", fresh = scratch + "/fresh"
        #expect(try sweep(folder).status == 0)
        let refused = try sweep(folder, ["--seed", "6"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("the folder already holds the finished results of another sweep") && refused.stderr.contains("use --force"),
                "\(refused.stderr)")
        let replaced = try sweep(folder, ["--seed", "6", "--force"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try sweep(fresh, ["--seed", "6"]).status == 0)
        #expect(bytes(folder).dropLast() == bytes(fresh).dropLast())
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/sweep.json"))) as! [String: Any]
        #expect(meta["seed"] as? Int == 6)
        // The same sweep again, with or without --force: complete, nothing run, nothing replaced.
        let before = bytes(folder)
        for extra in [["--seed", "6"], ["--seed", "6", "--force"]] {
            let again = try sweep(folder, extra)
            #expect(again.status == 0 && again.stdout.contains("already complete"), "\(again.stdout)")
        }
        #expect(bytes(folder) == before)
    }

    /// Off a terminal the progress line is logged; its last rate is the summary's.
    @Test func theProgressLineAndTheSummaryPrintOneRate() throws {
        let r = try sweep(scratch + "/rate")
        #expect(r.status == 0, "\(r.stderr)")
        /// "12.3 runs/s" of the last line that has one.
        func rate(_ text: String) -> String? {
            guard let line = text.components(separatedBy: "\n").last(where: { $0.contains("runs/s") }),
                  let range = line.range(of: #"[0-9.]+ runs/s"#, options: .regularExpression) else { return nil }
            return String(line[range])
        }
        let progress = try #require(rate(r.stderr)), summary = try #require(rate(r.stdout))
        #expect(r.stderr.contains("36/36 runs (100%)"), "\(r.stderr)")
        #expect(progress == summary, "progress \(progress), summary \(summary)")
    }

    @Test func theReportShowsTheSpecsDescriptionAndWhereTheScenariosComesFrom() throws {
        let spec = scratch + "/asks.sweep.yaml"
        try "description: \"Does a bigger plane <b>matter</b>?\"\ndesign: grid\nreplications: 2\nparameters:\n  routes.china-charter.seats: [60, 120]\n"
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let overlay = packageRoot.appendingPathComponent("Scenarios/sweeps/china-2024-charter-interval.yaml").path
        let out = scratch + "/described"
        let r = try DeportSimBinary.run(["sweep", overlay, spec, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try runTool(["report", out]).status == 0)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<p class=\"lead\">Does a bigger plane &lt;b&gt;matter&lt;/b&gt;?</p>"))
        let base = try ScenarioLoader.load(file: packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path).scenario.description
        #expect(html.contains("Scenario: " + base.replacingOccurrences(of: "&", with: "&amp;")))
        #expect(html.contains("This description is that of china-2024.yaml, which china-2024-charter-interval.yaml extends"))
        // A scenario with a description of its own: no such note.
        let own = scratch + "/own"
        #expect(try DeportSimBinary.run(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--out", own]).status == 0)
        #expect(try runTool(["report", own]).status == 0)
        #expect(!(try String(contentsOfFile: own + "/report.html", encoding: .utf8)).contains("This description is that of"))
    }
}
