import Foundation
import GSLSupport

/// The sensitivity analysis of a saltelli or morris sweep: per outcome, the
/// Sobol indices or Morris measures of the points' means over their
/// replications, and how much of the variance of those means is
/// replication noise.
public enum SweepSensitivity {
    /// Bootstrap resamples behind every interval (SALib's default).
    public static let bootstrapResamples = 100
    /// The two-sided level of every interval.
    public static let confidence = 0.95
    /// The replication-noise share above which a sweep warns (see `NoiseShare`).
    public static let noiseShareLimit = 0.05

    /// What the analysis gives for one outcome.
    public enum Indices: Sendable, Equatable {
        case sobol(SobolIndices)
        case morris(MorrisEffects)
    }

    public struct OutcomeResult: Sendable, Equatable {
        public var outcome: String
        /// nil when a point's mean is not a finite number (`problem` says which).
        public var indices: Indices?
        public var problem: String?
        public var noise: NoiseShare
    }

    /// How much of the variance of the points' means is replication noise.
    ///
    /// A point's mean over R replications carries noise of variance s^2 / R,
    /// s^2 the variance between its replications. With w the mean of s^2 over
    /// the points and B the variance of the means between points (divisor
    /// n - 1), the noise share is (w / R) / B. It is what noise adds to every
    /// total-order index (a parameter without effect shows ST near the share,
    /// since E (f_A - f_AB)^2 / 2V gains (2 w / R) / 2B) and the fraction by
    /// which it shrinks every S1 (V in the denominator includes the noise).
    /// Morris's mu* gains a floor of about sqrt(4 w / (pi R)) / delta, the
    /// mean absolute difference of two noisy means per step.
    public struct NoiseShare: Sendable, Equatable {
        public var replications: Int
        /// w: the mean over points of the variance between replications (divisor R - 1); nil with R = 1.
        public var meanWithinPointVariance: Double?
        /// B: the variance of the points' means (divisor n - 1).
        public var betweenPointVariance: Double
        /// (w / R) / B; nil when R = 1 or w = B = 0, infinite when only B = 0.
        public var share: Double?
        /// The R that would bring the share to `noiseShareLimit`:
        /// w (1 - t) / (t (B - w / R)); nil when the share is unknown or the
        /// means vary no more than noise does (B <= w / R).
        public var replicationsForLimit: Int?

        public init(replications r: Int, pointValues: [[Double]]) {
            replications = r
            let means = pointValues.map(SampleStatistics.mean)
            betweenPointVariance = means.count > 1 ? pow(SampleStatistics.sampleStandardDeviation(means), 2) : 0
            guard r > 1 else { meanWithinPointVariance = nil; share = nil; replicationsForLimit = nil; return }
            let w = SampleStatistics.mean(pointValues.map { pow(SampleStatistics.sampleStandardDeviation($0), 2) })
            meanWithinPointVariance = w
            let noise = w / Double(r)
            // Equal means despite noisy replications: all of their variance would be noise.
            share = betweenPointVariance > 0 ? noise / betweenPointVariance : (noise > 0 ? .infinity : nil)
            let signal = betweenPointVariance - noise
            let t = SweepSensitivity.noiseShareLimit
            replicationsForLimit = share != nil && signal > 0 ? Int((w * (1 - t) / (t * signal)).rounded(.up)) : nil
        }

        /// A warning for the analyst, or nil when the share is within the limit.
        public var warning: String? {
            if replications == 1 {
                return "1 replication per point: the replication noise in the means cannot be measured; run 2 or more"
            }
            guard let share else { return nil }
            guard share > SweepSensitivity.noiseShareLimit else { return nil }
            let percent = share.isFinite ? String(format: "%.0f%%", 100 * share) : "infinite"
            if let needed = replicationsForLimit {
                return "replication noise is \(percent) of the variance of the point means (above \(Int(100 * SweepSensitivity.noiseShareLimit))%): it inflates every ST by about that much and shrinks S1; about \(needed) replications per point would bring it to \(Int(100 * SweepSensitivity.noiseShareLimit))%"
            }
            return "the point means vary no more than replication noise does (noise share \(percent)): the indices measure noise; run many more replications or widen the ranges"
        }
    }

    /// Analyses a sweep of a saltelli or morris `design` from each point's
    /// replication values: `values[point][replication][outcome]`, points in
    /// design order. Bootstrap streams are seeded by the design's seed.
    public static func analyse(design: SweepDesign, outcomes: [String], replications: Int,
                               values: [[[Double]]]) throws -> [OutcomeResult] {
        guard design.kind.isSensitivityDesign else {
            throw SensitivityError("a \(design.kind.rawValue) design has no sensitivity analysis; use design saltelli or morris")
        }
        guard values.count == design.count else {
            throw SensitivityError("\(values.count) points for a \(design.kind.rawValue) design of \(design.count)")
        }
        let saltelli = design.kind == .saltelli ? try design.saltelliDesign() : nil
        let morris = design.kind == .morris ? try design.morrisDesign() : nil
        return try outcomes.enumerated().map { k, name in
            let perPoint = values.map { point in point.map { $0[k] } }
            let means = perPoint.map(SampleStatistics.mean)
            let noise = NoiseShare(replications: replications, pointValues: perPoint)
            if let bad = means.firstIndex(where: { !$0.isFinite }) {
                return OutcomeResult(outcome: name, indices: nil,
                                     problem: "the mean of point \(bad) is \(formatNumber(means[bad])), so no indices", noise: noise)
            }
            let indices: Indices
            if let saltelli {
                indices = .sobol(try SobolIndices.compute(outputs: means, design: saltelli, bootstrapResamples: bootstrapResamples,
                                                          confidence: confidence, seed: design.seed))
            } else {
                indices = .morris(try MorrisEffects.compute(outputs: means, design: morris!, bootstrapResamples: bootstrapResamples,
                                                            confidence: confidence, seed: design.seed))
            }
            return OutcomeResult(outcome: name, indices: indices, problem: nil, noise: noise)
        }
    }
}
