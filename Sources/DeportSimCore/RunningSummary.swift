internal import GSLSupport

/// Mean, standard deviation, range and the 5%, 50% and 95% quantiles of
/// many cells (period x country x metric, or one cell per outcome), fed one
/// replication at a time, in memory that does not grow with the number of
/// values.
///
/// The statistics are GSL's running ones (Welford's update for the moments,
/// the P-square estimator of Jain & Chlamtac 1985 for the quantiles; see
/// `GSLRunningStatistics`). This type keeps them behind the model's own
/// API, so no GSL type appears in DeportSimCore's public interface. Values
/// must be fed in the same order for the same bytes, which the replication
/// runner guarantees.
public final class RunningSummary {
    private let statistics: GSLRunningStatistics

    public init(cellCount: Int) { statistics = GSLRunningStatistics(cellCount: cellCount) }

    /// Adds one value to a cell.
    public func add(_ value: Double, cell: Int) { statistics.add(value, cell: cell) }

    public func count(cell: Int) -> Int { statistics.count(cell: cell) }
    /// The mean; NaN before the first value.
    public func mean(cell: Int) -> Double { statistics.mean(cell: cell) }
    /// Sample standard deviation (n - 1 denominator); 0 for a single value.
    public func sd(cell: Int) -> Double { statistics.sd(cell: cell) }
    public func min(cell: Int) -> Double { statistics.min(cell: cell) }
    public func max(cell: Int) -> Double { statistics.max(cell: cell) }
    /// The 5%, 50% and 95% quantile estimates, clamped to the observed range.
    public func quantiles(cell: Int) -> (p05: Double, p50: Double, p95: Double) { statistics.quantiles(cell: cell) }
}
