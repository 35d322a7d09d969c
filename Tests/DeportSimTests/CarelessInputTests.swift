import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// Issue 11, the rest: no traps on counts, no silent overrides, one rule for
/// periods outside the run, every error of a file at once. Each case is the
/// issue's input (or the smallest scenario that shows it), on the library.
@Suite("Careless input: the library")
struct CarelessInputTests {
    let folder = temporaryFolder("deportsim-careless")

    func write(_ name: String, _ text: String) throws -> String { try writeText(text, name, in: folder) }

    func loadError(_ yaml: String, overrides: [String] = []) throws -> DeportSimError {
        let file = try write("bad-\(UUID().uuidString).yaml", yaml)
        return try #require(throws: DeportSimError.self) { try ScenarioLoader.load(file: file, overrides: overrides) }
    }

    // MARK: no traps

    /// 10 parameters x 100 values: 10^20 points overflowed Int (a trap at SweepDesign.count).
    @Test func aGridTooLargeToCountSaturatesInsteadOfTrapping() throws {
        let parameters = (0..<10).map { SweepParameter(path: "p\($0)", domain: .values((1...100).map(Double.init))) }
        #expect(SweepDesign(kind: .grid, parameters: parameters).count == Int.max)
        #expect(SweepDesign(kind: .grid, parameters: Array(parameters.prefix(3))).count == 1_000_000)
        #expect(SweepDesign(kind: .morris, parameters: parameters, trajectories: Int.max).count == Int.max)
        #expect(SweepDesign(kind: .saltelli, parameters: parameters, pointCount: Int.max / 2).count == Int.max)
    }

