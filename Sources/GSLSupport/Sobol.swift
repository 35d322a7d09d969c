@preconcurrency import CGSL

/// GSL's Sobol low-discrepancy sequence (`gsl_qrng_sobol`; Antonov & Saleev
/// 1979, Bratley & Fox 1988) in the unit cube [0, 1)^dimension.
///
/// The first point GSL returns is (0.5, ..., 0.5): the sequence's leading
/// zero point is skipped by GSL itself. Owns its `gsl_qrng`; never share one
/// between threads.
public final class SobolSequence {
    private let qrng: UnsafeMutablePointer<gsl_qrng>
    public let dimension: Int

    /// The largest dimension GSL's Sobol generator supports (40 in GSL 2.7).
    public static var maxDimension: Int { Int(deportsim_qrng_sobol().pointee.max_dimension) }

    /// Nil when the dimension is outside 1...maxDimension.
    public init?(dimension: Int) {
        GSL.errorHandlerOff
        guard dimension >= 1, dimension <= SobolSequence.maxDimension,
              let q = gsl_qrng_alloc(deportsim_qrng_sobol(), UInt32(dimension)) else { return nil }
        qrng = q
        self.dimension = dimension
    }

    deinit { gsl_qrng_free(qrng) }

    /// The next point of the sequence.
    public func next() -> [Double] {
        var x = [Double](repeating: 0, count: dimension)
        let status = x.withUnsafeMutableBufferPointer { gsl_qrng_get(qrng, $0.baseAddress) }
        // gsl_qrng_get fails only past 2^30 points, far beyond any sweep.
        precondition(status == GSL_SUCCESS, "gsl_qrng_get failed with status \(status)")
        return x
    }
}
