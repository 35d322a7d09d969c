import GSLSupport

/// Sobol sensitivity indices (Sobol 1993, 2001) of one outcome from the
/// outputs of a `SaltelliDesign`, with SALib's estimators
/// (`SALib.analyze.sobol.analyze`), so the same points and outputs give
/// SALib's numbers.
///
/// With f_A, f_B, f_AB^i, f_BA^i the outputs at a base row's points and V
/// the variance (divisor 2N) of the 2N values f_A, f_B:
/// - first order, Saltelli et al. (2010, Table 2 (b)):
///   S1_i = mean(f_B (f_AB^i - f_A)) / V;
/// - total order, Jansen (1999), as given by Saltelli et al. (2010, Table 2 (f)):
///   ST_i = mean((f_A - f_AB^i)^2) / (2 V);
/// - second order, Saltelli (2002):
///   S2_ij = mean(f_BA^i f_AB^j - f_A f_B) / V - S1_i - S1_j.
///
/// Before estimating, the outputs are standardised, (y - mean) / sd over
/// all points, as SALib does: the S1 and S2 estimators are not invariant to
/// a shift of the output and the centring removes that bias. ST is.
///
/// Confidence: R bootstrap resamples of the base rows (each row carries
/// all its points), the estimator recomputed on each, and the half-width
/// z * sd of the R estimates (`BootstrapResamples.halfWidth`): at the
/// default 95%, S1 +- S1_conf. SALib draws the resamples with numpy; here
/// a GSL stream draws them, so intervals agree with SALib's in distribution,
/// and exactly when given the same resamples.
///
/// When all outputs are equal the indices are 0 (SALib warns and returns 0).
public struct SobolIndices: Sendable, Equatable {
    /// S1_i, in parameter order.
    public var firstOrder: [Double]
    /// Half-width of S1_i's interval.
    public var firstOrderConfidence: [Double]
    /// ST_i, in parameter order.
    public var totalOrder: [Double]
    /// Half-width of ST_i's interval.
    public var totalOrderConfidence: [Double]
    /// S2 for every pair i < j in row order (0,1), (0,2), ..., (1,2), ...;
    /// empty without second-order points.
    public var secondOrder: [SecondOrderIndex]
    /// The two-sided level of the intervals (0.95 for 95%).
    public var confidence: Double

    /// One second-order index S2 of the pair (first, second), first < second.
    public struct SecondOrderIndex: Sendable, Equatable {
        public var first: Int
        public var second: Int
        public var value: Double
        public var confidenceHalfWidth: Double
    }

    /// The indices of `outputs` (one per design point, in design order:
    /// for a sweep, each point's mean over its replications), with
    /// `bootstrapResamples` resamples drawn from a GSL stream seeded by `seed`.
    public static func compute(outputs: [Double], design: SaltelliDesign, bootstrapResamples: Int = 100,
                               confidence: Double = 0.95, seed: UInt64) throws -> SobolIndices {
        try Sensitivity.bootstrap(resamples: bootstrapResamples, confidence: confidence)
        let resamples = BootstrapResamples(rowCount: design.baseSamples, resamples: bootstrapResamples,
                                           seed: seed, key: "sobol-bootstrap")
        return try compute(outputs: outputs, design: design, resamples: resamples, confidence: confidence)
    }

    /// The indices with given bootstrap resamples of the base rows (SALib's
    /// index matrix `r` transposed: `resamples.rows[b]` is its column b).
    public static func compute(outputs: [Double], design: SaltelliDesign, resamples: BootstrapResamples,
                               confidence: Double = 0.95) throws -> SobolIndices {
        try Sensitivity.outputs(outputs, expected: design.count, design: "saltelli design")
        try Sensitivity.bootstrap(resamples: resamples.rows.count, confidence: confidence)
        if let bad = resamples.rows.first(where: { $0.count != design.baseSamples || $0.contains { $0 < 0 || $0 >= design.baseSamples } }) {
            throw SensitivityError("bootstrap resample of \(bad.count) rows does not index the \(design.baseSamples) base rows")
        }
        let parts = Parts(outputs: outputs, design: design)
        let d = design.parameterCount
        let full = parts.estimates(rows: Array(0..<design.baseSamples), secondOrder: design.secondOrder)
        let resampled = resamples.rows.map { parts.estimates(rows: $0, secondOrder: design.secondOrder) }
        func interval(_ pick: (Estimates) -> Double) -> Double {
            BootstrapResamples.halfWidth(of: resampled.map(pick), confidence: confidence)
        }
        // SALib sets S1_conf and ST_conf (not S2_conf) to 0 when every
        // resampled f_A and f_B is the same value.
        let resampledConstant = parts.isConstant(over: resamples)
        var result = SobolIndices(firstOrder: full.firstOrder, firstOrderConfidence: [], totalOrder: full.totalOrder,
                                  totalOrderConfidence: [], secondOrder: [], confidence: confidence)
        for i in 0..<d {
            result.firstOrderConfidence.append(resampledConstant ? 0 : interval { $0.firstOrder[i] })
            result.totalOrderConfidence.append(resampledConstant ? 0 : interval { $0.totalOrder[i] })
        }
        for (k, pair) in Parts.pairs(d).enumerated() where design.secondOrder {
            result.secondOrder.append(SecondOrderIndex(first: pair.0, second: pair.1, value: full.secondOrder[k],
                                                       confidenceHalfWidth: interval { $0.secondOrder[k] }))
        }
        return result
    }
}

