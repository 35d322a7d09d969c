import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// Issue 11's rules on every command: one memory estimate checked before
/// work starts (sweep, calibrate, backtest, merge as run, compare, diff),
/// every error of a targets file or sweep spec at once, targets read from
/// the key table, and one override warning for uncertain draws and events
/// (issue 13), each on the exact input.
@Suite("Input rules: the library")
struct InputRuleTests {
    let folder = temporaryFolder("deportsim-input-rules")

    func write(_ name: String, _ text: String) throws -> String { try writeText(text, name, in: folder) }

    static let small = packageRoot.appendingPathComponent("Tests/Fixtures/sweep-small.yaml").path

    // MARK: text

    /// The hand-written trim (no Foundation bridging, it runs on every number
    /// of every sweep point's scenario) removes what Foundation's
    /// `.whitespaces` would, and nothing else.
    @Test func blanksAreTrimmedAsFoundationTrimsWhitespace() {
        let cases = ["", " ", "\t 12 \t", "1e5", " 3 ", "\u{00A0}7\u{2003}", "\u{3000}x y\u{202F}", "\n4\n", " \u{00A0}\t", "a\u{200B}"]
        for text in cases {
            #expect(InputText.trimmingBlanks(text) == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
            #expect(InputText.trimmingBlanks(Substring(text)) == text.trimmingCharacters(in: .whitespaces))
        }
        // Every scalar: a blank to one is a blank to the other.
        let differing = (0..<0x110000).compactMap(Unicode.Scalar.init).filter { u in
            InputText.trimmingBlanks(String(u)).isEmpty != CharacterSet.whitespaces.contains(u)
        }
        #expect(differing.isEmpty, "\(differing.map(\.value))")
    }

