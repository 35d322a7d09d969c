@preconcurrency import CGSL

/// The GSL generator types a stream can run on (`gsl_rng_type`).
///
/// DeportSimCore maps its own generator choice (`--rng`) onto these, so no
/// GSL type appears in the model's public API.
public enum GSLGeneratorType: Sendable, CaseIterable {
    /// `gsl_rng_taus2`: L'Ecuyer's maximally equidistributed combined
    /// Tausworthe generator (L'Ecuyer 1996), period 2^88.
    case taus2
    /// `gsl_rng_mt19937`: the Mersenne Twister (Matsumoto & Nishimura 1998).
    case mt19937
    /// `gsl_rng_ranlxd2`: RANLUX, double precision, luxury level 2 (Lüscher 1994).
    case ranlxd2
    /// `gsl_rng_gfsr4`: a four-tap generalised feedback shift register (Ziff 1998).
    case gfsr4

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .taus2: return deportsim_rng_taus2()
        case .mt19937: return deportsim_rng_mt19937()
        case .ranlxd2: return deportsim_rng_ranlxd2()
        case .gfsr4: return deportsim_rng_gfsr4()
        }
    }
}

/// GSL facts and process-wide setup.
public enum GSL {
    /// The GSL version this binary was compiled against (e.g. "2.7.1").
    public static var version: String { String(cString: deportsim_gsl_version()) }

    /// GSL aborts the process on errors by default; DeportSim checks every
    /// argument before calling GSL and turns status codes into Swift errors,
    /// so the abort handler is switched off once, before the first call.
    static let errorHandlerOff: Void = { _ = gsl_set_error_handler_off() }()
}

/// One random stream: a GSL generator owned by this object, never shared
/// between threads. Every draw of the model goes through these methods.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    public let kind: GSLGeneratorType

    public init(kind: GSLGeneratorType = .taus2, seed: UInt64 = 1) {
        GSL.errorHandlerOff
        guard let r = gsl_rng_alloc(kind.gslType) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        self.rng = r
        self.kind = kind
        reseed(seed)
    }

    deinit { gsl_rng_free(rng) }

    /// A handle for hot loops; valid while this stream lives.
    public var handle: RandomStreamHandle { RandomStreamHandle(rng: rng, isTaus2: kind == .taus2) }

    /// Restarts the stream from a 64-bit seed (see `RandomStreamHandle.reseed`).
    public func reseed(_ seed: UInt64) { handle.reseed(seed) }

    /// The generator's whole state (`gsl_rng_state`, `gsl_rng_size` bytes),
    /// so a long computation can stop and later go on with the very draws
    /// it would have made (`calibrate --posterior` checkpoints). The bytes
    /// are the C struct's, valid for the same generator type on the same
    /// platform; `restore` checks the type and the size.
    public var savedState: RandomStreamState {
        let size = gsl_rng_size(rng)
        let bytes = UnsafeRawBufferPointer(start: gsl_rng_state(rng), count: size)
        return RandomStreamState(generator: String(cString: gsl_rng_name(rng)), bytes: Array(bytes))
    }

    /// Puts back a state taken by `savedState` from a stream of the same generator type.
    public func restore(_ state: RandomStreamState) throws {
        let name = String(cString: gsl_rng_name(rng)), size = gsl_rng_size(rng)
        guard state.generator == name, state.bytes.count == size else {
            throw RandomStreamStateMismatch(expected: "\(name), \(size) bytes", found: "\(state.generator), \(state.bytes.count) bytes")
        }
        state.bytes.withUnsafeBytes { gsl_rng_state(rng)!.copyMemory(from: $0.baseAddress!, byteCount: size) }
    }

    // The draws: one implementation, in RandomStreamHandle.
    @inlinable public func uniform() -> Double { handle.uniform() }
    @inlinable public func poisson(mean: Double) -> Int { handle.poisson(mean: mean) }
    @inlinable public func negativeBinomial(mean: Double, size: Double) -> Int { handle.negativeBinomial(mean: mean, size: size) }
    @inlinable public func binomial(_ n: Int, _ p: Double) -> Int { handle.binomial(n, p) }
    @inlinable public func bernoulli(_ p: Double) -> Bool { handle.bernoulli(p) }
    @inlinable public func uniformInt(below n: Int) -> Int { handle.uniformInt(below: n) }

    // Continuous draws for uncertain inputs and monthly shocks.
    /// Uniform on [low, high): `gsl_ran_flat`.
    public func flat(_ low: Double, _ high: Double) -> Double { gsl_ran_flat(rng, low, high) }
    /// Normal with mean 0 and the given sd: `gsl_ran_gaussian` (Box-Muller polar method).
    public func gaussian(sd: Double) -> Double { gsl_ran_gaussian(rng, sd) }
    /// Log-normal: exp of a normal with mean `zeta` and sd `sigma`: `gsl_ran_lognormal`.
    public func lognormal(zeta: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, zeta, sigma) }
    /// Beta(a, b): `gsl_ran_beta` (a ratio of gamma variates).
    public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }
    /// An index drawn with probability proportional to the table's weights: `gsl_ran_discrete`.
    public func discrete(_ table: DiscreteDistribution) -> Int { Int(gsl_ran_discrete(rng, table.table)) }

    /// Multinomial split of n into three categories (see `RandomStreamHandle`).
    @inlinable public func multinomial3(_ n: Int, _ p0: Double, _ p1: Double, _ p2: Double) -> (Int, Int, Int) {
        handle.multinomial3(n, p0, p1, p2)
    }
}

