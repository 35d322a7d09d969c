import Foundation
import GSLSupport

/// Scores of a forecast against the value that came true (Gneiting &
/// Raftery 2007, "Strictly proper scoring rules, prediction, and
/// estimation", JASA 102:359-378).
public enum ForecastScore {
    /// The interval score of a central (1 - alpha) interval [low, high]
    /// (Gneiting & Raftery 2007, eq. 43): its width plus 2/alpha times how
    /// far the value lies outside it. Lower is better; it rewards sharp
    /// intervals that still hold the value, so widening every interval is
    /// not free.
    public static func intervalScore(low: Double, high: Double, observed y: Double, alpha: Double) -> Double {
        (high - low) + (2 / alpha) * max(low - y, 0) + (2 / alpha) * max(y - high, 0)
    }

    /// The continuous ranked probability score of the sample's empirical
    /// distribution at y: mean |X_i - y| - (1 / (2 n^2)) sum_ij |X_i - X_j|
    /// (Gneiting & Raftery 2007, eq. 20, with E|X - X'| over all n^2 pairs,
    /// so it is exactly the CRPS of the empirical distribution). In the
    /// units of the figure; lower is better; the mean absolute error when
    /// the sample is one value.
    public static func crps(sample: [Double], observed y: Double) -> Double {
        let n = Double(sample.count)
        guard n > 0 else { return .nan }
        let sorted = sample.sorted()
        let absError = sorted.reduce(0) { $0 + abs($1 - y) } / n
        // sum_ij |x_i - x_j| = 2 sum_i (2i - n + 1) x_(i), i from 0, over the sorted sample.
        var pairs = 0.0
        for (i, x) in sorted.enumerated() { pairs += (2 * Double(i) - n + 1) * x }
        return absError - pairs / (n * n)
    }

    /// Whether y lies inside [low, high], ends included.
    public static func inside(low: Double, high: Double, observed y: Double) -> Bool { low <= y && y <= high }

    /// The share (0 to 1) of true values in their intervals; NaN for none.
    public static func coverage(_ inside: [Bool]) -> Double {
        inside.isEmpty ? .nan : Double(inside.filter { $0 }.count) / Double(inside.count)
    }
}

/// Exact quantiles of a forecast sample (GSL, type 7 interpolation).
public struct ForecastQuantiles: Sendable, Equatable {
    public let mean, p05, p25, p75, p95: Double

    public init(sample: [Double]) {
        let sorted = sample.sorted()
        mean = SampleStatistics.mean(sample)
        p05 = SampleStatistics.quantile(sorted: sorted, 0.05)
        p25 = SampleStatistics.quantile(sorted: sorted, 0.25)
        p75 = SampleStatistics.quantile(sorted: sorted, 0.75)
        p95 = SampleStatistics.quantile(sorted: sorted, 0.95)
    }
}
