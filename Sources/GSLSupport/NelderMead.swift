@preconcurrency import CGSL

/// GSL's Nelder-Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`).
public enum NelderMead {
    public struct Iteration: Sendable {
        public let iteration: Int
        public let x: [Double]
        public let value: Double
        /// GSL's characteristic simplex size (mean distance to the centre).
        public let size: Double
    }

    public struct Result: Sendable {
        public let x: [Double]
        public let value: Double
        public let iterations: Int
        public let converged: Bool
    }

    /// Minimizes `f` from `start` with initial steps `steps`. Stops when the
    /// simplex size falls below `sizeTolerance` (GSL's
    /// `gsl_multimin_test_size`) or after `maxIterations`.
    public static func minimize(_ f: @escaping ([Double]) -> Double, start: [Double], steps: [Double],
                                sizeTolerance: Double, maxIterations: Int,
                                onIteration: (Iteration) -> Void = { _ in }) -> Result {
        GSL.errorHandlerOff
        let n = start.count
        final class Box { let f: ([Double]) -> Double; init(_ f: @escaping ([Double]) -> Double) { self.f = f } }
        let box = Box(f)
        let ctx = Unmanaged.passRetained(box)
        defer { ctx.release() }
        var function = gsl_multimin_function(
            f: { v, params in
                let box = Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue()
                let n = Int(v!.pointee.size)
                let x = (0..<n).map { gsl_vector_get(v, $0) }
                let y = box.f(x)
                return y.isFinite ? y : Double.greatestFiniteMagnitude
            },
            n: n, params: ctx.toOpaque())
        let x = gsl_vector_alloc(n)!, ss = gsl_vector_alloc(n)!
        defer { gsl_vector_free(x); gsl_vector_free(ss) }
        for i in 0..<n { gsl_vector_set(x, i, start[i]); gsl_vector_set(ss, i, steps[i]) }
        let s = gsl_multimin_fminimizer_alloc(deportsim_nmsimplex2(), n)!
        defer { gsl_multimin_fminimizer_free(s) }
        gsl_multimin_fminimizer_set(s, &function, x, ss)
        var iteration = 0
        var converged = false
        while iteration < maxIterations {
            iteration += 1
            if gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS { break }
            let size = gsl_multimin_fminimizer_size(s)
            let best = (0..<n).map { gsl_vector_get(s.pointee.x, $0) }
            onIteration(Iteration(iteration: iteration, x: best, value: s.pointee.fval, size: size))
            if gsl_multimin_test_size(size, sizeTolerance) == GSL_SUCCESS { converged = true; break }
        }
        return Result(x: (0..<n).map { gsl_vector_get(s.pointee.x, $0) }, value: s.pointee.fval,
                      iterations: iteration, converged: converged)
    }
}
