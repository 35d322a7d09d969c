@preconcurrency import CGSL

/// Statistics of a whole sample held in memory, and the normal quantile:
/// GSL's `gsl_stats_*` and `gsl_cdf_ugaussian_Pinv`, for the sensitivity
/// estimators and their bootstrap intervals.
public enum SampleStatistics {
    /// The arithmetic mean (`gsl_stats_mean`); 0 for an empty sample.
    public static func mean(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        return x.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
    }

    /// The variance with divisor n (numpy's `np.var`, ddof = 0): GSL's
    /// `gsl_stats_variance_with_fixed_mean` at the sample's own mean.
    /// 0 for an empty sample.
    public static func populationVariance(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        return x.withUnsafeBufferPointer { b in
            let m = gsl_stats_mean(b.baseAddress, 1, b.count)
            return gsl_stats_variance_with_fixed_mean(b.baseAddress, 1, b.count, m)
        }
    }

    /// The standard deviation with divisor n - 1 (`gsl_stats_sd`; numpy's
    /// `std(ddof=1)`); 0 for fewer than two values.
    public static func sampleStandardDeviation(_ x: [Double]) -> Double {
        guard x.count >= 2 else { return 0 }
        return x.withUnsafeBufferPointer { gsl_stats_sd($0.baseAddress, 1, $0.count) }
    }

    /// The standard normal quantile z with P(Z <= z) = p, for 0 < p < 1
    /// (`gsl_cdf_ugaussian_Pinv`; 1.959963984540054 for p = 0.975).
    public static func standardNormalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normal quantile of \(p) outside (0, 1)")
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// The p-quantile of an ascending sample by linear interpolation between
    /// order statistics (`gsl_stats_quantile_from_sorted_data`; Hyndman & Fan
    /// 1996 type 7, numpy's default). 0 for an empty sample.
    public static func quantile(sorted x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return 0 }
        return x.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, p) }
    }

    /// Pearson's correlation of two samples of equal length
    /// (`gsl_stats_correlation`); NaN when either is constant or shorter than 2.
    public static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        guard x.count >= 2, sampleStandardDeviation(x) > 0, sampleStandardDeviation(y) > 0 else { return .nan }
        return x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in
            gsl_stats_correlation(a.baseAddress, 1, b.baseAddress, 1, a.count) } }
    }
}