/// A generator's state as bytes, named by its GSL type (`gsl_rng_name`).
public struct RandomStreamState: Sendable, Equatable {
    public let generator: String
    public let bytes: [UInt8]
    public init(generator: String, bytes: [UInt8]) { self.generator = generator; self.bytes = bytes }
}

/// A saved state that does not fit the stream it is put back into.
public struct RandomStreamStateMismatch: Error, CustomStringConvertible {
    public let expected: String, found: String
    public var description: String { "the saved generator state is for \(found), not \(expected)" }
}

/// Weights of a discrete distribution, preprocessed once by
/// `gsl_ran_discrete_preproc` (Walker's alias method, Walker 1977) so each
/// draw costs one uniform. Read-only after creation, so threads may share it.
public final class DiscreteDistribution: @unchecked Sendable {
    let table: UnsafeMutablePointer<gsl_ran_discrete_t>
    /// Weights >= 0 with a positive finite sum (the caller checks).
    public init(weights: [Double]) {
        GSL.errorHandlerOff
        precondition(!weights.isEmpty && weights.allSatisfy { $0 >= 0 && $0.isFinite } && weights.reduce(0, +) > 0)
        guard let t = weights.withUnsafeBufferPointer({ gsl_ran_discrete_preproc($0.count, $0.baseAddress) }) else {
            fatalError("gsl_ran_discrete_preproc failed: out of memory")
        }
        table = t
    }
    deinit { gsl_ran_discrete_free(table) }
}

/// A non-owning handle on a `RandomStream`'s generator, for hot loops:
/// a plain value, so holding many costs no reference counting. Valid while
/// its `RandomStream` lives; never shared between threads.
public struct RandomStreamHandle {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    let isTaus2: Bool
    init(rng: UnsafeMutablePointer<gsl_rng>, isTaus2: Bool) { self.rng = rng; self.isTaus2 = isTaus2 }

