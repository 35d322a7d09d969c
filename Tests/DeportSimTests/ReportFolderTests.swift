import Foundation
import Testing
@testable import DeportSimIO
@testable import DeportSimReport

/// Charts whose path data draws something: `<path ... d="M..."`.
func drawnPaths(_ html: String) -> Int {
    ReportFixtures.count(" d=\"M", in: html)
}

@Suite("Report of each results folder kind")
struct ReportFolderTests {
    @Test func runFolder() throws {
        let path = try ReportFixtures.runFolder()
        let folder = try ResultsFolder.load(path)
        #expect(folder.kinds == [.run])
        let html = Report.html(for: folder)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Header.
        for text in ["fixture-run", "a small hand-written run", "2024-06-01T10:00:00Z", "deportsim 0.1.0", "2.7.1",
                     String(repeating: "ab", count: 32)] {
            #expect(html.contains(text), "header lacks \(text)")
        }
        // Per country (ALL first) time series: 7 main metrics each + encounters_total for ALL, a cost chart, 2 route charts.
        #expect(html.contains("ALL — modelled countries together"))
        #expect(html.contains("CHN — China"))
        #expect(ReportFixtures.count("<svg", in: html) == 3 * 7 + 1 + 1 + 2)
        #expect(drawnPaths(html) > 40)
        // February is shaded (20 of 29 days), January and March are not: one hatched span per time chart.
        #expect(ReportFixtures.count("class=\"shade\"", in: html) == 3 * 7 + 1)
        #expect(html.contains("Restriction rule active on 20 of 29 days on average, 2024-02-01 to 2024-02-29"))
        // Two events, as numbered markers with their notes on hover.
        #expect(html.contains("Event 1, 2024-02-10: Beijing resumes coordination"))
        #expect(html.contains("Event 2, 2024-03-05: set capacity.detention_beds"))
        // Flights: a timeline and the table.
        #expect(html.contains("Route china-charter"))
        #expect(html.contains("90.3%"))  // 325 boarded of 360 seats flown
        // Costs: stacked bars and whole-run totals (3 x 4,000,000).
        #expect(html.contains("US$ 12,000,000"))
        #expect(html.contains("id=\"report-end\""))
        // Self-contained: nothing fetched, no script but the static chart saver.
        #expect(ReportFixtures.count("<script", in: html) == 1 && html.contains("<script id=\"chart-save\""))
        #expect(!html.contains("src=\""))
        #expect(!html.contains("<link"))
    }

    @Test func runFolderWithoutFlightsSaysSo() throws {
        let html = try Report.html(folder: try ReportFixtures.runFolder(withFlights: false))
        #expect(html.contains("No flights.csv in this folder"))
        #expect(!html.contains("Route china-charter"))
    }

    @Test func wholeRunSummaryIsATable() throws {
        let lines = ReportFixtures.summaryCSV().split(separator: "\n").filter { $0.hasPrefix("period_start") || $0.hasPrefix("2024-01-01") }
        let path = try ReportFixtures.makeFolder(["summary.csv": lines.joined(separator: "\n") + "\n", "run.json": ReportFixtures.runJSON()])
        let html = try Report.html(folder: path)
        #expect(html.contains("Flows and stocks, whole run"))
        #expect(html.contains("<td>Book-ins (detention admissions)</td>"))
        // Only the cost chart and the note that flights.csv is missing; no time series.
        #expect(ReportFixtures.count("<svg", in: html) == 1)
    }

    @Test func comparisonFolder() throws {
        let folder = try ResultsFolder.load(try ReportFixtures.comparisonFolder())
        #expect(folder.kinds == [.run, .comparison])
        #expect(folder.comparison?.first?.source == "CBP monthly, cited in \"DHS\" release")
        let html = Report.html(for: folder)
        #expect(html.contains("2 of 3 targets pass"))
        #expect(ReportFixtures.count("✗ FAIL", in: html) == 1)
        #expect(ReportFixtures.count("✓ pass", in: html) == 2)
        // The monthly flow and the stock are drawn as points; the fiscal-year total is not (no chart period matches).
        #expect(ReportFixtures.count("<g class=\"reported\">", in: html) == 2)
        #expect(html.contains("Reported 4,100 for 2024-02 — source: CBP monthly, cited in \"DHS\" release."))
        #expect(html.contains("Reported 1,250 for 2024-03-31"))
        #expect(!html.contains("Reported 700 for FY2024"))
    }