    /// The fuzz seed that trapped: refused at the parameters line with the limit.
    @Test func theGridOverflowSeedIsRefusedWithTheLimit() throws {
        let small = try ScenarioLoader.load(file: packageRoot.appendingPathComponent("Tests/Fixtures/sweep-small.yaml").path)
        let spec = packageRoot.appendingPathComponent("Fuzz/seeds/grid-overflow.yaml").path
        let e = try #require(throws: DeportSimError.self) {
            try SweepSpecParser.load(file: spec, overrides: SweepOverrides(), scenario: small)
        }
        #expect(e.description == "\(spec):7:3: error: parameters: the grid design has over 9.2 x 10^18 points, more than the limit of 10,000,000")
    }

    /// A range of replication indices takes no memory and keeps its order and offset.
    @Test func theRunnerTakesARangeOfIndices() {
        for jobs in [1, 2] {
            var seen: [Int] = []
            ReplicationRunner.run(indices: 5..<12, jobs: jobs, makeWorker: {}, work: { _, i in i * 10 },
                                  consume: { i, out in seen.append(i); #expect(out == i * 10) })
            #expect(seen == Array(5..<12))
        }
    }

    @Test func theScenarioFileCapsReplications() throws {
        let e = try loadError(oneCountry(extra: "replications: 2147483648"))
        #expect(e.location?.line == 10 && e.keyPath == "replications", "\(e)")
        #expect(e.message == "expected a whole number of replications from 1 to 10,000,000 (the limit), found 2147483648")
    }

    /// Cells x 220 bytes plus the replications in progress, against the memory given.
    @Test func theMemoryEstimateCountsCellsAndReplicationsInProgress() throws {
        let loaded = try baseScenario(days: 60, setting: [])
        let options = RunOptions(replications: 1_000, jobs: 2, period: .day)
        let estimate = MemoryEstimate(scenario: loaded.scenario, options: options)
        let layout = CellLayout(periods: PeriodCalendar(kind: .day, start: loaded.scenario.start, end: loaded.scenario.end).periods,
                                countryCodes: ["AAA"])
        #expect(MemoryEstimate.bytesPerCell == 220)
        #expect(estimate.cells == layout.cellCount)
        #expect(estimate.replicationsHeld == 6)
        #expect(estimate.bytesPerReplication == layout.cellCount * 8 + 60)
        // 1,000 replications of every cell fit the default --memory-budget: exact quantiles keep each value.
        #expect(estimate.exactQuantileBytes == layout.cellCount * 1_000 * 8)
        #expect(estimate.bytes == layout.cellCount * 220 + layout.cellCount * 1_000 * 8 + 6 * (layout.cellCount * 8 + 60))
        // Beyond the budget (P-square), memory stays flat in the replication count.
        let flat = MemoryEstimate(scenario: loaded.scenario, options: RunOptions(replications: 1_000, jobs: 2, period: .day, memoryBudgetBytes: 0))
        #expect(flat.bytes == layout.cellCount * 220 + 6 * (layout.cellCount * 8 + 60))
        #expect(MemoryEstimate(scenario: loaded.scenario, options: RunOptions(replications: 10_000_000, jobs: 2, period: .day)).bytes == flat.bytes)
        try MemoryCheck.require(estimate, scenarioFile: "s.yaml", available: estimate.bytes)
        let e = try #require(throws: DeportSimError.self) {
            try MemoryCheck.require(estimate, scenarioFile: "s.yaml", available: 1 << 20)
        }
        #expect(e.location?.file == "s.yaml")
        #expect(e.message.hasPrefix("the run needs about"), "\(e)")
        #expect(e.message.contains("more than the 1 MB this machine has available (MemAvailable in /proc/meminfo)"), "\(e)")
        #expect(MemoryCheck.availableBytes().map { $0 > 0 } ?? true)
        let meminfo = try write("meminfo", "MemTotal:       4000 kB\nMemAvailable:   2000 kB\n")
        #expect(MemoryCheck.availableBytes(meminfo: meminfo) == 2000 * 1024)
    }

    // MARK: no silent overrides

    static let withEvent = oneCountry(extra: """
        events:
          - { date: 2024-01-20, set: { countries.AAA.court.mean_days: 50 }, note: faster courts }
        """)

    @Test func setAndVariantWarnLikeSweepsAndFits() throws {
        let file = try write("event.yaml", Self.withEvent)
        let loaded = try ScenarioLoader.load(file: file, overrides: ["countries.AAA.court.mean_days=200", "countries.AAA.court.order_rate=0.4"])
        #expect(loaded.warnings == ["warning: the scenario's event of 2024-01-20 sets countries.AAA.court.mean_days, so the --set value of countries.AAA.court.mean_days holds only until then (the event \"faster courts\")"])
        let variant = try Variants.fromSpec("slow:countries.AAA.court={mean_days: 300}", baseline: try ScenarioLoader.load(file: file))
        #expect(variant.scenario.warnings == ["warning: the scenario's event of 2024-01-20 sets countries.AAA.court.mean_days, so the --variant slow value of countries.AAA.court holds only until then (the event \"faster courts\")"])
        // The sweep's and the fit's words come from the same function.
        #expect(loaded.scenario.overrideWarnings(path: "countries.AAA.court.mean_days", what: "swept").first?.contains("so the swept value of countries.AAA.court.mean_days holds only until then") == true)
        #expect(try ScenarioLoader.load(file: file, overrides: ["countries.AAA.court.order_rate=0.4"]).warnings.isEmpty)
    }

    /// `--set events=[...]` adds to the base's events, as an overlay's do; `null` removes them.
    @Test func eventsSetByPathAreAddedLikeAnOverlaysEvents() throws {
        let file = try write("base.yaml", Self.withEvent)
        let added = try ScenarioLoader.load(file: file, overrides: ["events=[{date: 2024-02-01, set: {countries.AAA.court.order_rate: 0.2}}]"])
        #expect(added.scenario.eventNotes.map(\.date.description) == ["2024-01-20", "2024-02-01"])
        let overlay = try write("overlay.yaml", "extends: base.yaml\nevents:\n  - {date: 2024-02-01, set: {countries.AAA.court.order_rate: 0.2}}\n")
        #expect(try ScenarioLoader.load(file: overlay).scenario.eventNotes == added.scenario.eventNotes)
        #expect(try ScenarioLoader.load(file: file, overrides: ["events=null"]).scenario.eventNotes.isEmpty)
        #expect(try ScenarioLoader.load(file: file, overrides: ["events=[]"]).scenario.eventNotes.count == 1)
    }

    // MARK: all errors at once

    /// Three mistakes in three places: one check names all three, in file order.
    @Test func aFileWithThreeMistakesReportsAllThree() throws {
        let text = oneCountry(country: "initial: { pending: -1 }", extra: """
            capacity: { detention_bedz: 5 }
            routes:
              - { id: r1, countries: [AAA], seats: 0, schedule: { dates: [2024-01-05] } }
            events:
              - { date: 2030-01-01, set: { countries.AAA.court.mean_days: 5 } }
            """)
        let e = try loadError(text)
        let lines = e.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(e)")
        #expect(lines[0].hasSuffix(":10:13: error: capacity.detention_bedz: unknown key 'detention_bedz'; did you mean 'detention_beds'?"), "\(lines[0])")
        #expect(lines[1].hasSuffix(":9:25: error: countries.AAA.initial.pending: expected a whole number of people from 0 to 1,000,000,000, found -1"), "\(lines[1])")
        #expect(lines[2].hasSuffix(":12:40: error: routes.r1.seats: expected a whole number of seats >= 1, found 0"), "\(lines[2])")
        #expect(lines[3].hasSuffix(":14:13: error: events.0.date: expected a date inside the run (2024-01-01 to 2024-02-29), found 2030-01-01"), "\(lines[3])")
    }

    @Test func errorsStopAtTheStatedLimit() throws {
        let keys = (0..<30).map { "  bogus\($0): 1" }.joined(separator: "\n")
        let e = try loadError(oneCountry(extra: "costs:\n" + keys))
        let lines = e.description.split(separator: "\n")
        #expect(lines.count == Limits.errorsReported + 1)
        #expect(lines.last == "(stopped after the first 20 errors)")
        #expect(lines.first?.contains("costs.bogus0: unknown key 'bogus0'") == true)
    }

    /// 0.333 x 3 and 0.333333 x 3 are refused, 0.3333333 x 3 passes: the tolerance is in the message.
    @Test func theShareSumToleranceIsStated() throws {
        func shares(_ x: String) -> [String] {
            ["countries.AAA.pathways={expedited_removal: \(x), notice_to_appear: \(x), voluntary_return: \(x)}"]
        }
        for x in ["0.333", "0.333333"] {
            let e = try #require(throws: DeportSimError.self) { try baseScenario(setting: shares(x)) }
            #expect(e.message.hasPrefix("expected shares summing to 1 (within 0.000001: |sum - 1| <= 0.000001), found a sum of 0.999"), "\(e)")
        }
        #expect(try baseScenario(setting: shares("0.3333333")).scenario.parameters.countries[0].pathways.expeditedRemoval == 0.3333333)
    }

    @Test(arguments: [
        ("India", "expected three capital letters A-Z (an ISO 3166-1 alpha-3 code such as CHN, or a group code such as OTH), found 'India'; did you mean 'IND'?"),
        ("chn", "expected three capital letters A-Z (an ISO 3166-1 alpha-3 code such as CHN, or a group code such as OTH), found 'chn'; did you mean 'CHN'?"),
        ("CHN1", "expected three capital letters A-Z (an ISO 3166-1 alpha-3 code such as CHN, or a group code such as OTH), found 'CHN1'"),
        ("ALL", "ALL names the modelled countries together, found 'ALL'"),
    ])
    func countryCodesAreThreeCapitalLetters(code: String, message: String) throws {
        let e = try #require(throws: DeportSimError.self) { try scenario(oneCountry().replacingOccurrences(of: "AAA:", with: "\(code):")) }
        #expect(e.location?.line == 4 && e.location?.column == 3 && e.keyPath == "countries.\(code)", "\(e)")
        #expect(e.message == message)
    }

    @Test func groupCodesOfThreeLettersAreAccepted() throws {
        #expect(try scenario(oneCountry().replacingOccurrences(of: "AAA:", with: "OTH:")).scenario.parameters.countries[0].code == "OTH")
    }

    @Test func aDuplicateKeyIsNamedByItsFullPath() throws {
        let block = oneCountry(country: "at_large:\n  arrest_rate_per_year: 0.1\n  arrest_rate_per_year: 0.2")
        let e1 = try #require(throws: DeportSimError.self) { try TreeNode.parse(yaml: block, file: "d.yaml") }
        #expect(e1.description == "d.yaml:11:7: error: countries.AAA.at_large.arrest_rate_per_year: duplicate key: each key may appear once in a mapping")
        let flow = oneCountry().replacingOccurrences(of: "court: { mean_days: 100, order_rate: 0.5 }",
                                                     with: "court: { mean_days: 100, order_rate: 0.5, mean_days: 3 }")
        let e2 = try #require(throws: DeportSimError.self) { try TreeNode.parse(yaml: flow, file: "d.yaml") }
        #expect(e2.description == "d.yaml:7:47: error: countries.AAA.court.mean_days: duplicate key: each key may appear once in a mapping")
        let inList = "routes:\n  - { id: a, seats: 1, seats: 2 }\n"
        let e3 = try #require(throws: DeportSimError.self) { try TreeNode.parse(yaml: inList, file: "d.yaml") }
        #expect(e3.description == "d.yaml:2:24: error: routes.0.seats: duplicate key: each key may appear once in a mapping")
    }
}

