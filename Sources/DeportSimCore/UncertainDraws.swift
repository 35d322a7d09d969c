internal import GSLSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One replication's uncertain values, in `Uncertainty.columnPaths` order.
public struct UncertainDraw: Sendable, Equatable {
    public let values: [Double]
    /// The row of the sample file used (an index into its rows), nil without a file.
    public let sampleRow: Int?
}

extension Simulator {
    /// The values replication `replication` draws for the scenario's
    /// uncertain inputs (docs/model.md 8.7): each from its stream
    /// `uncertain:<path>` restarted with day -2, then the sample file's row
    /// (row r mod N, or a weighted draw from `uncertain:from`).
    public func uncertainDraw(replication: Int, point: Int = 0, seed: UInt64? = nil) -> UncertainDraw {
        let u = scenario.uncertainty
        if u.isEmpty { return UncertainDraw(values: [], sampleRow: nil) }
        func restart(_ key: String) {
            uncertainStream.reseed(StreamSeed.day(
                StreamSeed.base(runSeed: seed ?? scenario.seed, point: point, replication: replication, key: key), -2))
        }
        var values: [Double] = u.inputs.enumerated().map { i, input in
            restart("uncertain:" + input.path)
            return input.target.domain.clamped(draw(input.distribution, table: choiceTables[i]))
        }
        var row: Int?
        if let sample = u.sample {
            if let table = sampleTable {
                restart("uncertain:from")
                row = uncertainStream.discrete(table)
            } else {
                row = replication % sample.rows.count
            }
            values += sample.rows[row!]
        }
        return UncertainDraw(values: values, sampleRow: row)
    }

    private func draw(_ d: InputDistribution, table: DiscreteDistribution?) -> Double {
        let rng = uncertainStream
        switch d {
        case .uniform(let a, let b): return rng.flat(a, b)
        case .uniformWhole(let a, let b): return Double(a + rng.uniformInt(below: b - a + 1))
        case .normal(let mean, let sd): return mean + rng.gaussian(sd: sd)
        case .lognormal(let median, let sdLog): return rng.lognormal(zeta: log(median), sigma: sdLog)
        case .beta:
            let (a, b) = d.betaShapes!
            return rng.beta(a, b)
        case .triangular(let a, let c, let b):
            // Inverse of the triangular distribution function at one uniform.
            let u = rng.uniform()
            return u < (c - a) / (b - a) ? a + (u * (b - a) * (c - a)).squareRoot() : b - ((1 - u) * (b - a) * (b - c)).squareRoot()
        case .choice(let values, _): return values[rng.discrete(table!)]
        }
    }

    static func discreteTables(_ u: Uncertainty) -> (choices: [DiscreteDistribution?], sample: DiscreteDistribution?) {
        (u.inputs.map { if case .choice(_, let w) = $0.distribution { DiscreteDistribution(weights: w) } else { nil } },
         u.sample?.weights.map { DiscreteDistribution(weights: $0) })
    }
}
