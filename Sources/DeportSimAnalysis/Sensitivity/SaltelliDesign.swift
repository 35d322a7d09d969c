import GSLSupport

/// Saltelli's sample for Sobol indices (Saltelli 2002; Saltelli et al. 2010),
/// laid out row for row as SALib's `SALib.sample.sobol.sample` lays it out.
///
/// Two base matrices A and B (N rows, D columns) come from one Sobol
/// sequence in 2D dimensions: A is its first D coordinates, B its last D.
/// For each base row j the design holds, in this order,
///
///     A_j, AB_j^1, ..., AB_j^D, [BA_j^1, ..., BA_j^D,] B_j
///
/// where AB_j^i is A_j with coordinate i taken from B_j and BA_j^i is B_j
/// with coordinate i taken from A_j (only with `secondOrder`). So the design
/// has N (D + 2) points, or N (2D + 2) with second order, and a sweep runs
/// them in exactly this order; `SobolIndices` reads its outputs back by the
/// same positions (`SALib.analyze.sobol.separate_output_values`).
///
/// Where the base points differ from SALib's:
/// - SALib draws them from scipy's `qmc.Sobol` with Joe & Kuo (2008)
///   direction numbers, scrambled by default (LMS + digital shift, Owen
///   1998), from the sequence's first point (the zero point, which the
///   scrambling moves) and with `skip_values = 0`. DeportSim uses GSL's
///   `gsl_qrng_sobol` (Antonov & Saleev 1979; Bratley & Fox 1988 direction
///   numbers), unscrambled, so a design is the same on every machine
///   without a seed. GSL itself starts at the second point of the sequence,
///   (0.5, ..., 0.5): its first N points equal scipy's unscrambled points
///   1...N in the first two dimensions (SALib's `scramble=False,
///   skip_values=1`); from the third dimension on the direction numbers,
///   and so the points, differ.
/// - In GSL's first point A_1 = B_1 = (0.5, ..., 0.5), so every AB_1^i
///   equals A_1: the first base row adds nothing to the numerators of S1
///   and ST, only to the variance. This is the repetition of early
///   unscrambled Sobol points Campolongo, Saltelli & Cariboni (2011, Table 2)
///   describe; its weight 1/N is negligible for the N of a useful analysis
///   (N >= 256), and the Ishigami test measures the estimates with it.
///
/// Pure: the same arguments give the same points on any machine.
public struct SaltelliDesign: Sendable, Equatable {
    /// D: the number of parameters.
    public let parameterCount: Int
    /// N: the number of base rows (rows of A and of B).
    public let baseSamples: Int
    /// Whether the BA points for second-order indices are included.
    public let secondOrder: Bool

    /// The largest D: the Sobol sequence needs 2D dimensions of GSL's 40.
    public static var maxParameterCount: Int { SobolSequence.maxDimension / 2 }

    public init(parameterCount: Int, baseSamples: Int, secondOrder: Bool = false) throws {
        guard parameterCount >= 1, parameterCount <= Self.maxParameterCount else {
            throw SensitivityError("saltelli design: \(parameterCount) parameters; GSL's Sobol sequence has \(SobolSequence.maxDimension) dimensions, so 1...\(Self.maxParameterCount) parameters (2 dimensions each)", argument: .parameterCount)
        }
        guard baseSamples >= 2 else {
            throw SensitivityError("saltelli design: points must be at least 2 base samples (got \(baseSamples))", argument: .baseSamples)
        }
        self.parameterCount = parameterCount
        self.baseSamples = baseSamples
        self.secondOrder = secondOrder
    }

    /// Points per base row: D + 2, or 2D + 2 with second order.
    public var pointsPerBaseRow: Int { secondOrder ? 2 * parameterCount + 2 : parameterCount + 2 }

    /// The number of design points (model runs before replications).
    public var count: Int { baseSamples * pointsPerBaseRow }

    /// A and B: the first N points of GSL's Sobol sequence in 2D dimensions,
    /// split into their first D and last D coordinates.
    public func baseMatrices() -> (a: [[Double]], b: [[Double]]) {
        let d = parameterCount
        // init checked 2D <= maxDimension.
        let sequence = SobolSequence(dimension: 2 * d)!
        var a: [[Double]] = [], b: [[Double]] = []
        a.reserveCapacity(baseSamples); b.reserveCapacity(baseSamples)
        for _ in 0..<baseSamples {
            let x = sequence.next()
            a.append(Array(x[0..<d])); b.append(Array(x[d...]))
        }
        return (a, b)
    }

    /// The design in the unit cube [0, 1)^D, in run order.
    public func unitPoints() -> [[Double]] {
        let (a, b) = baseMatrices()
        return Self.layout(a: a, b: b, secondOrder: secondOrder)
    }

    /// The design scaled to parameter ranges: coordinate i becomes
    /// low_i + u (high_i - low_i), as SALib's `scale_samples` does for
    /// uniform parameters.
    public func points(in ranges: [ClosedRange<Double>]) throws -> [[Double]] {
        try Sensitivity.scaled(unitPoints(), to: ranges, parameterCount: parameterCount, design: "saltelli design")
    }

    /// SALib's layout of given base matrices (rows of equal length D).
    public static func layout(a: [[Double]], b: [[Double]], secondOrder: Bool) -> [[Double]] {
        precondition(a.count == b.count, "A and B need the same number of rows")
        var out: [[Double]] = []
        out.reserveCapacity(a.count * ((secondOrder ? 2 : 1) * (a.first?.count ?? 0) + 2))
        for (rowA, rowB) in zip(a, b) {
            precondition(rowA.count == rowB.count, "A and B rows need the same length")
            out.append(rowA)
            for i in rowA.indices {
                var ab = rowA; ab[i] = rowB[i]; out.append(ab)
            }
            if secondOrder {
                for i in rowA.indices {
                    var ba = rowB; ba[i] = rowA[i]; out.append(ba)
                }
            }
            out.append(rowB)
        }
        return out
    }
}
