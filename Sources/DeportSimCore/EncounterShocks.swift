#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standardised monthly log-shocks z(m) of one replication's encounter
/// processes (docs/model.md 5.3.1), drawn when it starts: z(m) = sqrt(s) c(m)
/// + sqrt(1 - s) o(m), with c the border-wide and o the process's own
/// stationary AR(1) series of unit variance.
struct EncounterShocks {
    /// Per process (countries in scenario order, then other encounters),
    /// z by month index; empty for a process without volatility.
    var z: [[Double]] = []

    /// The mean-one multiplier exp(sigma z(m) - sigma^2 / 2): E exp(sigma z)
    /// = exp(sigma^2 / 2) for a standard normal z.
    func multiplier(process: Int, month: Int, volatility sigma: Double) -> Double {
        guard process < z.count, !z[process].isEmpty else { return 1 }
        return exp(sigma * z[process][month] - sigma * sigma / 2)
    }

    /// A stationary AR(1) series of unit variance: x(0) = e(0), x(m) = phi
    /// x(m - 1) + sqrt(1 - phi^2) e(m), e(m) standard normal from `draw(m)`.
    static func ar1(months: Int, persistence phi: Double, draw: (Int) -> Double) -> [Double] {
        var x = 0.0
        let innovation = (1 - phi * phi).squareRoot()
        return (0..<months).map { m in
            let e = draw(m)
            x = m == 0 ? e : phi * x + innovation * e
            return x
        }
    }
}

extension Simulator {
    /// Draws the shock series of the processes with volatility > 0 in some
    /// snapshot of this replication (its start values or an event's); none
    /// when no process has volatility, so such runs draw nothing here. Each
    /// series' stream is restarted with the month index as its day.
    func encounterShocks(_ p: ModelParameters, changes: [ModelParameters], base: (String) -> UInt64) -> EncounterShocks {
        let snapshots = [p] + changes
        let volatile = (0...p.countries.count).map { i in
            snapshots.contains { q in
                // A process with two streams has one series, scaled by each stream's volatility.
                let streams = i < q.countries.count ? [q.countries[i].encounters, q.countries[i].portEncounters]
                    : [q.border.otherEncounters, q.border.otherPortEncounters]
                return streams.contains { ($0?.volatility ?? 0) > 0 }
            }
        }
        guard volatile.contains(true) else { return EncounterShocks() }
        func series(_ key: String, _ phi: Double) -> [Double] {
            let seed = base(key)
            return EncounterShocks.ar1(months: monthCount, persistence: phi) { m in
                shockStream.reseed(StreamSeed.day(seed, m))
                return shockStream.gaussian(sd: 1)
            }
        }
        let share = p.border.commonShockShare
        let common = share > 0 ? series("shock:border", p.border.commonShockPersistence) : []
        func combined(_ own: [Double]) -> [Double] {
            common.isEmpty ? own : zip(common, own).map { share.squareRoot() * $0 + (1 - share).squareRoot() * $1 }
        }
        var z: [[Double]] = p.countries.enumerated().map { i, c in
            volatile[i] ? combined(series("shock:" + c.code, c.encounters.volatilityPersistence)) : []
        }
        if let other = p.border.otherEncounters ?? p.border.otherPortEncounters, volatile[p.countries.count] {
            z.append(combined(series("shock:other_encounters", other.volatilityPersistence)))
        }
        return EncounterShocks(z: z)
    }
}
