import Foundation
import GSLSupport
import Testing
@testable import deportsim
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// The built `deportsim`, run as an analyst would.
@Suite("End to end", .serialized)
struct EndToEndTests {
    static var shippedScenarios: [String] {
        let dir = packageRoot.appendingPathComponent("Scenarios").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func thereAreShippedScenarios() {
        #expect(Self.shippedScenarios.contains("china-2024.yaml"))
    }

    @Test(arguments: shippedScenarios)
    func runsEveryShippedScenario(file: String) throws {
        let out = temporaryFolder()
        let r = try runTool(["run", "Scenarios/\(file)", "-r", "8", "--out", out.path, "--write-replications", "--write-flights"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("90% interval"))
        // The printed intervals say what they include, as run.json does (docs/model.md 10.1).
        let includes = r.out.split(separator: "\n").first { $0.hasPrefix("90% intervals include: ") }
        #expect(includes.map { $0.contains("simulation noise") } == true, "\(r.out)")
        // A mean printed outside its own interval is marked and explained.
        let marked = r.out.split(separator: "\n").filter { $0.hasSuffix(" *") }
        #expect(marked.isEmpty == !r.out.contains("* mean outside its 90% interval"), "\(r.out)")
        let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.hasPrefix("period_start,period_end,country,metric,mean,sd,p05,p50,p95\n"))
        #expect(summary.contains(",ALL,encounters_total,"))
        let loaded = try ScenarioLoader.load(file: packageRoot.appendingPathComponent("Scenarios/\(file)").path)
        let periods = PeriodCalendar(kind: loaded.scenario.outputPeriod, start: loaded.scenario.start, end: loaded.scenario.end).periods.count
        let countries = loaded.scenario.parameters.countries.count
        let replications = try String(contentsOf: out.appendingPathComponent("replications.csv"), encoding: .utf8)
        #expect(replications.split(separator: "\n").count == 1 + 8 * periods * (countries + 1))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as? [String: Any]
        #expect(json?["gsl_version"] as? String == GSL.version)
        #expect((json?["scenario_sha256"] as? String)?.count == 64)
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func sameSeedSameBytesWhateverTheJobs() throws {
        let a = temporaryFolder(), b = temporaryFolder()
        let args = ["run", conformanceFolder.appendingPathComponent("conf-three.yaml").path, "-r", "24",
                    "--write-replications", "--write-flights", "--period", "week"]
        #expect(try runTool(args + ["--out", a.path, "--jobs", "1"]).status == 0)
        #expect(try runTool(args + ["--out", b.path, "--jobs", "2"]).status == 0)
        for f in ["summary.csv", "replications.csv", "flights.csv"] {
            let x = try Data(contentsOf: a.appendingPathComponent(f)), y = try Data(contentsOf: b.appendingPathComponent(f))
            #expect(x == y, "\(f) differs between --jobs 1 and --jobs 2")
            #expect(x.count > 100)
        }
        // Another seed gives other numbers.
        let c = temporaryFolder()
        #expect(try runTool(args + ["--out", c.path, "--seed", "7"]).status == 0)
        #expect(try Data(contentsOf: a.appendingPathComponent("summary.csv")) != Data(contentsOf: c.appendingPathComponent("summary.csv")))
    }

    @Test func badInputExitsWithStatus2AndWritesNothing() throws {
        let dir = temporaryFolder()
        let bad = dir.appendingPathComponent("bad.yaml")
        try ValidationTests.base.replacingOccurrences(of: "order_rate: 0.5", with: "order_rate: 2").write(to: bad, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("never")
        let r = try runTool(["run", bad.path, "--out", out.path])
        #expect(r.status == 2)
        #expect(r.err.contains("bad.yaml:8:"))
        #expect(r.err.contains("countries.AAA.court.order_rate"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let flag = try runTool(["run", bad.path, "--replications", "0", "--out", out.path])
        #expect(flag.status == 2 && flag.err.contains("--replications"))
        let missing = try runTool(["check", dir.appendingPathComponent("nope.yaml").path])
        #expect(missing.status == 2 && missing.err.contains("no such file"))
        let set = try runTool(["check", bad.path.replacingOccurrences(of: "bad.yaml", with: "bad.yaml"), "--set", "countries.AAA.court.order_rate=0.5", "--set", "capacity.beds=5"])
        #expect(set.status == 2 && set.err.contains("--set capacity.beds=5") && set.err.contains("did you mean 'detention_beds'?"))
    }

    @Test func checkPrintsAResolvedScenarioThatLoadsTheSame() throws {
        let file = conformanceFolder.appendingPathComponent("conf-three.yaml").path
        let r = try runTool(["check", file, "--set", "routes.shuttle.seats=70"])
        #expect(r.status == 0, "\(r.err)")
        let dir = temporaryFolder()
        let again = dir.appendingPathComponent("conf-three.yaml")
        try r.out.write(to: again, atomically: true, encoding: .utf8)
        let a = try ScenarioLoader.load(file: file, overrides: ["routes.shuttle.seats=70"])
        let b = try ScenarioLoader.load(file: again.path)
        #expect(a.scenario.parameters == b.scenario.parameters)
        #expect(a.resolvedSHA256 == b.resolvedSHA256)
    }

    @Test func helpExplainsEveryCommand() throws {
        let top = try runTool(["--help"])
        let commands = ["run", "check", "compare", "calibrate", "backtest", "diff", "report", "sweep", "merge", "sensitivity", "serve"]
        #expect(DeportSim.configuration.subcommands.compactMap { $0.configuration.commandName } == commands)
        for command in commands {
            #expect(top.out.contains(command))
            let help = try runTool([command, "--help"])
            #expect(help.status == 0 && help.out.contains("USAGE: deportsim \(command)"), "\(command): \(help.err)")
        }
        let run = try runTool(["run", "--help"])
        #expect(run.out.contains("--replications") && run.out.contains("--period") && run.out.contains("fiscal_year"))
        #expect(run.out.contains("Results/<scenario name>"))
    }

    @Test func compareExitsWith1WhenATargetFails() throws {
        let dir = temporaryFolder()
        let base = conformanceFolder.appendingPathComponent("conf-one.yaml").path
        let pass = dir.appendingPathComponent("pass.yaml"), fail = dir.appendingPathComponent("fail.yaml")
        try "extends: \(base)\ntargets:\n  - { metric: encounters_total, country: ALL, period: 2024-02, value: 66000, tolerance: 0.2, source: test }\n"
            .write(to: pass, atomically: true, encoding: .utf8)
        try "extends: \(base)\ntargets:\n  - { metric: encounters_total, country: ALL, period: 2024-02, value: 6600, source: test }\n"
            .write(to: fail, atomically: true, encoding: .utf8)
        let ok = try runTool(["compare", pass.path, "-r", "20", "--out", dir.appendingPathComponent("a").path])
        #expect(ok.status == 0, "\(ok.out)\(ok.err)")
        let csv = try String(contentsOf: dir.appendingPathComponent("a/comparison.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("metric,country,period,reported,mean,p05,p95,relative_error,within_interval,source"))
        let bad = try runTool(["compare", fail.path, "-r", "20", "--out", dir.appendingPathComponent("b").path])
        #expect(bad.status == 1)
        #expect(bad.out.contains("FAIL"))
    }
}

/// The README's "Using the library from Swift" example, as written there.
@Suite("README examples")
struct ReadmeExampleTests {
    @Test func libraryExampleRuns() throws {
        let file = packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path
        let loaded = try ScenarioLoader.load(file: file, overrides: ["routes.china-charter.seats=150"])
        let result = runScenario(loaded.scenario, options: RunOptions(replications: 20, jobs: 2, period: .month))
        var removals = 0.0
        for p in result.summary.layout.periods.indices {
            if let row = result.summary.row(periodIndex: p, country: "CHN", metric: .removals) {
                removals += row.mean
                #expect(row.p05 <= row.p95)
            }
        }
        #expect(removals > 0)
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("result.summary.row(periodIndex: p, country: \"CHN\", metric: .removals)"))
    }
}

@Suite("Shipped sweep example")
struct ShippedSweepTests {
    /// The README's sweep example stays runnable (a few points, few replications).
    @Test func shippedSweepSpecRuns() throws {
        let out = temporaryFolder()
        let r = try runTool(["sweep", "Scenarios/sweeps/china-2024-charter-interval.yaml", "Scenarios/sweeps/china-charter.sweep.yaml",
                             "--points", "4", "-r", "2", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        let points = try String(contentsOf: out.appendingPathComponent("points.csv"), encoding: .utf8)
        #expect(points.hasPrefix("point,routes.china-charter.schedule.every_days,"))
        #expect(points.split(separator: "\n").count == 5)
        let outcomes = try String(contentsOf: out.appendingPathComponent("outcomes.csv"), encoding: .utf8)
        #expect(outcomes.split(separator: "\n").count == 1 + 4 * 2)
    }

    /// Every swept path of the shipped sweeps has an effect: none is drawn
    /// by the scenario's `uncertain:` or overridden by one of its events,
    /// which `sweep` would warn of.
    @Test(arguments: ["china-charter", "china-sensitivity"])
    func shippedSweepsSweepOnlyPathsThatTakeEffect(spec: String) throws {
        let out = temporaryFolder()
        let r = try runTool(["sweep", "Scenarios/sweeps/china-2024-charter-interval.yaml", "Scenarios/sweeps/\(spec).sweep.yaml",
                             "--points", "2", "-r", "2", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(!r.err.contains("warning"), "\(r.err)")
    }

    /// Varying a path that an event sets warns that the event overrides it.
    @Test func sweepingAnEventPathWarns() throws {
        let out = temporaryFolder()
        let r = try runTool(["sweep", "Scenarios/china-2024.yaml", "--vary", "countries.CHN.travel_documents.cooperation=0.5,1",
                             "-r", "1", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("warning: the scenario's event of 2024-05-10 sets countries.CHN.travel_documents.cooperation"))
    }
}

@Suite("Restriction activity by day")
struct RestrictionShareTests {
    /// run writes restriction.csv (share of replications with the rule on,
    /// day by day) and the report shades those days, whatever the period.
    @Test func runWritesDailySharesAndTheReportShadesThem() throws {
        let out = temporaryFolder()
        let r = try runTool(["run", conformanceFolder.appendingPathComponent("conf-one.yaml").path, "-r", "30",
                             "--period", "month", "--out", out.path, "--report"])
        #expect(r.status == 0, "\(r.err)")
        let rows = try String(contentsOf: out.appendingPathComponent("restriction.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "date,share_active")
        #expect(rows.count == 1 + 304)
        // conf-one's rule is effective from 2024-03-01 and not evaluated before.
        #expect(rows[1...29].allSatisfy { $0.hasSuffix(",0") })
        #expect(rows.contains { $0.hasSuffix(",1") })
        let shares = rows.dropFirst().map { Double($0.split(separator: ",")[1])! }
        #expect(shares.allSatisfy { $0 >= 0 && $0 <= 1 })
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Restriction rule active 2024-03-0"))
        #expect(html.contains("restriction.csv"))
    }
}

@Suite("Result folders and command errors", .serialized)
struct ResultFolderTests {
    static let conf = conformanceFolder.appendingPathComponent("conf-one.yaml").path

    /// A result that cannot be written is not bad input: status 3, and the message names the path.
    @Test func aFailedWriteExitsWith3NotAsBadInput() throws {
        let dir = temporaryFolder()
        let file = dir.appendingPathComponent("a-file")
        try "not a folder".write(to: file, atomically: true, encoding: .utf8)
        let out = file.appendingPathComponent("results").path
        let r = try runTool(["run", Self.conf, "-r", "2", "--out", out])
        #expect(r.status == 3, "\(r.err)")
        #expect(r.err.hasPrefix("\(out): error: cannot create the output folder"), "\(r.err)")
        let good = try runTool(["run", Self.conf, "-r", "2", "--rng", "bogus"])
        #expect(good.status == 2 && good.err.contains("bogus"), "\(good.err)")
    }

    @Test func aLaterCommandRemovesAnEarlierOnesFiles() throws {
        let dir = temporaryFolder()
        let file = dir.appendingPathComponent("t.yaml")
        try "extends: \(Self.conf)\ntargets:\n  - { metric: encounters_total, country: ALL, period: 2024-02, value: 66000, tolerance: 0.2, source: test }\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out").path
        #expect(try runTool(["compare", file.path, "-r", "5", "--out", out]).status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/comparison.csv"))
        let r = try runTool(["run", file.path, "-r", "5", "--out", out, "--report"])
        #expect(r.status == 0)
        #expect(!FileManager.default.fileExists(atPath: out + "/comparison.csv"))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(!html.contains("targets pass"))
    }

    @Test(arguments: [
        (["--fit", "countries.VNM.court.mean_days=100..200", "--fit", "countries.VNM.court.mean_days=100..300"], "fitted twice"),
        (["--fit", "seed=1..5"], "'seed' is not one"),
        (["--fit", "countries.VNM.court.mean_days=300..100"], "LOW < HIGH"),
        (["--fit", "countries.VNM.court.mean_dayz=100..300"], "no value at this path"),
    ])
    func badFitsExitWith2AndWriteNothing(arguments: [String], message: String) throws {
        let dir = temporaryFolder()
        let file = dir.appendingPathComponent("t.yaml")
        try "extends: \(Self.conf)\ntargets:\n  - { metric: encounters, country: VNM, period: 2024-03, value: 600, source: test }\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("cal").path
        let r = try runTool(["calibrate", file.path, "-r", "2", "--out", out] + arguments)
        #expect(r.status == 2)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(r.err.contains("--fit "))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func countryCodesCannotBreakTheCSV() throws {
        let bad = ValidationTests.base.replacingOccurrences(of: "  AAA:", with: "  \"A,B\":").replacingOccurrences(of: "[AAA]", with: "[\"A,B\"]")
        #expect(throws: DeportSimError.self) { try scenario(bad) }
    }

    @Test func aReportedZeroHasNoRelativeError() throws {
        let t = Target(metrics: [.releasedAtLimit], country: "ALL", period: NamedPeriod("2024")!, value: 0, source: "", tolerance: 0.1,
                       weight: 1, location: SourceLocation(file: "x", line: 1, column: 1))
        let row = ComparisonRow(target: t, mean: 3, p05: 1, p95: 5)
        #expect(row.relativeError.isNaN && !row.passes)
        #expect(Comparison.csv([row]).contains(",NA,false,"))
        #expect(ComparisonRow(target: t, mean: 0, p05: 0, p95: 0).passes)
    }
}

@Suite("Interrupted runs")
struct InterruptTests {
    /// Ctrl-C mid-run: exit 130, no temporary files, and no folder the run created.
    @Test func anInterruptedRunLeavesNothingBehind() throws {
        let out = temporaryFolder().appendingPathComponent("never")
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("deportsim")
        let p = Process()
        p.executableURL = FileManager.default.fileExists(atPath: exe.path) ? exe : packageRoot.appendingPathComponent(".build/debug/deportsim")
        p.arguments = ["run", "Scenarios/china-2024.yaml", "-r", "1000000", "--write-replications", "--out", out.path]
        p.currentDirectoryURL = packageRoot
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until the run has created its folder (it has started), then interrupt it.
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: out.path) && Date() < deadline { usleep(20_000) }
        usleep(300_000)
        p.interrupt()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 130, "status \(p.terminationStatus)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
