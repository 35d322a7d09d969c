import Foundation
import CGSL
import GSLSupport
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO

/// Summary statistics (docs/model.md, 12) and the number format of result
/// files (11.2).
@Suite("Summary statistics")
struct SummaryStatisticsTests {
    struct Fixture: Decodable {
        struct Sample: Decodable { let values: [Double]; let quantiles: [Double]; let mean: Double; let sd: Double }
        let samples: [Sample]
    }

    /// Tests/Fixtures/quantiles/numpy_quantiles.json is numpy's
    /// `np.quantile` (default, linear) of 8 samples from 1 to 1,000 values,
    /// with ties and few distinct values (its generator is beside it).
    @Test func exactQuantilesMatchNumpy() throws {
        let url = packageRoot.appendingPathComponent("Tests/Fixtures/quantiles/numpy_quantiles.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.samples.count == 8)
        for sample in fixture.samples {
            let summary = RunningSummary(cellCount: 1, method: .exact, replications: sample.values.count)
            for x in sample.values { summary.add(x, cell: 0) }
            let q = summary.quantiles(cell: 0)
            // GSL interpolates as (1 - d) a + d b, numpy as a + d (b - a): equal up to rounding.
            for (got, want) in zip([q.p05, q.p50, q.p95], sample.quantiles) {
                #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "n = \(sample.values.count): \(got) vs numpy \(want)")
            }
            #expect(abs(summary.mean(cell: 0) - sample.mean) <= 1e-12 * max(1, abs(sample.mean)))
            #expect(abs(summary.sd(cell: 0) - sample.sd) <= 1e-10 * max(1, sample.sd))
        }
    }

    @Test func exactQuantilesByHand() {
        // 10, 20, 30, 40 (given out of order): h = 3p; p05 at 0.15 -> 11.5, p50 at 1.5 -> 25, p95 at 2.85 -> 38.5.
        let summary = RunningSummary(cellCount: 2, method: .exact, replications: 4)
        for x in [30.0, 10, 40, 20] { summary.add(x, cell: 1) }
        let q = summary.quantiles(cell: 1)
        #expect(abs(q.p05 - 11.5) < 1e-12 && abs(q.p50 - 25) < 1e-12 && abs(q.p95 - 38.5) < 1e-12)
        #expect(summary.quantiles(cell: 0).p50.isNaN && summary.mean(cell: 0).isNaN)
        // A value added after the quantiles were asked for counts.
        summary.add(50, cell: 0)
        #expect(summary.quantiles(cell: 0).p50 == 50)
    }

    /// Mean and sd do not depend on the quantile method (the same Welford
    /// update in the same order), and the P-square path gives the same
    /// estimates whether one replication's cells are added on 1 or 2 threads.
    @Test func methodsShareMomentsAndThreadsDoNotMatter() {
        let cells = 5000, reps = 30
        let exact = RunningSummary(cellCount: cells, method: .exact, replications: reps)
        let one = RunningSummary(cellCount: cells), two = RunningSummary(cellCount: cells)
        let stream = RandomStream(kind: .taus2, seed: 11)
        for _ in 0..<reps {
            let row = (0..<cells).map { (c: Int) -> Double in
                let count = Double(stream.poisson(mean: Double(1 + c % 97)))
                return c % 3 == 0 ? count + 0.25 : count
            }
            row.withUnsafeBufferPointer { exact.add(row: $0); one.add(row: $0, threads: 1); two.add(row: $0, threads: 2) }
        }
        exact.finish(threads: 2)
        for c in stride(from: 0, to: cells, by: 7) {
            #expect(exact.mean(cell: c).bitPattern == one.mean(cell: c).bitPattern)
            #expect(exact.sd(cell: c).bitPattern == one.sd(cell: c).bitPattern)
            let a = one.quantiles(cell: c), b = two.quantiles(cell: c)
            #expect(a.p05 == b.p05 && a.p50 == b.p50 && a.p95 == b.p95)
            #expect(two.count(cell: c) == reps)
        }
    }

    /// The P-square path keeps only each cell's heights and marker
    /// positions and shares the desired positions, which depend on the
    /// count alone. Its estimates must be GSL's own workspaces' bit for bit:
    /// fed a table at a time, a cell at a time, and with cells at different
    /// counts (one cell filled before the next, so the shared positions go
    /// back as well as forward).
    @Test func pSquareMatchesGSLsOwnWorkspaces() {
        // Above 4,096 cells a table is split over the threads asked for.
        let cells = 4_100, reps = 60, lead = 10
        let stream = RandomStream(kind: .taus2, seed: 5)
        let values: [[Double]] = (0..<cells).map { (c: Int) -> [Double] in
            let mean = Double(3 + 40 * (c % 7)), offset = c % 7 == 2 ? 0.5 : 0.0
            return (0..<reps).map { _ in Double(stream.poisson(mean: mean)) + offset }
        }
        func tables(_ summary: GSLRunningStatistics, _ rows: Range<Int>, threads: Int, value: (Int, Int) -> Double) {
            for r in rows {
                let row = (0..<cells).map { value($0, r) }
                row.withUnsafeBufferPointer { summary.add(row: $0, threads: threads) }
            }
        }
        let byRow = GSLRunningStatistics(cellCount: cells), byRowTwoThreads = GSLRunningStatistics(cellCount: cells)
        tables(byRow, 0..<reps, threads: 1) { values[$0][$1] }
        tables(byRowTwoThreads, 0..<reps, threads: 2) { values[$0][$1] }
        let byCell = GSLRunningStatistics(cellCount: cells), cellAfterCell = GSLRunningStatistics(cellCount: cells)
        for r in 0..<reps { for c in 0..<cells { byCell.add(values[c][r], cell: c) } }
        for c in 0..<cells { for x in values[c] { cellAfterCell.add(x, cell: c) } }
        // Cell 3 ten values ahead while tables are added (two threads): the
        // shared positions moved on for it alone.
        let ahead = GSLRunningStatistics(cellCount: cells)
        for x in values[3].prefix(lead) { ahead.add(x, cell: 3) }
        tables(ahead, 0..<(reps - lead), threads: 2) { $0 == 3 ? values[3][$1 + lead] : values[$0][$1] }
        for c in 0..<cells where c != 3 { for x in values[c].suffix(lead) { ahead.add(x, cell: c) } }
        // Cell 0, whose count the shared positions follow, ten values behind
        // the others: every other cell is ahead of them.
        let behind = GSLRunningStatistics(cellCount: cells)
        for c in 1..<cells { for x in values[c].prefix(lead) { behind.add(x, cell: c) } }
        tables(behind, 0..<(reps - lead), threads: 2) { $0 == 0 ? values[0][$1] : values[$0][$1 + lead] }
        for x in values[0].suffix(lead) { behind.add(x, cell: 0) }
        for c in Array(stride(from: 0, to: cells, by: 41)) + [3, 2_050, cells - 1] {
            let gsl = GSLRunningStatistics.quantileLevels.map { p -> Double in
                let w = gsl_rstat_quantile_alloc(p)!
                defer { gsl_rstat_quantile_free(w) }
                for x in values[c] { gsl_rstat_quantile_add(x, w) }
                return min(max(gsl_rstat_quantile_get(w), values[c].min()!), values[c].max()!)
            }
            let fed: [(String, GSLRunningStatistics)] = [("by row", byRow), ("by row, 2 threads", byRowTwoThreads), ("by cell", byCell),
                                                         ("cell after cell", cellAfterCell), ("one cell ahead", ahead), ("cell 0 behind", behind)]
            for (name, summary) in fed {
                let q = summary.quantiles(cell: c)
                let got: [UInt64] = [q.p05.bitPattern, q.p50.bitPattern, q.p95.bitPattern]
                #expect(got == gsl.map { $0.bitPattern }, "\(name), cell \(c)")
                #expect(summary.count(cell: c) == reps)
            }
        }
    }

    @Test func methodFollowsTheMemoryBudget() {
        #expect(QuantileMethod.choose(cells: 1000, replications: 10, budgetBytes: 80_000) == .exact)
        #expect(QuantileMethod.choose(cells: 1000, replications: 10, budgetBytes: 79_999) == .pSquare)
        #expect(QuantileMethod.choose(cells: Int.max / 2, replications: 100, budgetBytes: Int.max) == .pSquare)
        #expect(QuantileMethod.defaultMemoryBudgetBytes == 1 << 30)
    }

    @Test func runChoosesTheMethodBeforeTheRunAndJobsDoNotChangeTheBytes() throws {
        let loaded = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("conf-three.yaml").path)
        var options = RunOptions(replications: 12, jobs: 1, period: .month)
        let layout = CellLayout(periods: PeriodCalendar(kind: .month, start: loaded.scenario.start, end: loaded.scenario.end).periods,
                                countryCodes: loaded.scenario.parameters.countries.map(\.code),
                                reportsEncounterStreams: loaded.scenario.hasEncounterStreams)
        // The budget counts every cell kept, including the encounter-stream
        // cells a one-stream scenario keeps but does not report.
        let cells = layout.cellCount
        let reportedRows = layout.periods.count * (0...layout.allRow).map { layout.metrics(row: $0).count }.reduce(0, +)
        for (budget, method) in [(QuantileMethod.defaultMemoryBudgetBytes, QuantileMethod.exact), (8 * 12 * cells - 1, .pSquare)] {
            options.memoryBudgetBytes = budget
            options.jobs = 1
            let a = runScenario(loaded.scenario, options: options)
            options.jobs = 2
            let b = runScenario(loaded.scenario, options: options)
            #expect(a.quantileMethod == method && b.quantileMethod == method)
            let text = ResultWriter.summaryCSV(a.summary, threads: 1)
            #expect(text == ResultWriter.summaryCSV(b.summary, threads: 2), "summary.csv differs between 1 and 2 jobs (\(method))")
            #expect(text.split(separator: "\n").count == 1 + reportedRows)   // the header, then one row per reported cell
        }
    }

