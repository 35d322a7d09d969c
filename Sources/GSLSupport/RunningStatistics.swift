@preconcurrency import CGSL
import Dispatch

/// How the 5%, 50% and 95% quantiles of a cell are computed.
public enum GSLQuantileMethod: String, Sendable {
    /// Every value is kept; after sorting (`gsl_sort`), the quantile of
    /// level p is `gsl_stats_quantile_from_sorted_data`: linear
    /// interpolation at h = (n - 1) p, numpy's default definition
    /// (Hyndman & Fan 1996, definition 7).
    case exact
    /// GSL's P-square estimator (`gsl_rstat_quantile_add`; Jain & Chlamtac
    /// 1985): five markers per quantile, memory flat in the value count.
    case pSquare = "p_square"
}

/// Mean, standard deviation and the 5%, 50% and 95% quantiles of many cells
/// (period x country x metric), fed one replication at a time.
///
/// Mean and M2 follow Welford's update exactly as `gsl_rstat_add` does it
/// (same operations in the same order, so the same bytes), in insertion
/// order whatever the method. With `.exact`, each cell keeps up to
/// `capacity` values (cell-major, so a cell's values are contiguous when
/// summarised); with `.pSquare`, each cell keeps only what is its own in
/// GSL's three P-square workspaces, the marker heights and positions (180
/// bytes), and its moments (40 bytes), and a GSL workspace is filled on the
/// stack for each update. The desired positions n'_i are not a cell's own:
/// `gsl_rstat_quantile_add` adds dn'_i to them at every value from the
/// sixth on, so they depend only on the count, and one copy serves every
/// cell with that count (all of them, when a replication's table is added
/// at once). Fed so, a value costs the same whatever the count; a cell
/// ahead of the shared positions (fed more values than the others) costs
/// the gap's additions, one behind them its whole count's, so feed cells in
/// step, as every caller here does. Values must not be NaN: GSL's P-square
/// refuses them (the model's values are finite counts and costs).
///
/// Storage is raw memory owned by this object: the per-value path has no
/// exclusivity checks, reference counting or allocation. Values must be
/// fed in the same order for the same bytes, which the replication runner
/// guarantees. Not thread-safe, except `add(row:threads:)` and
/// `finish(threads:)`, which split the cells over threads themselves.
public final class GSLRunningStatistics {
    public let cellCount: Int
    public let method: GSLQuantileMethod
    /// Values kept per cell (`.exact`); 0 for `.pSquare`.
    public let capacity: Int
    public static let quantileLevels: [Double] = [0.05, 0.5, 0.95]

    /// Per cell: n, mean, M2, min, max (the running moments, both methods).
    private static let statsWidth = 5
    /// Per cell and level (P-square): the heights q[5].
    private static let quantileWidth = 5
    /// Memory kept per cell by the P-square method, in bytes (220): the
    /// moments, and per quantile level five heights and five marker
    /// positions (the exact method keeps 8 bytes a value).
    public static var bytesPerCell: Int { 5 * 8 + 3 * (5 * 8 + 5 * MemoryLayout<Int32>.stride) }
    private let stats: UnsafeMutablePointer<Double>
    /// `.exact`: capacity values per cell. `.pSquare`: 3 x 5 heights per cell.
    private let store: UnsafeMutablePointer<Double>
    /// `.pSquare`: the markers' positions, 3 x 5 per cell.
    private let positions: UnsafeMutablePointer<Int32>
    /// `.exact`: p05, p50, p95 per cell, valid while `finished` (no value added since).
    private let exactQuantiles: UnsafeMutablePointer<Double>
    private var finished = false
    /// The fresh workspace of each level (p, initial np, npos, dnp), from gsl_rstat_quantile_reset.
    private let fresh: UnsafeMutablePointer<gsl_rstat_quantile_workspace>
    /// `.pSquare`: the desired positions np[5] of each level for a cell
    /// holding `desiredCount` values, as GSL's own additions make them.
    private let desired: UnsafeMutablePointer<Double>
    private var desiredCount = 0