    @Test func idsAreLettersDigitsUnderscoresAndHyphensButNotNumbers() {
        for id in ["china-charter", "r_1", "A", "0a", "-"] { #expect(InputText.isIdentifier(id), "\(id)") }
        for id in ["", "12", "-3", "a b", "a.b", "é", "a/b", "+4"] { #expect(!InputText.isIdentifier(id), "\(id)") }
    }

    /// Text the YAML writer leaves plain must read back as the same text:
    /// a lone "-" or "- x" would read as a sequence entry, a trailing line
    /// break would be lost.
    @Test func writtenScalarsReadBackAsTheSameText() throws {
        let texts = ["-", "- x", "-3", "a - b", "x-", "1e5", "CHN", "a/b+c", "null", "No", "abc\n", " a", "a ", "--", "-x"]
        for text in texts {
            let tree = try TreeNode.parse(yaml: "key: " + TreeNode.doubleQuoted(text) + "\n", file: "t.yaml")
            let again = try TreeNode.parse(yaml: tree.yaml(), file: "again.yaml")
            #expect(again["key"]?.scalarText == text, "\(text.debugDescription) written as \(tree.yaml().debugDescription)")
        }
    }

    /// An event's value set with the path it overrides (`--set P=...
    /// --set events.<id>.set.P=...`) was set too: no warning for that event.
    @Test func anEventsValueSetAlongsideIsNotWarnedOf() throws {
        let china = packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path
        let path = "border.other_encounters.border_patrol.volatility"
        let alone = try ScenarioLoader.load(file: china, overrides: ["\(path)=0"])
        #expect(alone.warnings.contains { $0.contains("event of") && $0.contains("sets \(path)") }, "\(alone.warnings)")
        let both = try ScenarioLoader.load(file: china, overrides: ["\(path)=0", "events.volatility-under-rule.set.\(path)=0"])
        #expect(!both.warnings.contains { $0.contains("event of") && $0.contains("sets \(path)") }, "\(both.warnings)")
    }

    // MARK: memory

    /// A sweep keeps each point's scenario and its text lines until written;
    /// half the points (a shard) keep half.
    @Test func theSweepEstimateCountsPointsAndTheirLines() throws {
        let s = try baseScenario(setting: []).scenario
        let e = MemoryEstimate(sweepPoint: s, points: 1_000, replications: 100, outcomes: 4, jobs: 2)
        let perPoint = MemoryEstimate.scenarioBytes(s) + (1 + 100 + 4) * 6 * MemoryEstimate.bytesPerNumberText
        #expect(e.resultBytes == 1_000 * perPoint)
        #expect(e.replicationsHeld == 6 && e.bytesPerReplication == 4 * 8 && e.cells == 0)
        #expect(e.bytes == 1_000 * perPoint + 6 * 32)
        #expect(MemoryEstimate(sweepPoint: s, points: 500, replications: 100, outcomes: 4, jobs: 2).resultBytes == 500 * perPoint)
        // Each event day's snapshot is a copy of the values.
        let withEvent = try scenario(CarelessInputTests.withEvent).scenario
        #expect(MemoryEstimate.scenarioBytes(withEvent) - MemoryLayout<Scenario>.stride == 2 * (MemoryEstimate.scenarioBytes(s) - MemoryLayout<Scenario>.stride))

        try MemoryCheck.require(e, scenarioFile: "spec.yaml", what: "the sweep", advice: MemoryCheck.sweepAdvice, available: e.bytes)
        let error = try #require(throws: DeportSimError.self) {
            try MemoryCheck.require(e, scenarioFile: "spec.yaml", what: "the sweep", advice: MemoryCheck.sweepAdvice, available: 1 << 20)
        }
        #expect(error.location?.file == "spec.yaml")
        #expect(error.message.hasPrefix("the sweep needs about "), "\(error)")
        #expect(error.message.contains("for 1,000 points x 100 replications kept until written), more than the 1 MB this machine has available"), "\(error)")
        #expect(error.message.hasSuffix("; " + MemoryCheck.sweepAdvice))
    }

    /// Counts past Int saturate: an estimate that large is refused, never a trap.
    @Test func estimatesSaturateInsteadOfOverflowing() throws {
        let s = try baseScenario(setting: []).scenario
        #expect(MemoryEstimate(sweepPoint: s, points: Int.max, replications: Int.max, outcomes: 4, jobs: 2).bytes == Int.max)
        let merged = MemoryEstimate(mergedFileBytes: 1_000, points: 10, replications: 5, outcomes: 2)
        #expect(merged.resultBytes == 1_000 + 10 * (1 + 5 + 2) * MemoryLayout<Substring>.stride)
        #expect(MemoryEstimate(mergedFileBytes: 0, points: 10_000_000, replications: 10_000_000, outcomes: 4).bytes > 1 << 50)
    }

    /// A calibration's evaluations and its check run one after the other:
    /// it needs the larger, at the scenario's period with every posterior draw.
    @Test func aCalibrationNeedsTheLargerOfItsParts() throws {
        let s = try baseScenario(days: 366, setting: []).scenario
        let evaluation = MemoryEstimate(scenario: s, options: RunOptions(replications: 20, jobs: 2, period: .total))
        let check = MemoryEstimate(scenario: s, options: RunOptions(replications: 1_000, jobs: 2, period: .day))
        #expect(check.bytes > evaluation.bytes)
        #expect(MemoryEstimate.largest([evaluation, check]) == check)
        #expect(MemoryEstimate.largest([check, evaluation]) == check)
        // Over posterior draws: each draw's scenario and every replication's value of each target are kept too.
        let posterior = MemoryEstimate(posteriorRun: s, options: RunOptions(replications: 1_000, jobs: 2, period: .day), draws: 200, targets: 12)
        #expect(posterior.resultBytes == 200 * MemoryEstimate.scenarioBytes(s) + 12 * 1_000 * 8)
        #expect(posterior.bytes == check.bytes + posterior.resultBytes)
        let e = try #require(throws: DeportSimError.self) {
            try MemoryCheck.require(posterior, scenarioFile: "s.yaml", what: "the calibration", advice: MemoryCheck.calibrationAdvice, available: check.bytes)
        }
        #expect(e.message.contains("for 200 posterior draws' scenarios and 12 targets x 1,000 replications"), "\(e)")
    }