    @Test func runJSONRecordsTheMethod() throws {
        for (flags, method) in [([String](), "exact"), (["--memory-budget", "1KiB"], "p_square")] {
            let out = temporaryFolder()
            let r = try runTool(["run", conformanceFolder.appendingPathComponent("conf-one.yaml").path, "-r", "6", "--out", out.path] + flags)
            #expect(r.status == 0, "\(r.err)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as? [String: Any]
            #expect(json?["quantile_method"] as? String == method)
        }
        let bad = try runTool(["run", conformanceFolder.appendingPathComponent("conf-one.yaml").path, "--memory-budget", "lots"])
        #expect(bad.status == 2 && bad.err.contains("memory-budget"))
    }

    // MARK: number format

    /// The writer's format before it wrote bytes (String arithmetic), kept
    /// here as the oracle: the byte writer must give the same text.
    static func stringFormat(_ x: Double) -> String {
        if x.isNaN { return "NA" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        let scaled = (abs(x) * 10_000).rounded()
        guard scaled < 9e15 else { return String(x) }
        let units = Int(scaled)
        let whole = units / 10_000
        var fraction = units % 10_000
        if fraction == 0 { return (x < 0 && whole != 0 ? "-" : "") + String(whole) }
        var digits = 4
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let f = String(fraction)
        return (x < 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: digits - f.count) + f
    }

    @Test func byteFormatterWritesWhatTheStringFormatterWrote() {
        var sample: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1, -1, 0.5, -0.5, 0.00005, -0.00005, 0.00004999, 0.00015,
                                1.23445, 1.23455, -1.23455, 2.5, 1e15, -1e15, 1e15 - 1, 1e15 + 0.5, 999_999_999_999_999.9,
                                9e11 + 0.12345, 9e11 - 0.00005, 8.99999999e11 + 0.99995, 1e16, -3e20, 1.0e-300, 5e-324,
                                Double.greatestFiniteMagnitude, -Double.leastNormalMagnitude, 0.1, 0.2, 0.3, 1.0 / 3, -2.0 / 3,
                                123_456.789_05, 4_294_967_296.000_05, 0.99995, -0.99995, 9.99995, 1234.0001, 1234.1]
        let stream = RandomStream(kind: .taus2, seed: 3)
        for k in 0..<200_000 {
            let u = stream.uniform()
            switch k % 5 {
            case 0: sample.append((u - 0.5) * pow(10, Double(k % 17)))               // magnitudes 1e-1 to 1e15
            case 1: sample.append(Double(Int(u * 1e6)) / 10_000 + 0.00005)          // exactly at a half, mostly
            case 2: sample.append(Double(stream.poisson(mean: 500)))                 // whole counts
            case 3: sample.append(Double(Int(u * 1e5)) / 8)                          // exact binary fractions
            default: sample.append((u - 0.5) * 1e-3)                                 // below the 4th decimal
            }
        }
        var mismatches: [String] = []
        for x in sample {
            let want = Self.stringFormat(x)
            var bytes: [UInt8] = []
            appendNumber(x, to: &bytes)
            if String(decoding: bytes, as: UTF8.self) != want || formatNumber(x) != want {
                mismatches.append("\(x): \(String(decoding: bytes, as: UTF8.self)) vs \(want)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ: \(mismatches.prefix(5))")
        #expect(formatNumber(-0.0) == "0" && formatNumber(.nan) == "NA" && formatNumber(-0.00004) == "0" && formatNumber(-2.00004) == "-2")
        #expect(formatNumber(1234567.5) == "1234567.5" && formatNumber(0.00005) == "0.0001" && formatNumber(-0.05) == "-0.05")
    }
}
