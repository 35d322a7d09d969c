@preconcurrency import CGSL

/// Mean, standard deviation and the 5%, 50% and 95% quantiles of many cells
/// (period x country x metric), fed one replication at a time.
///
/// Memory does not grow with the number of values. The statistics are
/// GSL's: `gsl_rstat_add` (running mean and M2, Welford's update) and
/// `gsl_rstat_quantile_add`, the P-square estimator (Jain & Chlamtac 1985):
/// exact for up to 5 values, then an estimate that moves five markers with
/// piecewise-parabolic interpolation. GSL's workspaces carry constants and
/// moments that are not needed here, so each cell keeps only the changing
/// part (340 bytes instead of 544) and a GSL workspace is filled on the
/// stack for each update. Values must be fed in the same order for the same
/// bytes, which the replication runner guarantees.
///
/// DeportSimCore's `RunningSummary` wraps this, so GSL's workspaces stay
/// inside GSLSupport.
public final class GSLRunningStatistics {
    public let cellCount: Int
    public static let quantileLevels: [Double] = [0.05, 0.5, 0.95]

    /// Per cell: n, mean, M2, min, max.
    private static let statsWidth = 5
    /// Per cell and level: heights q[5] and desired positions np[5].
    private static let quantileWidth = 10
    /// Memory kept per cell, in bytes (340): the moments, and per quantile
    /// level five heights, five desired positions and five marker positions.
    public static var bytesPerCell: Int {
        statsWidth * 8 + quantileLevels.count * (quantileWidth * 8 + 5 * MemoryLayout<Int32>.stride)
    }
    private var stats: [Double]
    private var heights: [Double]
    private var positions: [Int32]
    /// The fresh workspace of each level (p, initial np, npos, dnp), from gsl_rstat_quantile_reset.
    private let fresh: [gsl_rstat_quantile_workspace]

    public init(cellCount: Int) {
        GSL.errorHandlerOff
        self.cellCount = cellCount
        fresh = Self.quantileLevels.map { p in
            var w = gsl_rstat_quantile_workspace()
            w.p = p
            gsl_rstat_quantile_reset(&w)
            return w
        }
        stats = Array(repeating: 0, count: cellCount * Self.statsWidth)
        heights = []
        heights.reserveCapacity(cellCount * 3 * Self.quantileWidth)
        positions = []
        positions.reserveCapacity(cellCount * 15)
        for _ in 0..<cellCount {
            for w in fresh {
                withUnsafeBytes(of: w.q) { heights.append(contentsOf: $0.bindMemory(to: Double.self)) }
                withUnsafeBytes(of: w.np) { heights.append(contentsOf: $0.bindMemory(to: Double.self)) }
                withUnsafeBytes(of: w.npos) { positions.append(contentsOf: $0.bindMemory(to: Int32.self)) }
            }
        }
    }

    /// Adds one value to a cell.
    public func add(_ value: Double, cell: Int) {
        let s = cell * Self.statsWidth
        let n = stats[s]
        var moments = gsl_rstat_workspace()
        moments.n = Int(n)
        moments.mean = stats[s + 1]; moments.M2 = stats[s + 2]; moments.min = stats[s + 3]; moments.max = stats[s + 4]
        for level in 0..<3 {
            var w = fresh[level]
            w.n = Int(n)
            let h = (cell * 3 + level) * Self.quantileWidth
            let k = (cell * 3 + level) * 5
            heights.withUnsafeBufferPointer { hb in
                withUnsafeMutableBytes(of: &w.q) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(hb)[(8 * h)..<(8 * h + 40)])) }
                withUnsafeMutableBytes(of: &w.np) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(hb)[(8 * h + 40)..<(8 * h + 80)])) }
            }
            positions.withUnsafeBufferPointer { pb in
                withUnsafeMutableBytes(of: &w.npos) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(pb)[(4 * k)..<(4 * k + 20)])) }
            }
            if level == 1 {
                // gsl_rstat_add updates the moments and its median workspace together.
                withUnsafeMutablePointer(to: &w) { median in
                    moments.median_workspace_p = median
                    gsl_rstat_add(value, &moments)
                }
            } else {
                gsl_rstat_quantile_add(value, &w)
            }
            heights.withUnsafeMutableBufferPointer { hb in
                let raw = UnsafeMutableRawBufferPointer(hb)
                withUnsafeBytes(of: w.q) { UnsafeMutableRawBufferPointer(rebasing: raw[(8 * h)..<(8 * h + 40)]).copyMemory(from: $0) }
                withUnsafeBytes(of: w.np) { UnsafeMutableRawBufferPointer(rebasing: raw[(8 * h + 40)..<(8 * h + 80)]).copyMemory(from: $0) }
            }
            positions.withUnsafeMutableBufferPointer { pb in
                withUnsafeBytes(of: w.npos) { UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(pb)[(4 * k)..<(4 * k + 20)]).copyMemory(from: $0) }
            }
        }
        stats[s] = n + 1
        stats[s + 1] = moments.mean; stats[s + 2] = moments.M2; stats[s + 3] = moments.min; stats[s + 4] = moments.max
    }

    public func count(cell: Int) -> Int { Int(stats[cell * Self.statsWidth]) }
    public func mean(cell: Int) -> Double { count(cell: cell) == 0 ? .nan : stats[cell * Self.statsWidth + 1] }
    /// Sample standard deviation (n - 1 denominator, as gsl_rstat_sd); 0 for a single value.
    public func sd(cell: Int) -> Double {
        let n = Double(count(cell: cell))
        return n < 2 ? 0 : (stats[cell * Self.statsWidth + 2] / (n - 1)).squareRoot()
    }
    public func min(cell: Int) -> Double { stats[cell * Self.statsWidth + 3] }
    public func max(cell: Int) -> Double { stats[cell * Self.statsWidth + 4] }

    /// The 5%, 50% and 95% quantile estimates (gsl_rstat_quantile_get),
    /// clamped to the observed range.
    public func quantiles(cell: Int) -> (p05: Double, p50: Double, p95: Double) {
        let n = count(cell: cell)
        if n == 0 { return (.nan, .nan, .nan) }
        let lo = min(cell: cell), hi = max(cell: cell)
        var out: [Double] = []
        for level in 0..<3 {
            var w = fresh[level]
            w.n = n
            let h = (cell * 3 + level) * Self.quantileWidth
            withUnsafeMutableBytes(of: &w.q) { dst in
                heights.withUnsafeBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[(8 * h)..<(8 * h + 40)])) }
            }
            out.append(Swift.min(Swift.max(gsl_rstat_quantile_get(&w), lo), hi))
        }
        return (out[0], out[1], out[2])
    }
}
