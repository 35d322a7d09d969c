import DeportSimCore
import GSLSupport

/// Bootstrap resamples (Efron 1979) of the rows of a design, drawn from a
/// GSL stream, and the confidence half-width SALib reports from them.
///
/// SALib's Sobol and Morris analyses both report `z * sd` of the bootstrap
/// estimates: z the standard normal quantile at 0.5 + confidence / 2 and sd
/// the sample standard deviation (divisor R - 1) of the R resampled
/// estimates (`Z * S1_conf_j.std(ddof=1)` in `SALib/analyze/sobol.py`,
/// `norm.ppf(0.5 + conf_level / 2) * mu_star_resampled.std(ddof=1)` in
/// `SALib/analyze/morris.py`). That is a normal-approximation interval
/// estimate +- half-width, not a percentile interval.
public struct BootstrapResamples: Sendable, Equatable {
    /// `rows[b][i]`: the i-th row index of resample b, each in 0..<rowCount.
    public var rows: [[Int]]

    public init(rows: [[Int]]) { self.rows = rows }

    /// R resamples of n indices with replacement, from a taus2 stream keyed
    /// by `seed` and `key` (like the model's streams, so no model stream
    /// shares its sequence). Draw order: resample by resample, index by
    /// index, each `gsl_rng_uniform_int(n)`. The same seed gives the same
    /// resamples on any machine.
    public init(rowCount n: Int, resamples: Int, seed: UInt64, key: String) {
        let stream = Sensitivity.stream(seed: seed, key: key)
        rows = (0..<resamples).map { _ in (0..<n).map { _ in stream.uniformInt(below: n) } }
    }

    /// The half-width z * sd(estimates) at the given two-sided confidence level.
    public static func halfWidth(of estimates: [Double], confidence: Double) -> Double {
        SampleStatistics.standardNormalQuantile(0.5 + confidence / 2)
            * SampleStatistics.sampleStandardDeviation(estimates)
    }
}

/// Why a sensitivity design or analysis cannot be computed: a message for
/// the analyst naming the value at fault.
public struct SensitivityError: Error, Equatable, CustomStringConvertible {
    /// The design argument at fault, when one is (so a spec reader can
    /// point at the key that gave it).
    public enum Argument: Sendable, Equatable { case parameterCount, baseSamples, trajectories, levels, candidates }

    public var description: String
    public var argument: Argument?
    public init(_ description: String, argument: Argument? = nil) { self.description = description; self.argument = argument }
}

/// Rules shared by the Sobol and Morris designs and analyses.
enum Sensitivity {
    /// The taus2 stream of a design's or analysis's draws, seeded like the
    /// model's streams (StreamSeed) from the seed and a key naming its use,
    /// so it shares no sequence with a model stream or another use.
    static func stream(seed: UInt64, key: String) -> RandomStream {
        RandomStream(kind: .taus2, seed: StreamSeed.day(StreamSeed.base(runSeed: seed, point: 0, replication: 0, key: key), 0))
    }

    /// Unit-cube points scaled to parameter ranges: low + u (high - low),
    /// as SALib's `scale_samples` does for uniform parameters.
    static func scaled(_ unit: [[Double]], to ranges: [ClosedRange<Double>], parameterCount: Int, design: String) throws -> [[Double]] {
        guard ranges.count == parameterCount else {
            throw SensitivityError("\(design): \(ranges.count) ranges for \(parameterCount) parameters")
        }
        return unit.map { u in zip(u, ranges).map { $1.lowerBound + $0 * ($1.upperBound - $1.lowerBound) } }
    }

    static func outputs(_ outputs: [Double], expected: Int, design: String) throws {
        guard outputs.count == expected else {
            throw SensitivityError("\(design): \(outputs.count) outputs for \(expected) design points")
        }
        if let i = outputs.firstIndex(where: { !$0.isFinite }) {
            throw SensitivityError("\(design): output of point \(i) is \(outputs[i]), not a finite number")
        }
    }

    static func bootstrap(resamples: Int, confidence: Double) throws {
        guard resamples >= 2 else {
            throw SensitivityError("bootstrap resamples must be at least 2 (got \(resamples))")
        }
        guard confidence > 0, confidence < 1 else {
            throw SensitivityError("confidence must lie strictly between 0 and 1 (got \(confidence))")
        }
    }
}
