internal import GSLSupport

/// How a run's 5%, 50% and 95% quantiles are computed (docs/model.md, 12),
/// chosen before the run from the memory the kept values would take.
public enum QuantileMethod: String, Sendable {
    /// Every value kept, then numpy's default definition (linear
    /// interpolation at h = (n - 1) p).
    case exact
    /// GSL's P-square estimate (Jain & Chlamtac 1985), memory flat in the
    /// replication count.
    case pSquare = "p_square"

    /// 1 GiB: the values of 600,000 cells x 200 replications, well inside
    /// the memory of a 2-core laptop or a cluster node's share, and above
    /// the shipped scenarios' needs by a factor of about 1,000.
    public static let defaultMemoryBudgetBytes = 1 << 30

    /// Exact when `cells` x `replications` doubles fit in `budgetBytes`.
    public static func choose(cells: Int, replications: Int, budgetBytes: Int) -> QuantileMethod {
        let (bytes, overflow) = cells.multipliedReportingOverflow(by: replications * 8)
        return !overflow && bytes <= budgetBytes ? .exact : .pSquare
    }

    var gsl: GSLQuantileMethod { self == .exact ? .exact : .pSquare }
}

/// Mean, standard deviation and the 5%, 50% and 95% quantiles of many
/// cells (period x country x metric, or one cell per outcome), fed one
/// replication at a time.
///
/// The statistics are GSLSupport's `GSLRunningStatistics` (Welford's update
/// for the moments; exact quantiles from the kept values, or the P-square
/// estimator). This type keeps them behind the model's own API, so no GSL
/// type appears in DeportSimCore's public interface. Values must be fed in
/// the same order for the same bytes, which the replication runner
/// guarantees.
public final class RunningSummary {
    private let statistics: GSLRunningStatistics
    public let method: QuantileMethod

    /// `replications`: the most values a cell gets (needed for `.exact`).
    public init(cellCount: Int, method: QuantileMethod = .pSquare, replications: Int = 0) {
        self.method = method
        statistics = GSLRunningStatistics(cellCount: cellCount, method: method.gsl, capacity: replications)
    }

    /// Adds one value to a cell.
    public func add(_ value: Double, cell: Int) { statistics.add(value, cell: cell) }
    /// Adds one value to every cell, cells split over `threads`.
    public func add(row: UnsafeBufferPointer<Double>, threads: Int = 1) { statistics.add(row: row, threads: threads) }
    /// Computes the exact quantiles of every cell over `threads` (queries do it otherwise).
    public func finish(threads: Int = 1) { statistics.finish(threads: threads) }

    public func count(cell: Int) -> Int { statistics.count(cell: cell) }
    /// The mean; NaN before the first value.
    public func mean(cell: Int) -> Double { statistics.mean(cell: cell) }
    /// Sample standard deviation (n - 1 denominator); 0 for a single value.
    public func sd(cell: Int) -> Double { statistics.sd(cell: cell) }
    /// The 5%, 50% and 95% quantiles (P-square estimates clamped to the observed range).
    public func quantiles(cell: Int) -> (p05: Double, p50: Double, p95: Double) { statistics.quantiles(cell: cell) }
}