    public init(cellCount: Int, method: GSLQuantileMethod = .pSquare, capacity: Int = 0) {
        precondition(method == .pSquare || capacity > 0, "exact quantiles need the number of values per cell")
        GSL.errorHandlerOff
        self.cellCount = cellCount
        self.method = method
        self.capacity = method == .exact ? capacity : 0
        let fresh = UnsafeMutablePointer<gsl_rstat_quantile_workspace>.allocate(capacity: 3)
        let desired = UnsafeMutablePointer<Double>.allocate(capacity: 15)
        for (i, p) in Self.quantileLevels.enumerated() {
            var w = gsl_rstat_quantile_workspace()
            w.p = p
            gsl_rstat_quantile_reset(&w)
            (fresh + i).initialize(to: w)
            withUnsafeBytes(of: w.np) { (desired + 5 * i).initialize(from: $0.bindMemory(to: Double.self).baseAddress!, count: 5) }
        }
        self.fresh = fresh
        self.desired = desired
        stats = .allocate(capacity: cellCount * Self.statsWidth)
        stats.initialize(repeating: 0, count: cellCount * Self.statsWidth)
        switch method {
        case .exact:
            store = .allocate(capacity: cellCount * capacity)
            positions = .allocate(capacity: 0)
            exactQuantiles = .allocate(capacity: cellCount * 3)
        case .pSquare:
            store = .allocate(capacity: cellCount * 3 * Self.quantileWidth)
            positions = .allocate(capacity: cellCount * 15)
            exactQuantiles = .allocate(capacity: 0)
            for cell in 0..<cellCount {
                for level in 0..<3 {
                    let slot = cell * 3 + level
                    withUnsafeBytes(of: fresh[level].q) { (store + slot * 5).initialize(from: $0.bindMemory(to: Double.self).baseAddress!, count: 5) }
                    withUnsafeBytes(of: fresh[level].npos) { (positions + slot * 5).initialize(from: $0.bindMemory(to: Int32.self).baseAddress!, count: 5) }
                }
            }
        }
    }

    deinit {
        stats.deallocate(); store.deallocate(); positions.deallocate(); exactQuantiles.deallocate(); fresh.deallocate()
        desired.deallocate()
    }

    /// Adds one value to a cell.
    public func add(_ value: Double, cell: Int) {
        precondition(cell >= 0 && cell < cellCount)
        if method == .exact { precondition(Int(stats[cell * Self.statsWidth]) < capacity, "more values than the capacity") }
        finished = false
        if method == .pSquare { moveDesired(toCount: count(cell: cell)) }
        addUnchecked(value, cell: cell)
    }

    /// Adds one value to every cell (one replication's table), cells split
    /// over `threads` threads when there are many (each cell still gets its
    /// values in order, so the result does not depend on `threads`).
    public func add(row: UnsafeBufferPointer<Double>, threads: Int = 1) {
        precondition(row.count == cellCount)
        if method == .exact, cellCount > 0 { precondition(Int(stats[0]) < capacity, "more values than the capacity") }
        finished = false
        // Every cell has had the same values so far unless cells were also
        // fed one at a time; addUnchecked works out its own for a cell that differs.
        if method == .pSquare, cellCount > 0 { moveDesired(toCount: count(cell: 0)) }
        let values = row.baseAddress!
        forEachChunk(threads: method == .exact ? 1 : threads) { range in
            for cell in range { self.addUnchecked(values[cell], cell: cell) }
        }
    }

