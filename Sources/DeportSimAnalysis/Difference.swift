import DeportSimCore
import GSLSupport

/// Paired differences between a baseline and its variants.
///
/// Replication r of every scenario runs with the same seed, the same point
/// index and the same replication index, so each country and route draws
/// from the same daily streams in all of them (common random numbers).
/// The difference of each cell is taken within a replication and then
/// summarised, so its interval reflects only what the variant changed.
public final class DifferenceResult {
    public let layout: CellLayout
    public let totalLayout: CellLayout
    public let variantNames: [String]
    public let metrics: [Metric]
    /// `metrics` as a lookup by raw value: the per-cell loops ask it for every cell.
    private let selected: [Bool]
    /// Per cell of `layout`: baseline values, and per variant the variant's values and the differences.
    public let baseline: RunningSummary
    public let variants: [RunningSummary]
    public let differences: [RunningSummary]
    /// The same over the whole run (flows summed, stocks at the end).
    public let baselineTotal: RunningSummary
    public let variantsTotal: [RunningSummary]
    public let differencesTotal: [RunningSummary]
    /// For each variant, the baseline rows it also has (countries by code, ALL always).
    public let sharedRows: [[Bool]]
    /// Exact when every summary's values fit the run's memory budget together.
    public let quantileMethod: QuantileMethod

    init(layout: CellLayout, totalLayout: CellLayout, variantNames: [String], metrics: [Metric], sharedRows: [[Bool]],
         options: RunOptions) {
        self.layout = layout; self.totalLayout = totalLayout; self.variantNames = variantNames
        self.metrics = metrics; self.sharedRows = sharedRows
        selected = Metric.allCases.map { metrics.contains($0) }
        let method = options.quantileMethod(cells: (layout.cellCount + totalLayout.cellCount) * (1 + 2 * variantNames.count))
        quantileMethod = method
        func summary(_ cells: Int) -> RunningSummary {
            RunningSummary(cellCount: cells, method: method, replications: options.replications)
        }
        baseline = summary(layout.cellCount)
        variants = variantNames.map { _ in summary(layout.cellCount) }
        differences = variantNames.map { _ in summary(layout.cellCount) }
        baselineTotal = summary(totalLayout.cellCount)
        variantsTotal = variantNames.map { _ in summary(totalLayout.cellCount) }
        differencesTotal = variantNames.map { _ in summary(totalLayout.cellCount) }
    }

    /// Runs `options.replications` paired replications. With `independent`,
    /// each variant draws from its own sweep point (a hash of its name, so
    /// not of which other variants run), giving independent runs of the same
    /// size (to measure what common random numbers gain).
    public static func run(baseline: Scenario, variants: [(name: String, scenario: Scenario)], options: RunOptions,
                           metrics: [Metric] = Metric.allCases, independent: Bool = false,
                           progress: ((Int) -> Void)? = nil) -> DifferenceResult {
        let calendar = PeriodCalendar(kind: options.period, start: baseline.start, end: baseline.end)
        let codes = baseline.parameters.countries.map(\.code)
        // The stream metrics are reported when the baseline or a variant has two streams.
        let streams = baseline.hasEncounterStreams || variants.contains { $0.scenario.hasEncounterStreams }
        let layout = CellLayout(periods: calendar.periods, countryCodes: codes, reportsEncounterStreams: streams)
        let totalLayout = layout.wholeRun
        let variantLayouts = variants.map { v in
            CellLayout(periods: calendar.periods, countryCodes: v.scenario.parameters.countries.map(\.code))
        }
        // rowMap[v][baselineRow] = the variant's row for the same country.
        let rowMap: [[Int?]] = variants.indices.map { v in
            (0...layout.allRow).map { r in
                r == layout.allRow ? variantLayouts[v].allRow : variantLayouts[v].countryCodes.firstIndex(of: codes[r])
            }
        }
        let result = DifferenceResult(layout: layout, totalLayout: totalLayout, variantNames: variants.map(\.name),
                                      metrics: metrics, sharedRows: rowMap.map { $0.map { $0 != nil } }, options: options)
        let scenarios = [baseline] + variants.map(\.scenario)
        let layouts = [layout] + variantLayouts
        let generator = options.generator, seed = options.seed, point = options.point
        let independentPoints = variants.map { 1 + Int(StreamSeed.fnv1a64("independent:" + $0.name) % 1_000_000_007) }
        ReplicationRunner.run(
            indices: 0..<options.replications, jobs: options.jobs,
            makeWorker: { scenarios.map { Simulator(scenario: $0, generator: generator) } },
            work: { sims, rep in
                sims.enumerated().map { k, sim -> [Double] in
                    var recorder = PeriodRecorder(layout: layouts[k], calendar: calendar)
                    let p = independent && k > 0 ? independentPoints[k - 1] : point
                    sim.run(replication: rep, point: p, seed: seed, observer: &recorder)
                    return recorder.values
                }
            },
            consume: { _, tables in
                result.add(base: tables[0], variants: Array(tables.dropFirst()), variantLayouts: variantLayouts, rowMap: rowMap)
                progress?(result.baseline.count(cell: 0))
            })
        for s in [result.baseline, result.baselineTotal] + result.variants + result.differences + result.variantsTotal
            + result.differencesTotal { s.finish(threads: options.jobs) }
        return result
    }

