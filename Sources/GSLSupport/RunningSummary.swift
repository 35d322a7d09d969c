@preconcurrency import CGSL

/// Mean, standard deviation and the 5%, 50% and 95% quantiles of many cells
/// (period x country x metric), fed one replication at a time.
///
/// Memory does not grow with the number of values: each cell holds a GSL
/// `gsl_rstat_workspace` (running mean and M2, Welford's update) and three
/// `gsl_rstat_quantile_workspace`s, GSL's P-square estimator (Jain &
/// Chlamtac 1985): exact for up to 5 values, then an estimate that moves
/// five markers with piecewise-parabolic interpolation. Values must be fed
/// in the same order for the same bytes, which the replication runner
/// guarantees (replication order, whatever the number of workers).
public final class RunningSummary {
    public let cellCount: Int
    private let stats: UnsafeMutablePointer<gsl_rstat_workspace>
    private let quantiles: UnsafeMutablePointer<gsl_rstat_quantile_workspace>
    public static let quantileLevels: [Double] = [0.05, 0.5, 0.95]

    public init(cellCount: Int) {
        GSL.errorHandlerOff
        self.cellCount = cellCount
        stats = .allocate(capacity: Swift.max(cellCount, 1))
        quantiles = .allocate(capacity: Swift.max(cellCount, 1) * 3)
        for c in 0..<cellCount {
            for (j, p) in Self.quantileLevels.enumerated() {
                let q = quantiles + (3 * c + j)
                q.initialize(to: gsl_rstat_quantile_workspace())
                q.pointee.p = p
                gsl_rstat_quantile_reset(q)
            }
            (stats + c).initialize(to: gsl_rstat_workspace())
            // The median workspace of gsl_rstat is our own p50 estimator, so
            // one gsl_rstat_add updates the moments and the median together.
            stats[c].median_workspace_p = quantiles + (3 * c + 1)
            gsl_rstat_reset(stats + c)
        }
    }

    deinit {
        stats.deallocate()
        quantiles.deallocate()
    }

    /// Adds one value to a cell.
    @inline(__always) public func add(_ value: Double, cell: Int) {
        gsl_rstat_add(value, stats + cell)
        gsl_rstat_quantile_add(value, quantiles + (3 * cell))
        gsl_rstat_quantile_add(value, quantiles + (3 * cell + 2))
    }

    public func count(cell: Int) -> Int { gsl_rstat_n(stats + cell) }
    public func mean(cell: Int) -> Double { gsl_rstat_n(stats + cell) == 0 ? .nan : gsl_rstat_mean(stats + cell) }
    /// Sample standard deviation (n - 1 denominator); 0 for a single value.
    public func sd(cell: Int) -> Double {
        let n = gsl_rstat_n(stats + cell)
        return n < 2 ? 0 : gsl_rstat_sd(stats + cell)
    }
    public func min(cell: Int) -> Double { gsl_rstat_min(stats + cell) }
    public func max(cell: Int) -> Double { gsl_rstat_max(stats + cell) }
    /// The 5%, 50% and 95% quantile estimates, clamped to the observed range.
    public func quantiles(cell: Int) -> (p05: Double, p50: Double, p95: Double) {
        let lo = min(cell: cell), hi = max(cell: cell)
        func clamp(_ x: Double) -> Double { Swift.min(Swift.max(x, lo), hi) }
        return (clamp(gsl_rstat_quantile_get(quantiles + 3 * cell)),
                clamp(gsl_rstat_quantile_get(quantiles + 3 * cell + 1)),
                clamp(gsl_rstat_quantile_get(quantiles + 3 * cell + 2)))
    }
}