    /// Restarts the stream from a 64-bit seed (a hash of the stream's key).
    ///
    /// taus2: its three 32-bit state words are filled from the seed by
    /// SplitMix64 and fixed up as GSL's own `taus2_set` does (s1 >= 2,
    /// s2 >= 8, s3 >= 16). So all 64 bits of the seed matter. GSL's
    /// `taus2_set` then discards six outputs because its state words come
    /// from a 32-bit LCG and start correlated; SplitMix64's outputs are
    /// already independent, so nothing is discarded. The other generators take GSL's
    /// `gsl_rng_set`, which uses 32 bits of its argument: the seed is folded
    /// to 32 bits, and two streams of a run share a sequence with
    /// probability about n^2 / 2^33 for n streams.
    public func reseed(_ seed: UInt64) {
        if isTaus2 {
            var sm = SplitMix64(state: seed)
            // The state pointer read from the struct: no call into GSL on the
            // day step's most frequent operation.
            let state = rng.pointee.state.assumingMemoryBound(to: UInt.self)
            var s1 = UInt(truncatingIfNeeded: sm.next() & 0xffff_ffff)
            var s2 = UInt(truncatingIfNeeded: sm.next() & 0xffff_ffff)
            var s3 = UInt(truncatingIfNeeded: sm.next() & 0xffff_ffff)
            if s1 < 2 { s1 += 2 }
            if s2 < 8 { s2 += 8 }
            if s3 < 16 { s3 += 16 }
            state[0] = s1; state[1] = s2; state[2] = s3
        } else {
            gsl_rng_set(rng, UInt((seed ^ (seed >> 32)) & 0xffff_ffff))
        }
    }

    /// Uniform on [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform integer in 0..<n (n >= 1).
    @inlinable public func uniformInt(below n: Int) -> Int {
        precondition(n >= 1)
        if n == 1 { return 0 }
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// Poisson(mean); 0 without a draw when the mean is not positive.
    @inlinable public func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        return Int(gsl_ran_poisson(rng, mean))
    }

    /// Negative binomial with the given mean and size k (variance
    /// mean + mean^2 / k): GSL's `gsl_ran_negative_binomial(p = k/(k+mean), k)`.
    @inlinable public func negativeBinomial(mean: Double, size: Double) -> Int {
        guard mean > 0 else { return 0 }
        return Int(gsl_ran_negative_binomial(rng, size / (size + mean), size))
    }

    /// Binomial(n, p); no draw when the answer is certain (n = 0, p = 0, p = 1).
    @inlinable public func binomial(_ n: Int, _ p: Double) -> Int {
        if n <= 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        if n <= Int(UInt32.max) { return Int(gsl_ran_binomial(rng, p, UInt32(n))) }
        // Beyond GSL's unsigned int: a sum of independent binomials with the same p.
        var left = n, total = 0
        while left > 0 {
            let chunk = Swift.min(left, Int(UInt32.max))
            total += Int(gsl_ran_binomial(rng, p, UInt32(chunk)))
            left -= chunk
        }
        return total
    }

    /// Bernoulli(p); no draw when p is 0 or 1.
    @inlinable public func bernoulli(_ p: Double) -> Bool {
        if p <= 0 { return false }
        if p >= 1 { return true }
        return gsl_ran_bernoulli(rng, p) == 1
    }

    /// Multinomial split of n into three categories by GSL's own method
    /// (`gsl_ran_multinomial`: conditional binomials), without the draws
    /// whose answer is certain (an empty remainder, a zero or whole share).
    @inlinable public func multinomial3(_ n: Int, _ p0: Double, _ p1: Double, _ p2: Double) -> (Int, Int, Int) {
        if n <= 0 { return (0, 0, 0) }
        let norm = p0 + p1 + p2
        let a = binomial(n, p0 / norm)
        let rest = p1 + p2
        let b = rest > 0 ? binomial(n - a, p1 / rest) : 0
        return (a, b, n - a - b)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the mixer that turns stream keys
/// into seeds. Not used for the model's draws.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// One SplitMix64 output for a single input: a strong 64-bit mix.
    public static func mix(_ x: UInt64) -> UInt64 {
        var s = SplitMix64(state: x)
        return s.next()
    }
}
