import Foundation
import GSLSupport
import Testing
@testable import DeportSimCore
@testable import DeportSimIO

/// Simulated moments against closed forms. Fixed seeds; every tolerance is
/// 4 standard errors of the estimate, computed from the distribution (a
/// correct sampler fails such a check with probability about 6e-5).
@Suite("Statistics against closed forms")
struct StatisticalTests {
    static let days = 3660

    func dailyEncounters(_ encounters: String) throws -> [Double] {
        return simulate(try baseScenario(days: Self.days, setting: ["countries.AAA.encounters=\(encounters)"]).scenario).countries.map { Double($0[0].encounters) }
    }

    func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        return (mean, x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1))
    }

    @Test(arguments: [3.7, 50.0, 800.0])
    func poissonEncounters(mu: Double) throws {
        let (mean, variance) = moments(try dailyEncounters("{ per_day: \(mu) }"))
        let n = Double(Self.days)
        // Var(mean) = mu / n; Var(s^2) ~ (mu4 - sigma^4) / n with mu4 = mu + 3 mu^2.
        #expect(abs(mean - mu) <= 4 * (mu / n).squareRoot())
        #expect(abs(variance - mu) <= 4 * ((mu + 2 * mu * mu) / n).squareRoot())
    }

    @Test(arguments: [(50.0, 5.0), (300.0, 30.0), (2.0, 0.5)])
    func negativeBinomialEncounters(mu: Double, k: Double) throws {
        let (mean, variance) = moments(try dailyEncounters("{ per_day: \(mu), distribution: negative_binomial, dispersion: \(k) }"))
        let n = Double(Self.days)
        let sigma2 = mu + mu * mu / k
        // Excess kurtosis of NB(k, p), p = k / (k + mu): 6/k + p^2 / (k (1 - p)).
        let p = k / (k + mu)
        let excessKurtosis = 6 / k + p * p / (k * (1 - p))
        #expect(abs(mean - mu) <= 4 * (sigma2 / n).squareRoot())
        #expect(abs(variance - sigma2) <= 4 * ((excessKurtosis + 2) * sigma2 * sigma2 / n).squareRoot())
    }

    @Test func courtDecisionsFollowTheGeometricClock() throws {
        // No inflow: each of P0 pending people is decided within T days with
        // probability q = 1 - (1 - 1/D)^T, so the total is Binomial(P0, q).
        let p0 = 20000, d = 200.0, t = 90
        let s = try baseScenario(days: t, setting: ["countries.AAA.encounters.per_day=0", "countries.AAA.court.mean_days=\(d)",
                                                    "countries.AAA.initial.pending=\(p0)"]).scenario
        let q = 1 - pow(1 - 1 / d, Double(t))
        let reps = 200
        let totals = (0..<reps).map { r in Double(simulate(s, replication: r).countries.map { $0[0].courtDecisions }.reduce(0, +)) }
        let mean = totals.reduce(0, +) / Double(reps)
        let expected = Double(p0) * q
        #expect(abs(mean - expected) <= 4 * (Double(p0) * q * (1 - q) / Double(reps)).squareRoot())
        // Orders are Binomial(decisions, 0.5) of them.
        let orders = (0..<20).map { r -> (Int, Int) in
            let log = simulate(s, replication: r)
            return (log.countries.map { $0[0].removalOrders }.reduce(0, +), log.countries.map { $0[0].courtDecisions }.reduce(0, +))
        }
        let o = Double(orders.map(\.0).reduce(0, +)), n = Double(orders.map(\.1).reduce(0, +))
        #expect(abs(o - n / 2) <= 4 * (n / 4).squareRoot())
    }

    @Test func documentWaitsAreGeometric() throws {
        // Documents come with daily probability c / m; after T days a person
        // is still waiting with probability (1 - c/m)^T (day 0 included).
        let n0 = 5000, m = 20.0, c = 0.5, t = 30
        let s = try baseScenario(days: t, setting: ["countries.AAA.encounters.per_day=0", "countries.AAA.travel_documents={mean_days: \(m), cooperation: \(c)}",
                                                    "countries.AAA.initial.detained_awaiting=\(n0)"]).scenario
        let stay = pow(1 - c / m, Double(t))
        let reps = 100
        let waiting = (0..<reps).map { r in Double(simulate(s, replication: r).countries.last![0].detainedAwaiting) }
        let mean = waiting.reduce(0, +) / Double(reps)
        #expect(abs(mean - Double(n0) * stay) <= 4 * (Double(n0) * stay * (1 - stay) / Double(reps)).squareRoot())
    }

    @Test func summaryStatisticsMatchDirectComputation() {
        let summary = RunningSummary(cellCount: 1)
        let values = (0..<1000).map { Double(($0 * 7919) % 1000) }
        for v in values { summary.add(v, cell: 0) }
        let mean = values.reduce(0, +) / 1000
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 999).squareRoot()
        #expect(abs(summary.mean(cell: 0) - mean) < 1e-9)
        #expect(abs(summary.sd(cell: 0) - sd) < 1e-9)
        // P-square estimates of a uniform 0..999: within 1% of the range.
        let q = summary.quantiles(cell: 0)
        #expect(abs(q.p05 - 49.95) < 10 && abs(q.p50 - 499.5) < 10 && abs(q.p95 - 949.05) < 10)
    }
}