    @Test func comparisonWithoutPassColumnUsesTheInterval() throws {
        let csv = ReportFixtures.comparisonCSV.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).joined(separator: ",")
        }.joined(separator: "\n")
        let path = try ReportFixtures.makeFolder(["summary.csv": ReportFixtures.summaryCSV(), "comparison.csv": csv])
        let folder = try ResultsFolder.load(path)
        #expect(folder.comparison?.allSatisfy { $0.pass == nil } == true)
        let html = Report.html(for: folder)
        #expect(html.contains("2 of 3 reported figures lie within the simulated 90% interval"))
        #expect(html.contains("no run.json"))
        // Without run.json the period is judged from the summary's periods.
        #expect(html.contains("people per month"))
    }

    @Test func sweepFolder() throws {
        let folder = try ResultsFolder.load(try ReportFixtures.sweepFolder())
        #expect(folder.kinds == [.sweep])
        #expect(folder.sweep?.parameters == ["countries.CHN.deterrence.elasticity", "routes.china-charter.schedule.every_days"])
        let html = Report.html(for: folder)
        #expect(html.contains("fixture-sweep"))
        // Two outcomes x two parameters, each point a dot with whiskers.
        #expect(ReportFixtures.count("<svg", in: html) == 4)
        #expect(ReportFixtures.count("<circle", in: html) == 4 * 6 + 4)  // + one legend swatch per chart
        #expect(html.contains("removals_fy24 against countries.CHN.deterrence.elasticity"))
        #expect(html.contains("point 5: countries.CHN.deterrence.elasticity = 10.0"))
    }

    @Test func differenceFolder() throws {
        let folder = try ResultsFolder.load(try ReportFixtures.differenceFolder())
        #expect(folder.kinds == [.difference])
        #expect(folder.difference?.last?.relativeChange.isNaN == true)
        let html = Report.html(for: folder)
        #expect(html.contains("Variant charter-3w"))
        #expect(html.contains("Variant no-cooperation"))
        // 2 variants x 2 countries x 2 metrics x (levels + difference), and
        // released_at_limit of charter-3w ALL: difference.csv holds a
        // selection of metrics (as `diff --metrics` writes), so all are charted.
        #expect(ReportFixtures.count("<svg", in: html) == 18)
        #expect(ReportFixtures.count("class=\"rule\"", in: html) == 9)
        #expect(html.contains("Removals: charter-3w − baseline"))
    }

    @Test func writesAtomicallyIntoTheFolder() throws {
        let path = try ReportFixtures.runFolder()
        let written = try Report.write(folder: path)
        #expect(written == path + "/report.html")
        let text = try String(contentsOfFile: written, encoding: .utf8)
        #expect(text.contains("fixture-run"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}

@Suite("Report escaping and bad input")
struct ReportInputTests {
    @Test func hostileNamesRenderAsText() throws {
        let hostile = "<script>alert(1)</script>"
        let path = try ReportFixtures.makeFolder([
            "summary.csv": ReportFixtures.summaryCSV(countries: ["CHN", "X&<b>"]),
            "run.json": ReportFixtures.runJSON(name: hostile, description: "\" onmouseover=\"alert(2)\" & more",
                                               eventNote: "<img src=x onerror=alert(3)>"),
            "comparison.csv": ReportFixtures.comparisonCSV.replacingOccurrences(of: "ICE annual report", with: "</td><script>alert(4)</script>"),
        ])
        let html = try Report.html(folder: path)
        // The one script element is the report's own chart saver: no scenario text became one.
        #expect(ReportFixtures.count("<script", in: html) == 1 && html.contains("<script id=\"chart-save\""))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<title>DeportSim report: &lt;script&gt;alert(1)&lt;/script&gt;</title>"))
        #expect(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
        #expect(html.contains("&lt;img src=x onerror=alert(3)&gt;"))
        // Escaped, with the source column's break points after each '/'.
        #expect(html.contains("&lt;/<wbr>td&gt;&lt;script&gt;alert(4)&lt;/<wbr>script&gt;"))
        #expect(html.contains("X&amp;&lt;b&gt;"))
    }

    @Test func attributeValuesAreEscaped() {
        #expect(Markup.escapeAttribute("a\"b<c>&d") == "a&quot;b&lt;c&gt;&amp;d")
        let node = Markup.el("rect", [("data-x", "\" onload=\"alert(1)")])
        #expect(node.render() == "<rect data-x=\"&quot; onload=&quot;alert(1)\"></rect>")
    }

    @Test func missingFolderIsAnInputError() throws {
        let error = try #require(throws: DeportSimError.self) { try ResultsFolder.load("/nonexistent/deportsim-results") }
        #expect(error.description.contains("no such results folder"))
    }

    @Test func folderWithoutResultsIsAnInputError() throws {
        let path = try ReportFixtures.makeFolder(["run.json": ReportFixtures.runJSON()])
        let error = try #require(throws: DeportSimError.self) { try ResultsFolder.load(path) }
        #expect(error.description.contains("no summary.csv"))
    }

    @Test func malformedNumberIsLocated() throws {
        var lines = ReportFixtures.summaryCSV().split(separator: "\n").map(String.init)
        lines[2] = "2024-01-01,2024-01-31,CHN,book_ins,lots,1,2,3,4"
        let path = try ReportFixtures.makeFolder(["summary.csv": lines.joined(separator: "\n") + "\n"])
        let error = try #require(throws: DeportSimError.self) { try ResultsFolder.load(path) }
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 36)
        #expect(error.keyPath == "mean")
        #expect(error.description.contains("expected a number, found 'lots'"))
    }

    @Test func wrongFieldCountAndMissingColumnsAreLocated() throws {
        let short = try ReportFixtures.makeFolder(["summary.csv": "period_start,period_end,country,metric,mean,sd,p05,p50,p95\n2024-01-01,2024-01-31,CHN\n"])
        let e1 = try #require(throws: DeportSimError.self) { try ResultsFolder.load(short) }
        #expect(e1.location?.line == 2)
        #expect(e1.description.contains("expected 9 fields, found 3"))
        let noColumn = try ReportFixtures.makeFolder(["summary.csv": "period_start,period_end,country,metric\n"])
        let e2 = try #require(throws: DeportSimError.self) { try ResultsFolder.load(noColumn) }
        #expect(e2.keyPath == "mean")
        let badJSON = try ReportFixtures.makeFolder(["summary.csv": ReportFixtures.summaryCSV(), "run.json": "{not json"])
        let e3 = try #require(throws: DeportSimError.self) { try ResultsFolder.load(badJSON) }
        #expect(e3.description.contains("not valid JSON"))
    }
}