/// The same on the built `deportsim`: flags, output paths and what a failed
/// command leaves behind.
@Suite("Careless input: the command line", .serialized)
struct CarelessCommandLineTests {
    static let small = packageRoot.appendingPathComponent("Tests/Fixtures/sweep-small.yaml").path

    func noFolder(_ path: URL) -> Bool { !FileManager.default.fileExists(atPath: path.path) }

    @Test(arguments: [
        (["run", small, "-r", "9223372036854775807"], "--replications must be from 1 to 10,000,000 (a mean's error shrinks as 1/sqrt(R), to 0.03% of the sd at the limit), found 9223372036854775807"),
        (["run", small, "-r", "2147483648"], "--replications must be from 1 to 10,000,000 (a mean's error shrinks as 1/sqrt(R), to 0.03% of the sd at the limit), found 2147483648"),
        (["run", small, "-r", "0"], "--replications must be from 1 to 10,000,000"),
        // A negative count or seed is read as the value (not as a missing one) and refused as such.
        (["run", small, "-r", "-5"], "--replications must be from 1 to 10,000,000 (a mean's error shrinks as 1/sqrt(R), to 0.03% of the sd at the limit), found -5"),
        (["run", small, "--seed", "-1"], "The value '-1' is invalid for '--seed <seed>'"),
        (["run", small, "--jobs", "0"], "--jobs must be from 1 to 1,024 (worker threads; more than the cores gains nothing), found 0"),
        (["compare", small, "--jobs", "100000"], "--jobs must be from 1 to 1,024"),
        (["diff", small, small, "--top=-1"], "--top must be from 0 to 1,000,000 (lines printed), found -1"),
        (["sweep", small, "--vary", "countries.VNM.court.mean_days=1..2", "--points", "0"], "--points must be from 1 to 10,000,000 (the limit of sweep points), found 0"),
        (["sweep", small, "--vary", "countries.VNM.court.mean_days=1..2", "--design", "morris", "--trajectories", "1"], "--trajectories must be from 2 to 10,000,000 (a morris design needs two trajectories to compare), found 1"),
        (["sweep", small, "--vary", "countries.VNM.court.mean_days=1..2", "--shard", "0/20000000"], "--shard must be from 1 to 10,000,000 (no more shards than points), found 20000000"),
        (["sweep", small, "--vary", "countries.VNM.court.mean_days=1..2", "--shard=-1/4"], "--shard expects K/N with 0 <= K < N"),
    ])
    func countFlagsAreCheckedWithTheirRange(arguments: [String], message: String) throws {
        let out = temporaryFolder("deportsim-flags").appendingPathComponent("out")
        let r = try runTool(arguments + ["--out", out.path])
        #expect(r.status == 2, "\(r.err)")
        #expect(r.err.contains(message), "\(r.err)")
        #expect(noFolder(out))
    }