    /// Sorts each cell's values and computes its exact quantiles (for
    /// `.exact`), cells split over `threads`. Queries call it when needed;
    /// call it first to spread the work.
    public func finish(threads: Int = 1) {
        guard method == .exact, !finished else { return }
        forEachChunk(threads: threads) { range in
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, self.capacity))
            defer { scratch.deallocate() }
            for cell in range { self.computeExactQuantiles(cell: cell, scratch: scratch) }
        }
        finished = true
    }

    public func count(cell: Int) -> Int { Int(stats[cell * Self.statsWidth]) }
    public func mean(cell: Int) -> Double { count(cell: cell) == 0 ? .nan : stats[cell * Self.statsWidth + 1] }
    /// Sample standard deviation (n - 1 denominator, as gsl_rstat_sd); 0 for a single value.
    public func sd(cell: Int) -> Double {
        let n = Double(count(cell: cell))
        return n < 2 ? 0 : (stats[cell * Self.statsWidth + 2] / (n - 1)).squareRoot()
    }

    /// The 5%, 50% and 95% quantiles: exact, or the P-square estimates
    /// (gsl_rstat_quantile_get) clamped to the observed range.
    public func quantiles(cell: Int) -> (p05: Double, p50: Double, p95: Double) {
        let n = count(cell: cell)
        if n == 0 { return (.nan, .nan, .nan) }
        if method == .exact {
            finish()
            let q = exactQuantiles + 3 * cell
            return (q[0], q[1], q[2])
        }
        let s = stats + cell * Self.statsWidth
        let lo = s[3], hi = s[4]
        @inline(__always) func level(_ level: Int) -> Double {
            var w = fresh[level]
            w.n = n
            withUnsafeMutableBytes(of: &w.q) { $0.baseAddress!.copyMemory(from: store + (cell * 3 + level) * Self.quantileWidth, byteCount: 40) }
            return Swift.min(Swift.max(gsl_rstat_quantile_get(&w), lo), hi)
        }
        return (level(0), level(1), level(2))
    }

    // MARK: the per-value path

    @inline(__always) private func addUnchecked(_ x: Double, cell: Int) {
        let s = stats + cell * Self.statsWidth
        let n = Int(s[0])
        if method == .exact {
            store[cell * capacity + n] = x
        } else {
            for level in 0..<3 { pSquareAdd(x, n: n, slot: cell * 3 + level, level: level) }
        }
        // gsl_rstat_add's update of min, max, mean and M2, operation for operation.
        if n == 0 { s[3] = x; s[4] = x } else {
            if x < s[3] { s[3] = x }
            if x > s[4] { s[4] = x }
        }
        let delta = x - s[1]
        let count = Double(n + 1)
        let deltaN = delta / count
        s[0] = count
        s[1] += deltaN
        s[2] += delta * deltaN * (count - 1.0)
    }

    @inline(__always) private func pSquareAdd(_ x: Double, n: Int, slot: Int, level: Int) {
        var w = fresh[level]
        w.n = n
        let heights = store + slot * Self.quantileWidth
        let marks = positions + slot * 5
        withUnsafeMutableBytes(of: &w.q) { $0.baseAddress!.copyMemory(from: heights, byteCount: 40) }
        if n >= desiredCount {
            // The shared positions, moved on for a cell ahead of them.
            withUnsafeMutableBytes(of: &w.np) { np in
                np.baseAddress!.copyMemory(from: desired + 5 * level, byteCount: 40)
                Self.advance(np.bindMemory(to: Double.self).baseAddress!, from: desiredCount, to: n, dnp: fresh[level].dnp)
            }
        } else {
            withUnsafeMutableBytes(of: &w.np) { Self.advance($0.bindMemory(to: Double.self).baseAddress!, from: 0, to: n, dnp: fresh[level].dnp) }
        }
        withUnsafeMutableBytes(of: &w.npos) { $0.baseAddress!.copyMemory(from: marks, byteCount: 20) }
        gsl_rstat_quantile_add(x, &w)
        withUnsafeBytes(of: w.q) { UnsafeMutableRawPointer(heights).copyMemory(from: $0.baseAddress!, byteCount: 40) }
        withUnsafeBytes(of: w.npos) { UnsafeMutableRawPointer(marks).copyMemory(from: $0.baseAddress!, byteCount: 20) }
    }

    /// Moves the shared desired positions to those of a cell holding `n`
    /// values: forward by GSL's own additions (one per value added, as the
    /// cells are fed), or from the fresh ones when `n` is smaller.
    private func moveDesired(toCount n: Int) {
        guard n != desiredCount else { return }
        if n < desiredCount {
            for level in 0..<3 {
                withUnsafeBytes(of: fresh[level].np) { (desired + 5 * level).update(from: $0.bindMemory(to: Double.self).baseAddress!, count: 5) }
            }
            desiredCount = 0
        }
        for level in 0..<3 { Self.advance(desired + 5 * level, from: desiredCount, to: n, dnp: fresh[level].dnp) }
        desiredCount = n
    }

    /// np as `gsl_rstat_quantile_add` leaves it after the values from count
    /// `from` to count `to` (`np` holding its value at `from`; from 0, the
    /// fresh np, which `pSquareAdd` has already copied in): dn' added once
    /// for each value added to a workspace holding 5 or more.
    private static func advance(_ np: UnsafeMutablePointer<Double>, from: Int, to n: Int,
                                dnp: (Double, Double, Double, Double, Double)) {
        guard n > Swift.max(from, 5) else { return }
        withUnsafeBytes(of: dnp) { raw in
            let d = raw.bindMemory(to: Double.self)
            for _ in Swift.max(from, 5) ..< n { for i in 0..<5 { np[i] += d[i] } }
        }
    }

    private func computeExactQuantiles(cell: Int, scratch: UnsafeMutablePointer<Double>) {
        let n = count(cell: cell)
        let q = exactQuantiles + 3 * cell
        guard n > 0 else { q.update(repeating: .nan, count: 3); return }
        scratch.update(from: store + cell * capacity, count: n)
        gsl_sort(scratch, 1, n)
        for (i, p) in Self.quantileLevels.enumerated() { q[i] = gsl_stats_quantile_from_sorted_data(scratch, 1, n, p) }
    }

    /// Runs `body` over contiguous ranges of cells on up to `threads`
    /// threads (one range, inline, for small tables).
    private func forEachChunk(threads: Int, _ body: (Range<Int>) -> Void) {
        let chunks = cellCount < 4096 ? 1 : Swift.max(1, threads)
        if chunks == 1 { body(0..<cellCount); return }
        let n = cellCount
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { j in
                box.value(n * j / chunks ..< n * (j + 1) / chunks)
            }
        }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