/// The estimates from one set of base rows (all of them, or a resample).
private struct Estimates {
    var firstOrder: [Double]
    var totalOrder: [Double]
    /// In `Parts.pairs` order.
    var secondOrder: [Double]
}

/// The standardised outputs of a Saltelli design split by role, per base row.
private struct Parts {
    var a: [Double]
    var b: [Double]
    /// ab[i][row]: f_AB^i; ba likewise (empty without second order).
    var ab: [[Double]]
    var ba: [[Double]]

    /// Standardises the outputs and reads them back by SALib's positions
    /// (`separate_output_values`).
    init(outputs: [Double], design: SaltelliDesign) {
        let mean = SampleStatistics.mean(outputs)
        let sd = SampleStatistics.populationVariance(outputs).squareRoot()
        // All outputs equal: SALib's division by sd = 0 is avoided; the
        // centred zeros give indices of 0, as SALib's constant-output rule does.
        let y = outputs.map { sd > 0 ? ($0 - mean) / sd : 0 }
        let step = design.pointsPerBaseRow, d = design.parameterCount
        let rows = 0..<design.baseSamples
        a = rows.map { y[$0 * step] }
        b = rows.map { y[$0 * step + step - 1] }
        ab = (0..<d).map { i in rows.map { y[$0 * step + 1 + i] } }
        ba = design.secondOrder ? (0..<d).map { i in rows.map { y[$0 * step + 1 + d + i] } } : []
    }

    /// SALib's `np.ptp(np.r_[A[r], B[r]]) == 0`.
    func isConstant(over resamples: BootstrapResamples) -> Bool {
        var low = Double.infinity, high = -Double.infinity
        for rows in resamples.rows {
            for r in rows { low = min(low, a[r], b[r]); high = max(high, a[r], b[r]) }
        }
        return high - low == 0
    }

    /// The pairs (i, j), i < j, in SALib's loop order.
    static func pairs(_ d: Int) -> [(Int, Int)] {
        (0..<d).flatMap { i in ((i + 1)..<max(i + 1, d)).map { (i, $0) } }
    }

    /// S1, ST and (when asked) S2 from the base rows `rows` (with repeats
    /// for a bootstrap resample).
    func estimates(rows: [Int], secondOrder: Bool) -> Estimates {
        let d = ab.count
        let fa = rows.map { a[$0] }, fb = rows.map { b[$0] }
        let fab = ab.map { column in rows.map { column[$0] } }
        // V, or nil when f_A and f_B are constant: SALib's `ptp <= eps` and
        // `var <= eps` rules make every index 0.
        let y = fa + fb
        let eps = Double.ulpOfOne
        let variance: Double? = {
            guard let low = y.min(), let high = y.max(), high - low > eps else { return nil }
            let v = SampleStatistics.populationVariance(y)
            return v > eps ? v : nil
        }()
        guard let v = variance else {
            return Estimates(firstOrder: Array(repeating: 0, count: d), totalOrder: Array(repeating: 0, count: d),
                             secondOrder: secondOrder ? Array(repeating: 0, count: Self.pairs(d).count) : [])
        }
        let n = rows.count
        let s1 = fab.map { f in SampleStatistics.mean((0..<n).map { fb[$0] * (f[$0] - fa[$0]) }) / v }
        let st = fab.map { f in 0.5 * SampleStatistics.mean((0..<n).map { (fa[$0] - f[$0]) * (fa[$0] - f[$0]) }) / v }
        var s2: [Double] = []
        if secondOrder {
            let fba = ba.map { column in rows.map { column[$0] } }
            for (i, j) in Self.pairs(d) {
                let joint = SampleStatistics.mean((0..<n).map { fba[i][$0] * fab[j][$0] - fa[$0] * fb[$0] }) / v
                s2.append(joint - s1[i] - s1[j])
            }
        }
        return Estimates(firstOrder: s1, totalOrder: st, secondOrder: s2)
    }
}