    @Test func aGridTooLargeToCountIsRefused() throws {
        let out = temporaryFolder("deportsim-grid").appendingPathComponent("out")
        let spec = packageRoot.appendingPathComponent("Fuzz/seeds/grid-overflow.yaml").path
        let r = try runTool(["sweep", Self.small, spec, "--out", out.path])
        #expect(r.status == 2)
        #expect(r.err == "\(spec):7:3: error: parameters: the grid design has over 9.2 x 10^18 points, more than the limit of 10,000,000\n")
        #expect(noFolder(out))
    }

    /// diff wrote difference.csv and run.json, then failed: both are removed, nothing half-written stays.
    @Test func aCommandThatFailsAfterWritingRemovesWhatItWrote() throws {
        let out = temporaryFolder("deportsim-diff-fail")
        // A folder where report.html must go makes the last step fail.
        try FileManager.default.createDirectory(at: out.appendingPathComponent("report.html/keep"), withIntermediateDirectories: true)
        let r = try runTool(["diff", Self.small, "--variant", "c:countries.VNM.court.mean_days=300", "-r", "2", "--report", "--out", out.path])
        #expect(r.status == 3, "\(r.err)")
        #expect(r.err == "\(out.path)/report.html: error: cannot put the finished file in place: a folder of that name is in the way\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(left == ["report.html"], "\(left)")
    }

    @Test func reportOutAnExistingFolderIsRefusedAndLeavesNoTemporaryFile() throws {
        let parent = temporaryFolder("deportsim-report-out")
        let run = parent.appendingPathComponent("run")
        #expect(try runTool(["run", Self.small, "-r", "2", "--out", run.path]).status == 0)
        let r = try runTool(["report", run.path, "--out", run.path])
        #expect(r.status == 3)
        #expect(r.err == "\(run.path): error: cannot write the file: this is a folder; give a file name, such as \(run.path)/report.html\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: parent.path) + FileManager.default.contentsOfDirectory(atPath: run.path)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
    }

