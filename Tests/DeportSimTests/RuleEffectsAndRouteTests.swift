import Testing
@testable import DeportSimCore
@testable import DeportSimIO

/// Day-step tests of issue 12's rule effects and route suspension
/// (docs/model.md 5.2.1, 5.9.4).
extension DayStepTests {
    /// Two countries under an active rule whose `while_active` sends
    /// everyone to voluntary return: AAA has its own multiplier 0 and BBB
    /// its own shares (all notices to appear). Shares of 0 and 1 make the
    /// split certain.
    static func perCountryRule(ramp: Int) -> String {
        """
        start: 2024-01-01
        end: 2024-01-30
        border:
          other_encounters: { per_day: 3000 }
          restrictions:
            effective: 2024-01-01
            activate_at: 2500
            deactivate_below: 1500
            deactivate_after_days: 5
            ramp_days: \(ramp)
            while_active: { pathways: { expedited_removal: 0, notice_to_appear: 0, voluntary_return: 1 } }
        countries:
          AAA:
            encounters: { per_day: 1000 }
            pathways: { expedited_removal: 1, notice_to_appear: 0, voluntary_return: 0 }
            restriction: { encounter_multiplier: 0 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 10 }
          BBB:
            encounters: { per_day: 1000 }
            pathways: { expedited_removal: 1, notice_to_appear: 0, voluntary_return: 0 }
            restriction: { pathways: { expedited_removal: 0, notice_to_appear: 1, voluntary_return: 0 } }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 10 }
        """
    }

    @Test func countryRestrictionValuesReplaceTheBorderWideOnes() throws {
        let log = simulate(try scenario(Self.perCountryRule(ramp: 0)).scenario)
        // Inactive on day 0: own shares, no multiplier.
        #expect(!log.border[0].restrictionActive)
        #expect(log.countries[0][0].expeditedRemoval == log.countries[0][0].encounters && log.countries[0][0].encounters > 0)
        for t in 1..<30 {
            #expect(log.border[t].restrictionActive)
            let a = log.countries[t][0], b = log.countries[t][1]
            // AAA: its own multiplier 0; BBB: its own shares, the border-wide multiplier (none: 1).
            #expect(a.encounters == 0)
            #expect(b.noticeToAppear == b.encounters && b.encounters > 500)
        }
    }

    @Test func rampPhasesTheEffectsInLinearly() throws {
        // ramp_days 4: strength f = (k + 1) / 4 on the k-th day of the
        // activation (day 1 + k), so AAA's mean is 1000 x (1 - f) and BBB's
        // notice-to-appear share f, its expedited share 1 - f.
        let s = try scenario(Self.perCountryRule(ramp: 4)).scenario
        let replications = 40
        var aaa = [Int](repeating: 0, count: 6), bbbNTA = aaa, bbbAll = aaa
        for r in 0..<replications {
            let log = simulate(s, replication: r)
            for k in 0..<6 {
                let a = log.countries[1 + k][0], b = log.countries[1 + k][1]
                aaa[k] += a.encounters
                bbbNTA[k] += b.noticeToAppear
                bbbAll[k] += b.encounters
                #expect(b.voluntaryReturn == 0 && b.expeditedRemoval + b.noticeToAppear == b.encounters)
            }
        }
        for k in 0..<6 {
            let f = min(1, Double(k + 1) / 4)
            // A sum of Poisson days is Poisson: mean and variance n x 1000 x (1 - f).
            let mean = Double(replications) * 1000 * (1 - f)
            if f == 1 { #expect(aaa[k] == 0) } else {
                #expect(abs(Double(aaa[k]) - mean) <= 4 * mean.squareRoot(), "k \(k): \(aaa[k]) vs \(mean)")
            }
            // Given the encounters, notices to appear are Binomial(n, f).
            let n = Double(bbbAll[k])
            let sd = (n * f * (1 - f)).squareRoot()
            #expect(abs(Double(bbbNTA[k]) - n * f) <= max(4 * sd, 0), "k \(k): \(bbbNTA[k]) of \(bbbAll[k]), share \(f)")
        }
    }

    @Test func rampRestartsWhenTheRuleActivatesAgain() {
        let rule = RestrictionRule(effective: CivilDate(iso: "2024-01-01")!, activateAt: 100, deactivateBelow: 50,
                                   deactivateAfterDays: 2)
        var state = RestrictionRuleState()
        // Day 0 not evaluated; high on days 1-3, low on 4-5 (ends on 5), high again from 6.
        let means: [Double] = [0, 200, 200, 200, 10, 10, 200, 200, 200]
        var strengths: [Double] = []
        for (day, mean) in means.enumerated() {
            state.advance(day: day, effectiveDay: 0, meanOfPreviousDays: mean, rule: rule)
            strengths.append(state.strength(rampDays: 3))
        }
        let third = 1.0 / 3
        #expect(strengths == [0, third, 2 * third, 1, 1, 0, third, 2 * third, 1])
    }

    @Test func suspendedRouteFliesNothingAndListsItsWouldBeFlights() throws {
        // Fixed dates: both planned departures are listed as suspended.
        let yaml = flightScenario(ready: 100, minLoad: 0).replacingOccurrences(of: "schedule: { dates: [2024-03-01] }",
                                                                            with: "suspended: true, schedule: { dates: [2024-03-01, 2024-03-01] }")
        let log = simulate(try scenario(yaml).scenario)
        #expect(log.flights.map(\.status) == [.suspended, .suspended])
        #expect(log.flights.allSatisfy { $0.boarded == 0 })
        #expect(log.countries[0][0].removalsCharter == 0 && log.countries[0][0].flights == 0)
        #expect(log.border[0].flightsCancelled == 0 && log.border[0].flightsFlown == 0 && log.border[0].seatsFlown == 0)
    }

    @Test func eventsSuspendAndResumeARouteWithItsDepartureDaysUnchanged() throws {
        // per_month 30: about one departure a day. Suspended by an event from
        // day 10 to day 19; the would-be departures are the baseline's.
        let base = """
        start: 2024-04-01
        end: 2024-04-30
        countries:
          AAA:
            encounters: { per_day: 50 }
            pathways: { expedited_removal: 1, notice_to_appear: 0, voluntary_return: 0 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 1 }
            initial: { detained_ready: 500 }
        routes:
          - { id: daily, countries: [AAA], seats: 20, schedule: { per_month: 25 } }
        """
        let variant = base + """

        events:
          - { date: 2024-04-11, set: { routes.daily.suspended: true } }
          - { date: 2024-04-21, set: { routes.daily.suspended: false } }
        """
        let a = simulate(try scenario(base).scenario), b = simulate(try scenario(variant).scenario)
        #expect(a.flights.map(\.day) == b.flights.map(\.day))
        #expect(a.flights.contains { (10..<20).contains($0.day) })
        for (x, y) in zip(a.flights, b.flights) {
            if (10..<20).contains(x.day) {
                #expect(y.status == .suspended && y.boarded == 0)
            } else if x.day < 10 {
                #expect(x.status == y.status && x.boarded == y.boarded)
            } else {
                #expect(y.status != .suspended)
            }
        }
        #expect(b.countries[10..<20].allSatisfy { $0[0].removalsCharter == 0 })
    }
}