    private func add(base: [Double], variants tables: [[Double]], variantLayouts: [CellLayout], rowMap: [[Int?]]) {
        let periods = layout.periods.count
        for p in 0..<periods {
            for r in 0...layout.allRow {
                for m in layout.metrics(row: r) where selected[m.rawValue] {
                    let cell = layout.cell(period: p, row: r, metric: m)
                    baseline.add(base[cell], cell: cell)
                }
            }
        }
        let baseTotals = layout.wholeRunValues(base)
        for t in 0..<totalLayout.cellCount { baselineTotal.add(baseTotals[t], cell: t) }
        for (v, table) in tables.enumerated() {
            for p in 0..<periods {
                for r in 0...layout.allRow {
                    guard let vr = rowMap[v][r] else { continue }
                    for m in layout.metrics(row: r) where selected[m.rawValue] {
                        let cell = layout.cell(period: p, row: r, metric: m)
                        let x = table[variantLayouts[v].cell(period: p, row: vr, metric: m)]
                        variants[v].add(x, cell: cell)
                        differences[v].add(x - base[cell], cell: cell)
                    }
                }
            }
            // The variant's whole-run values moved to the baseline's rows (a row it lacks stays 0 and is not reported).
            let variantTotals = variantLayouts[v].wholeRunValues(table)
            var totals = [Double](repeating: 0, count: totalLayout.cellCount)
            for r in 0...layout.allRow {
                guard let vr = rowMap[v][r] else { continue }
                for m in layout.metrics(row: r) where selected[m.rawValue] {
                    totals[totalLayout.cell(period: 0, row: r, metric: m)] = variantTotals[variantLayouts[v].cell(period: 0, row: vr, metric: m)]
                }
            }
            for t in 0..<totalLayout.cellCount {
                variantsTotal[v].add(totals[t], cell: t)
                differencesTotal[v].add(totals[t] - baseTotals[t], cell: t)
            }
        }
    }

    public struct Row: Sendable {
        public let variant: String
        public let period: Period
        public let country: String
        public let metric: Metric
        public let baselineMean, variantMean, differenceMean, differenceP05, differenceP95: Double
        /// difference_mean / baseline_mean; nil when the baseline mean is 0.
        public var relativeChange: Double? { baselineMean == 0 ? nil : differenceMean / baselineMean }
        public var intervalContainsZero: Bool { differenceP05 <= 0 && differenceP95 >= 0 }
    }

    func rows(layout: CellLayout, base: RunningSummary, vs: [RunningSummary], ds: [RunningSummary]) -> [Row] {
        var out: [Row] = []
        for v in variantNames.indices {
            for p in layout.periods.indices {
                for r in 0...layout.allRow where sharedRows[v][r] {
                    for m in layout.metrics(row: r) where selected[m.rawValue] {
                        let cell = layout.cell(period: p, row: r, metric: m)
                        let q = ds[v].quantiles(cell: cell)
                        out.append(Row(variant: variantNames[v], period: layout.periods[p], country: layout.rowName(r), metric: m,
                                       baselineMean: base.mean(cell: cell), variantMean: vs[v].mean(cell: cell),
                                       differenceMean: ds[v].mean(cell: cell), differenceP05: q.p05, differenceP95: q.p95))
                    }
                }
            }
        }
        return out
    }

    /// Every (variant, period, country, metric) row, variants in order.
    public var periodRows: [Row] { rows(layout: layout, base: baseline, vs: variants, ds: differences) }
    /// The same over the whole run.
    public var totalRows: [Row] { rows(layout: totalLayout, base: baselineTotal, vs: variantsTotal, ds: differencesTotal) }
}