    @Test func outThroughAFileIsAnAnalystsMessage() throws {
        let dir = temporaryFolder("deportsim-afile")
        let file = dir.appendingPathComponent("afile")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let out = file.appendingPathComponent("sub").path
        let r = try runTool(["run", Self.small, "-r", "2", "--out", out])
        #expect(r.status == 3)
        #expect(r.err == "\(out): error: cannot create the output folder: '\(file.path)' is a file, not a folder (so it cannot hold sub)\n")
        #expect(!r.err.contains("NSCocoaErrorDomain"))
    }

    @Test func aCorruptRunJSONIsNamedAndSaidToBeNotJSON() throws {
        let run = temporaryFolder("deportsim-corrupt").appendingPathComponent("run")
        #expect(try runTool(["run", Self.small, "-r", "2", "--out", run.path]).status == 0)
        try "{\"scenario_name\": ".write(to: run.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
        let r = try runTool(["report", run.path])
        #expect(r.status == 2)
        #expect(r.err == "\(run.path)/run.json: error: the file is not valid JSON (edited, or cut short?); run the command that wrote this folder again\n")
    }

    @Test func runSetWarnsWhenAnEventOverridesIt() throws {
        let out = temporaryFolder("deportsim-warn").appendingPathComponent("out")
        let r = try runTool(["run", Self.small, "-r", "2", "--set", "countries.VNM.travel_documents.cooperation=0.9", "--out", out.path])
        #expect(r.status == 0)
        #expect(r.err == "warning: the scenario's event of 2024-05-01 sets countries.VNM.travel_documents.cooperation, so the --set value of countries.VNM.travel_documents.cooperation holds only until then\n")
    }

    /// 1,000 countries, 100 years, daily output: hundreds of GB of summaries, refused before a folder exists.
    @Test func aRunTooLargeForTheMachineIsRefusedBeforeStarting() throws {
        let dir = temporaryFolder("deportsim-memory")
        let file = dir.appendingPathComponent("huge.yaml")
        try thousandCountriesOverACentury().write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try runTool(["run", file.path, "--period", "day", "-r", "2", "--out", out.path])
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("\(file.path): error: the run needs about "), "\(r.err)")
        #expect(r.err.contains("summary cells x 220 bytes"), "\(r.err)")
        #expect(noFolder(out))
    }

    @Test func everyErrorOfAFileIsPrintedOnePerLine() throws {
        let dir = temporaryFolder("deportsim-errors")
        let file = dir.appendingPathComponent("three.yaml")
        var text: String = try String(contentsOfFile: Self.small, encoding: .utf8)
        for (old, new) in [("seats: 100", "seats: 0"), ("commercial_removal: 1500", "commercial_removal: x"), ("2024-05-01", "2029-05-01")] {
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try runTool(["check", file.path])
        #expect(r.status == 2)
        let lines: [String] = r.err.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.err)")
        let keys = ["costs.commercial_removal:", "routes.vnm-charter.seats:", "events.0.date:"]
        for (line, key) in zip(lines, keys) { #expect(line.hasPrefix(file.path + ":") && line.contains(" error: " + key), "\(line)") }
    }
}

/// `MappingReader.isDecimalNumeral` replaced a regular expression (for
/// speed); it must accept exactly what the expression accepted.
@Suite("Decimal numerals")
struct DecimalNumeralTests {
    static let pattern = #"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"#

    @Test("accepts what the former regular expression accepted, and nothing else")
    func sameAsTheRegularExpression() {
        let pieces = ["", "+", "-", "0", "7", "12", ".", "5", "e", "E", "x", "1e", "e5", "..", "inf", "nan", "0x1", "٣", " "]
        var cases: [String] = []
        for a in pieces { for b in pieces { for c in pieces.prefix(12) { cases.append(a + b + c) } } }
        cases += ["1.5e-3", "-.5", "+3.", "1e+09", "1.e5", ".e5", "1e5.0", "--1", "1_000", "12\n"]
        var accepted = 0
        for text in cases {
            let byPattern = text.range(of: Self.pattern, options: .regularExpression) != nil
            #expect(MappingReader.isDecimalNumeral(text) == byPattern || (text.hasSuffix("\n") && Double(text) == nil), "\(text)")
            if byPattern { accepted += 1 }
        }
        #expect(accepted > 100)
    }
}