    /// Exact quantiles keep every value while they fit --memory-budget; a
    /// smaller budget (the message's advice) brings the need down.
    @Test func aSmallerMemoryBudgetLowersTheNeed() throws {
        let s = try baseScenario(days: 366, setting: []).scenario
        let exact = MemoryEstimate(scenario: s, options: RunOptions(replications: 1_000, jobs: 1, period: .day))
        let flat = MemoryEstimate(scenario: s, options: RunOptions(replications: 1_000, jobs: 1, period: .day, memoryBudgetBytes: 0))
        #expect(exact.exactQuantileBytes == exact.cells * 1_000 * 8 && flat.exactQuantileBytes == 0)
        let e = try #require(throws: DeportSimError.self) { try MemoryCheck.require(exact, scenarioFile: "s.yaml", available: flat.bytes) }
        #expect(e.message.contains("of values kept for exact quantiles (--memory-budget)") && e.message.contains("a smaller --memory-budget"), "\(e)")
        try MemoryCheck.require(flat, scenarioFile: "s.yaml", available: flat.bytes)
    }

    // MARK: all errors at once

    /// Three mistakes in three targets: three located messages, in file order.
    @Test func aTargetsFileWithThreeMistakesReportsAllThree() throws {
        let file = try write("targets.yaml", """
            targets:
              - { metric: removalz, country: VNM, period: 2024-03, value: 10 }
              - { metric: removals, country: VNM, period: 2024-09, value: 10 }
              - { metric: removals, country: VNM, period: 2024-04, value: 10, tolerence: 0.2 }
            """)
        let s = try ScenarioLoader.load(file: Self.small).scenario
        let e = try #require(throws: DeportSimError.self) { try TargetParser.load(file: file, scenario: s) }
        #expect(e.description == """
            \(file):2:15: error: targets.0.metric: expected a metric name (docs/model.md, section 11), found 'removalz'; did you mean 'removals'?
            \(file):3:47: error: targets.1.period: expected a period inside the run (2024-03-01 to 2024-06-30), found 2024-09-01 to 2024-09-30
            \(file):4:67: error: targets.2.tolerence: unknown key 'tolerence'; did you mean 'tolerance'?
            """)
    }

    /// One target with three mistakes: its values are checked independently.
    @Test func oneTargetWithThreeMistakesReportsAllThree() throws {
        let file = try write("one-target.yaml", "- { metric: removals, country: VNX, period: 2024-13, value: -3 }\n")
        let s = try ScenarioLoader.load(file: Self.small).scenario
        let e = try #require(throws: DeportSimError.self) { try TargetParser.load(file: file, scenario: s) }
        let lines = e.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(e)")
        #expect(lines[0] == "\(file):1:32: error: targets.0.country: expected ALL or a country of this scenario (VNM), found 'VNX'; did you mean 'VNM'?")
        #expect(lines[1].hasPrefix("\(file):1:45: error: targets.0.period: expected a period"), "\(lines[1])")
        #expect(lines[2] == "\(file):1:61: error: targets.0.value: expected the reported value, a number >= 0, found -3")
    }

    /// A scenario's `targets:` section is checked with its events: both reported in one check.
    @Test func aScenariosTargetsAreCheckedWithItsEvents() throws {
        let text = oneCountry(extra: """
            events:
              - { date: 2030-01-01, set: { countries.AAA.court.mean_days: 5 } }
            targets:
              - { metric: removals, country: AAA, period: 2024-01, value: 10, wieght: 2 }
              - { metric: removals, country: AAA, period: 2025-01, value: 10 }
            """)
        let e = try #require(throws: DeportSimError.self) { try scenario(text, file: "s.yaml") }
        #expect(e.description == """
            s.yaml:11:13: error: events.0.date: expected a date inside the run (2024-01-01 to 2024-02-29), found 2030-01-01
            s.yaml:13:67: error: targets.0.wieght: unknown key 'wieght'; did you mean 'weight'?
            s.yaml:14:47: error: targets.1.period: expected a period inside the run (2024-01-01 to 2024-02-29), found 2025-01-01 to 2025-01-31
            """)
    }

    /// Three mistakes in three parts of a sweep spec: three located messages.
    @Test func aSweepSpecWithThreeMistakesReportsAllThree() throws {
        let file = try write("three.sweep.yaml", """
            design: grid
            replications: 0
            parameters:
              countries.VNM.court.mean_days: [100, x]
            outcomes:
              - { name: r, metric: removals, period: 2024 }
            """)
        let loaded = try ScenarioLoader.load(file: Self.small)
        let e = try #require(throws: DeportSimError.self) { try SweepSpecParser.load(file: file, overrides: SweepOverrides(), scenario: loaded) }
        #expect(e.description == """
            \(file):4:40: error: parameters.countries.VNM.court.mean_days: expected a number, found 'x'
            \(file):2:15: error: replications: expected a whole number of replications from 1 to 10,000,000 (the limit), found 0
            \(file):6:42: error: outcomes.0.period: expected a period inside the run (2024-03-01 to 2024-06-30), found 2024-01-01 to 2024-12-31; for the days the run covers, give 2024-03-01..2024-06-30
            """)
    }

    /// An unknown key does not hide the spec's other mistakes; outcomes are each checked.
    @Test func aSweepSpecsUnknownKeyAndBadOutcomesAreAllReported() throws {
        let file = try write("keys.sweep.yaml", """
            desing: grid
            parameters: { countries.VNM.court.mean_days: [100, 200] }
            outcomes:
              - { name: a, metric: removals, country: VNX }
              - { name: b, metric: removalz }
            """)
        let loaded = try ScenarioLoader.load(file: Self.small)
        let e = try #require(throws: DeportSimError.self) { try SweepSpecParser.load(file: file, overrides: SweepOverrides(), scenario: loaded) }
        let lines = e.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(e)")
        #expect(lines[0] == "\(file):1:1: error: desing: unknown key 'desing'; did you mean 'design'?")
        #expect(lines[1].hasPrefix("\(file):4:43: error: outcomes.0.country: expected ALL or a country of this scenario (VNM), found 'VNX'"), "\(lines[1])")
        #expect(lines[2].hasPrefix("\(file):5:24: error: outcomes.1.metric: expected a metric name"), "\(lines[2])")
    }

    /// A target's and a sweep outcome's period outside the run: one rule, one message.
    @Test func periodsOutsideTheRunAreOneRuleForTargetsAndOutcomes() throws {
        let loaded = try ScenarioLoader.load(file: Self.small)
        let t = try write("late.yaml", "- { metric: removals, period: 2024-06-01..2024-07-31, value: 1 }\n")
        let spec = try write("late.sweep.yaml", """
            parameters: { countries.VNM.court.mean_days: [100] }
            outcomes:
              - { name: r, metric: removals, period: 2024-06-01..2024-07-31 }
            """)
        let target = try #require(throws: DeportSimError.self) { try TargetParser.load(file: t, scenario: loaded.scenario) }
        let outcome = try #require(throws: DeportSimError.self) { try SweepSpecParser.load(file: spec, overrides: SweepOverrides(), scenario: loaded) }
        let message = "expected a period inside the run (2024-03-01 to 2024-06-30), found 2024-06-01 to 2024-07-31; for the days the run covers, give 2024-06-01..2024-06-30"
        #expect(target.message == message && target.keyPath == "targets.0.period")
        #expect(outcome.message == message && outcome.keyPath == "outcomes.0.period")
    }

    // MARK: the key table

    /// The target parser's keys and defaults are the table's (ScenarioKeys.target).
    @Test func targetsReadTheKeyTable() throws {
        #expect(ScenarioKeys.target.keys == ["metric", "country", "period", "value", "source", "tolerance", "weight", "role"])
        #expect(TargetParser.defaultTolerance == 0.1)
        let loaded = try scenario(oneCountry(extra: "targets:\n  - { metric: removals, period: 2024-01, value: 10 }"))
        let t = try #require(loaded.targets.first)
        #expect(t.country == "ALL" && t.tolerance == 0.1 && t.weight == 1 && t.role == .fit && t.source == "")
        let e = try #require(throws: DeportSimError.self) {
            try scenario(oneCountry(extra: "targets:\n  - { metric: removals, period: 2024-01, value: 10, role: chek }"), file: "r.yaml")
        }
        #expect(e.description == "r.yaml:11:59: error: targets.0.role: expected one of fit, check, found 'chek'; did you mean 'check'?")
    }

    // MARK: overrides

    static let uncertain = oneCountry(extra: """
        uncertain:
          countries.AAA.court.mean_days: { uniform: [80, 120] }
          countries.AAA.pathways.expedited_removal: { beta: { mean: 0.5, sd: 0.05 } }
        events:
          - { date: 2024-01-20, set: { countries.AAA.court.order_rate: 0.3 }, note: tougher judges }
        """)

    /// The draw wins over --set (docs/model.md 8.7): one warning naming the
    /// uncertain path, and none about events, which never see the --set value.
    @Test func setOnAnUncertainPathWarnsThatTheDrawWins() throws {
        let file = try write("uncertain.yaml", Self.uncertain)
        let loaded = try ScenarioLoader.load(file: file, overrides: ["countries.AAA.court.mean_days=200"])
        #expect(loaded.warnings == ["warning: the scenario's uncertain: draws countries.AAA.court.mean_days in each replication (docs/model.md 8.7), so the --set value of countries.AAA.court.mean_days has no effect on the run; leave countries.AAA.court.mean_days out of uncertain: to set it"])
        // A mapping holding the drawn value: named with the path that set it.
        let court = try ScenarioLoader.load(file: file, overrides: ["countries.AAA.court={mean_days: 200, order_rate: 0.5}"])
        #expect(court.warnings.first == "warning: the scenario's uncertain: draws countries.AAA.court.mean_days in each replication (docs/model.md 8.7), so the --set value of countries.AAA.court.mean_days (set by countries.AAA.court) has no effect on the run; leave countries.AAA.court.mean_days out of uncertain: to set it")
        // Another share of a drawn share's set keeps only its ratio.
        let share = try ScenarioLoader.load(file: file, overrides: ["countries.AAA.pathways={expedited_removal: 0.5, notice_to_appear: 0.3, voluntary_return: 0.2}"])
        #expect(share.warnings == ["warning: the scenario's uncertain: draws countries.AAA.pathways.expedited_removal in each replication (docs/model.md 8.7), so the --set value of countries.AAA.pathways.expedited_removal (set by countries.AAA.pathways) has no effect on the run; leave countries.AAA.pathways.expedited_removal out of uncertain: to set it"])
        let sibling = try ScenarioLoader.load(file: file, overrides: ["countries.AAA.pathways.notice_to_appear=0.3", "countries.AAA.pathways.voluntary_return=0.2"])
        #expect(sibling.warnings.first == "warning: the scenario's uncertain: draws countries.AAA.pathways.expedited_removal in each replication (docs/model.md 8.7), so the other shares of countries.AAA.pathways are scaled to make up the rest: the --set value of countries.AAA.pathways.notice_to_appear keeps only its ratio to the third share")
        // A path neither drawn nor set by an event: no warning.
        #expect(try ScenarioLoader.load(file: file, overrides: ["countries.AAA.travel_documents.mean_days=20"]).warnings.isEmpty)
    }

    /// --variant, a sweep and --fit get the same words from the same function.
    @Test func variantSweepAndFitWarnLikeSet() throws {
        let file = try write("uncertain.yaml", Self.uncertain)
        let baseline = try ScenarioLoader.load(file: file)
        let variant = try Variants.fromSpec("slow:countries.AAA.court.mean_days=300", baseline: baseline)
        #expect(variant.scenario.warnings == ["warning: the scenario's uncertain: draws countries.AAA.court.mean_days in each replication (docs/model.md 8.7), so the --variant slow value of countries.AAA.court.mean_days has no effect on the run; leave countries.AAA.court.mean_days out of uncertain: to set it"])
        for what in ["swept", "fitted"] {
            #expect(baseline.scenario.overrideWarnings(path: "countries.AAA.court.mean_days", what: what)
                    == ["warning: the scenario's uncertain: draws countries.AAA.court.mean_days in each replication (docs/model.md 8.7), so the \(what) value of countries.AAA.court.mean_days has no effect on the run; leave countries.AAA.court.mean_days out of uncertain: to set it"])
        }
        // An event's path: the event wins from its date, unless a sweep carries the value into it.
        let event = "warning: the scenario's event of 2024-01-20 sets countries.AAA.court.order_rate, so the swept value of countries.AAA.court.order_rate holds only until then (the event \"tougher judges\")"
        #expect(baseline.scenario.overrideWarnings(path: "countries.AAA.court.order_rate", what: "swept") == [event])
        #expect(baseline.scenario.overrideWarnings(path: "countries.AAA.court.order_rate", what: "swept", carriedIntoEvents: true).isEmpty)
        // Carried into events or not, the draw still wins.
        #expect(baseline.scenario.overrideWarnings(path: "countries.AAA.court.mean_days", what: "swept", carriedIntoEvents: true).count == 1)
    }

    /// The draw does win: a --set value of an uncertain path changes no replication.
    @Test func theDrawWinsInTheRun() throws {
        let file = try write("uncertain.yaml", Self.uncertain)
        let options = RunOptions(replications: 3, jobs: 1, period: .total)
        func means(_ overrides: [String]) throws -> [Double] {
            let s = try ScenarioLoader.load(file: file, overrides: overrides).scenario
            let result = runScenario(s, options: options)
            return (0..<result.summary.layout.cellCount).map { result.summary.statistics.mean(cell: $0) }
        }
        #expect(try means([]) == means(["countries.AAA.court.mean_days=2000"]))
    }

    // MARK: limits in one place

    @Test func theRunLengthLimitIsInLimits() throws {
        #expect(ScenarioParser.maxRunDays == Limits.runDays && Limits.runDays == 36_525)
        let e = try #require(throws: DeportSimError.self) { try scenario(oneCountry(days: 36_526)) }
        #expect(e.message == "expected a run of at most 100 years (36525 days), found 36526 days")
    }
}

/// The memory check and the exit rules on the built `deportsim`.
@Suite("Input rules: the command line", .serialized)
struct InputRuleCommandLineTests {
    static let small = InputRuleTests.small

    func noFolder(_ path: URL) -> Bool { !FileManager.default.fileExists(atPath: path.path) }

    /// 1,000,000 points x 10,000,000 replications: refused before a point is built or a folder made.
    @Test func aSweepTooLargeForTheMachineIsRefusedBeforeStarting() throws {
        let out = temporaryFolder("deportsim-sweep-memory").appendingPathComponent("out")
        let values = (1...100).map(String.init).joined(separator: ",")
        let r = try runTool(["sweep", Self.small, "--vary", "countries.VNM.court.mean_days=\(values)",
                             "--vary", "countries.VNM.travel_documents.mean_days=\(values)",
                             "--vary", "countries.VNM.encounters.per_day=\(values)", "-r", "10000000", "--out", out.path])
        #expect(r.status == 2, "\(r.err)")
        #expect(r.err.hasPrefix("command line: error: the sweep needs about "), "\(r.err)")
        #expect(r.err.contains("for 1,000,000 points x 10,000,000 replications kept until written"), "\(r.err)")
        #expect(r.err.hasSuffix(MemoryCheck.sweepAdvice + "\n"), "\(r.err)")
        #expect(noFolder(out))
    }

    /// A shard folder whose sweep.json claims 10^7 points of 10^7 replications.
    func shard(points: Int, replications: Int) throws -> URL {
        let dir = temporaryFolder("deportsim-merge-memory").appendingPathComponent("shard-0-of-1")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
        {"points_total": \(points), "replications": \(replications), "outcomes": [{"name": "a"}], "spec_sha256": "x", "resolved_scenario_sha256": "y"}
        """.write(to: dir.appendingPathComponent("sweep.json"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aMergeTooLargeForTheMachineIsRefusedBeforeReading() throws {
        let dir = try shard(points: 10_000_000, replications: 10_000_000)
        let out = dir.deletingLastPathComponent().appendingPathComponent("merged")
        let r = try runTool(["merge", dir.path, "--out", out.path])
        #expect(r.status == 2, "\(r.err)")
        #expect(r.err.hasPrefix("\(dir.path)/sweep.json: error: the merge needs about "), "\(r.err)")
        #expect(r.err.contains("for the rows of 10,000,000 points x 10,000,000 replications, kept until written"), "\(r.err)")
        #expect(noFolder(out))
    }

    /// Counts read from sweep.json size arrays: out of range is a message, not a trap.
    @Test(arguments: [(-1, 1), (0, 1), (1, 0), (20_000_000, 1)])
    func aMergesCountsAreChecked(points: Int, replications: Int) throws {
        let dir = try shard(points: points, replications: replications)
        let r = try runTool(["merge", dir.path, "--out", dir.deletingLastPathComponent().appendingPathComponent("merged").path])
        #expect(r.status == 2, "\(r.err)")
        #expect(r.err == "\(dir.path)/sweep.json: error: expected points_total from 1 to 10,000,000 and replications from 1 to 10,000,000, found \(points) and \(replications)\n")
    }

    /// 1,000 countries, 100 years, daily output: calibrate's check and backtest's forecasts refused before fitting.
    @Test(arguments: [["calibrate", "--max-iterations", "1"], ["backtest", "--origin", "2000-01-01"]])
    func calibrationAndBacktestTooLargeAreRefusedBeforeFitting(command: [String]) throws {
        let dir = temporaryFolder("deportsim-fit-memory")
        let text = thousandCountriesOverACentury(extra: "output: { period: day }\n"
            + "targets:\n  - { metric: encounters, period: 1960, value: 365000 }\n  - { metric: encounters, period: 2040, value: 365000 }\n")
        let file = dir.appendingPathComponent("huge.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try runTool([command[0], file.path, "--fit", "countries.AAA.encounters.per_day=0.5..2", "-r", "2", "--out", out.path] + command.dropFirst())
        #expect(r.status == 2, "\(r.err)")
        #expect(r.err.hasPrefix("\(file.path): error: the \(command[0] == "calibrate" ? "calibration" : "backtest") needs about "), "\(r.err)")
        #expect(r.err.hasSuffix(MemoryCheck.calibrationAdvice + "\n"), "\(r.err)")
        #expect(noFolder(out))
    }

    /// --fit on a path the scenario's uncertain: draws: refused before any
    /// run (every candidate would run with the draws), with the way out.
    @Test func fitOnAnUncertainPathIsRefused() throws {
        let dir = temporaryFolder("deportsim-fit-uncertain")
        let file = dir.appendingPathComponent("u.yaml")
        try (InputRuleTests.uncertain + "\ntargets:\n  - { metric: encounters, country: AAA, period: 2024-01, value: 620 }\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let r = try runTool(["calibrate", file.path, "--fit", "countries.AAA.court.mean_days=50..150", "-r", "1", "--max-iterations", "1",
                             "--out", dir.appendingPathComponent("cal").path])
        #expect(r.status == 2, "\(r.err)")
        #expect(r.err == "--fit countries.AAA.court.mean_days=50..150: error: countries.AAA.court.mean_days: the scenario's uncertain: draws this value in every replication, so fitting it would have no effect; add --set uncertain=null to fit it with the scenario's own values\n", "\(r.err)")
        #expect(noFolder(dir.appendingPathComponent("cal")))
        let fixed = try runTool(["calibrate", file.path, "--set", "uncertain=null", "--fit", "countries.AAA.court.mean_days=50..150", "-r", "1",
                                 "--max-iterations", "1", "--out", dir.appendingPathComponent("cal").path])
        #expect(fixed.status == 0 || fixed.status == 1, "\(fixed.err)")
        #expect(!fixed.err.contains("no effect"), "\(fixed.err)")
    }
}
