import Testing
import GSLSupport
@testable import DeportSimCore
@testable import DeportSimIO

/// Each step of MODEL.md's day on small scenarios whose outcome is certain.
@Suite("Day steps")
struct DayStepTests {
    @Test func zeroCountsStayZero() throws {
        let s = try baseScenario(days: 30, setting: ["countries.AAA.encounters.per_day=0"]).scenario
        let log = simulate(s)
        for day in log.countries {
            #expect(day[0].encounters == 0 && day[0].courtDecisions == 0 && day[0].removalsCommercial == 0)
            #expect(day[0].stockTotal == 0)
        }
    }

    @Test func fullBedsAdmitNobody() throws {
        let s = try scenario(oneCountry(days: 30, country: "at_large: { arrest_rate_per_year: 0.5 }\ninitial: { at_large: 1000, detained_awaiting: 50 }\ncredible_fear: { claim_rate: 0 }",
                                        extra: "capacity: { detention_beds: 50 }")).scenario
        let log = simulate(s)
        // Awaiting people occupy every bed until documents free some.
        let day0 = log.countries[0][0]
        #expect(day0.bookIns == 0)
        #expect(day0.releasedUnadmitted == day0.expeditedRemoval)
        var occupiedBefore = 50
        for (t, day) in log.countries.enumerated() {
            let c = day[0]
            #expect(c.bookIns <= max(0, 50 - occupiedBefore), "day \(t): admitted beyond free beds")
            #expect(c.releasedUnadmitted + min(c.expeditedRemoval, c.bookIns) == c.expeditedRemoval)
            occupiedBefore = c.detainedAwaiting + c.detainedReady
        }
    }

    @Test func bedsAreSharedByLargestRemainder() {
        #expect(largestRemainder(total: 10, weights: [5, 5, 5]) == [4, 3, 3])  // tie: the first in scenario order
        #expect(largestRemainder(total: 7, weights: [1, 2, 4]) == [1, 2, 4])
        #expect(largestRemainder(total: 0, weights: [3, 4]) == [0, 0])
        #expect(largestRemainder(total: 3, weights: [0, 0, 9]) == [0, 0, 3])
        // quotas 1.5, 1.5, 2 -> 1, 1, 2 and one left for the first of the tied remainders
        #expect(largestRemainder(total: 5, weights: [3, 3, 4]) == [2, 1, 2])
    }

    /// The packed integers' selection and the tuples' sort (for sums too
    /// large to pack) give the definition's shares: quotas, then one each to the
    /// largest remainders, ties to the lower index, summing to the total.
    @Test func largestRemainderFollowsItsDefinitionWhateverTheSum() {
        func byDefinition(_ total: Int, _ w: [Int]) -> [Int] {
            let sum = w.reduce(0, +)
            var q = w.map { total * $0 / sum }
            let order = w.indices.sorted { a, b in
                let ra = total * w[a] % sum, rb = total * w[b] % sum
                return ra != rb ? ra > rb : a < b
            }
            for i in order.prefix(total - q.reduce(0, +)) { q[i] += 1 }
            return q
        }
        let stream = RandomStream(kind: .taus2, seed: 3)
        for trial in 0..<400 {
            let n = 1 + trial % 230
            // Up to 2^52 a weight: the largest sums leave no room to pack the index.
            let scale = [10, 1_000, 1 << 30, 1 << 52][trial % 4]
            let w = (0..<n).map { _ in Int(stream.uniform() * Double(scale)) + (trial % 3 == 0 ? 0 : 1) }
            let sum = w.reduce(0, +)
            guard sum > 0 else { continue }
            let total = min(sum, Int(stream.uniform() * Double(min(sum, 1 << 10))))
            let got = largestRemainder(total: total, weights: w)
            #expect(got == byDefinition(total, w), "weights \(w.prefix(5))... total \(total)")
            #expect(got.reduce(0, +) == total)
        }
        // Equal weights (the steady-state cohorts): every remainder ties.
        for (n, total) in [(36_525, 1_000_000), (7, 3), (1_000, 999)] {
            let w = [Int](repeating: 1, count: n)
            #expect(largestRemainder(total: total, weights: w) == byDefinition(total, w))
        }
    }

    /// Hoare's FIND leaves the k smallest keys first, for every k, on keys
    /// in random, sorted and reversed order, and taken from both ends in turn.
    @Test func selectionMovesTheSmallestKeysFirst() {
        let stream = RandomStream(kind: .taus2, seed: 11)
        for n in [2, 3, 5, 17, 200, 1_001] {
            // Distinct keys in the order drawn.
            var drawn: [UInt64] = [], seen = Set<UInt64>()
            while drawn.count < n {
                let key = UInt64(stream.uniform() * 1e12)
                if seen.insert(key).inserted { drawn.append(key) }
            }
            let random = drawn.sorted()
            let shapes: [[UInt64]] = [drawn, random, random.reversed(),
                                      random.enumerated().map { $0.offset % 2 == 0 ? $0.element : random[random.count - 1 - $0.offset] }]
            for keys in shapes {
                let sorted = keys.sorted()
                for k in Set([0, 1, keys.count / 2, keys.count - 1, keys.count]) {
                    var a = keys
                    moveSmallestFirst(k, of: &a)
                    #expect(Set(a.prefix(k)) == Set(sorted.prefix(k)), "n \(n) k \(k)")
                    #expect(a.sorted() == sorted)
                }
            }
        }
    }

    /// The period recorder against the definition (docs/model.md 11): a
    /// country row sums its flows and keeps its stocks of the period's last
    /// day; ALL sums the countries' flows, holds the sum of their stocks on
    /// the last day, counts each flight once (the border's flights flown,
    /// not the countries'), and sums or keeps the border-wide metrics; over
    /// weekly periods, the first and last partial, on made-up days.
    @Test func periodRecorderSumsEachPeriodAsDefined() {
        let start = CivilDate(year: 2024, month: 1, day: 3)!, end = CivilDate(year: 2024, month: 2, day: 20)!
        let calendar = PeriodCalendar(kind: .week, start: start, end: end)
        let layout = CellLayout(periods: calendar.periods, countryCodes: ["AAA", "BBB", "CCC"], reportsEncounterStreams: true)
        var recorder = PeriodRecorder(layout: layout, calendar: calendar)
        var expected = [Double](repeating: 0, count: layout.cellCount)
        let stream = RandomStream(kind: .taus2, seed: 5)
        func count() -> Int { stream.uniformInt(below: 50) }
        for d in calendar.periodOfDay.indices {
            let countries = (0..<3).map { _ -> CountryDay in
                var c = CountryDay()
                c.encounters = count(); c.encountersBorderPatrol = count(); c.encountersPorts = count()
                c.expeditedRemoval = count(); c.noticeToAppear = count(); c.voluntaryReturn = count()
                c.fearClaims = count(); c.fearPassed = count(); c.courtDecisions = count(); c.removalOrders = count()
                c.relief = count(); c.departures = count(); c.arrests = count(); c.bookIns = count()
                c.releasedUnadmitted = count(); c.documentsIssued = count(); c.releasedAtLimit = count()
                c.removalsCharter = count(); c.removalsCommercial = count(); c.flights = stream.uniformInt(below: 3)
                c.seatsUsed = count(); c.pending = count(); c.atLarge = count(); c.detainedAwaiting = count(); c.detainedReady = count()
                return c
            }
            var border = BorderDay()
            border.encountersTotal = count(); border.otherEncounters = count(); border.encounters7dayAverage = Double(count()) / 7
            border.restrictionActive = d % 3 == 0; border.bedsOccupied = count(); border.flightsCancelled = count()
            // A flight may carry several countries: fewer flown than the countries' flights add up to.
            border.flightsFlown = countries.map(\.flights).max()!; border.seatsFlown = count()
            border.costDetention = Double(count()) * 165.5; border.costCharter = Double(count()) * 8577.25; border.costCommercial = Double(count())
            countries.withUnsafeBufferPointer { recorder.observe(day: d, countries: $0, border: border, flights: []) }
            let p = calendar.periodOfDay[d]
            func add(_ row: Int, _ m: Metric, _ x: Double) {
                let i = layout.cell(period: p, row: row, metric: m)
                expected[i] = m.isStock ? x : expected[i] + x
            }
            for m in Metric.perCountry {
                for c in 0..<3 { add(c, m, countries[c].value(m)) }
                add(layout.allRow, m, m == .flights ? Double(border.flightsFlown) : countries.map { $0.value(m) }.reduce(0, +))
            }
            for m in Metric.borderWide { add(layout.allRow, m, border.value(m)) }
        }
        #expect(calendar.periods.count == 8)
        #expect(recorder.values == expected)
    }

    @Test func suspendedCountryIssuesNoDocumentsAndReleasesAtTheLimit() throws {
        let s = try baseScenario(days: 40, setting: ["countries.AAA.travel_documents.cooperation=0",
                                                     "countries.AAA.initial.detained_awaiting=30", "capacity.max_detention_days=10"]).scenario
        let log = simulate(s)
        #expect(log.countries.allSatisfy { $0[0].documentsIssued == 0 && $0[0].removalsCommercial == 0 })
        // The initial cohort was admitted the day before start (a = -1): it
        // leaves on day t with t - a + 1 >= 10, i.e. t = 8.
        #expect(log.countries[7][0].releasedAtLimit == 0)
        #expect(log.countries[8][0].releasedAtLimit == 30)
        // A cohort admitted on day a leaves on day a + 9.
        for t in 0..<(40 - 9) {
            #expect(log.countries[t + 9][0].releasedAtLimit == log.countries[t][0].bookIns)
        }
        #expect(log.countries.map { $0[0].bookIns }.reduce(0, +) > 0)
    }

    @Test func oldestCohortsGetDocumentsFirst() throws {
        // Cooperation 1, mean 1 day: every awaiting person is documented on the day, so nobody reaches the limit.
        let s = try baseScenario(days: 20, setting: ["countries.AAA.initial.detained_awaiting=40",
                                                     "countries.AAA.travel_documents.mean_days=1", "capacity.max_detention_days=1"]).scenario
        let log = simulate(s)
        #expect(log.countries[0][0].documentsIssued == 40 + log.countries[0][0].bookIns)
        #expect(log.countries.allSatisfy { $0[0].releasedAtLimit == 0 && $0[0].detainedAwaiting == 0 })
    }

    func flightScenario(ready: Int, readyB: Int = 0, seats: Int = 100, minLoad: Double = 0.5, extraRoute: String = "", cap: String = "") -> String {
        """
        start: 2024-03-01
        end: 2024-03-01
        \(cap)
        countries:
        \([("AAA", ready), ("BBB", readyB)].map { code, n in """
          \(code):
            encounters: { per_day: 0 }
            pathways: { expedited_removal: 1, notice_to_appear: 0, voluntary_return: 0 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 10, cooperation: 0 }
            initial: { detained_ready: \(n) }
        """ }.joined(separator: "\n"))
        routes:
          - { id: r1, countries: [AAA, BBB], seats: \(seats), min_load: \(minLoad), block_hours: 5, schedule: { dates: [2024-03-01] } }
        \(extraRoute)
        costs: { charter_flight_hour: 1000 }
        """
    }

    @Test func flightWithTooFewReadyIsCancelled() throws {
        let log = simulate(try scenario(flightScenario(ready: 40)).scenario)
        #expect(log.flights.count == 1 && log.flights[0].status == .cancelledLoad)
        #expect(log.countries[0][0].removalsCharter == 0 && log.border[0].flightsCancelled == 1)
        let flown = simulate(try scenario(flightScenario(ready: 60)).scenario)
        #expect(flown.flights[0].status == .flown && flown.flights[0].boarded == 60)
        #expect(flown.border[0].costCharter == 5000)
        // Nobody ready: cancelled even with min_load 0.
        let empty = simulate(try scenario(flightScenario(ready: 0, minLoad: 0)).scenario)
        #expect(empty.flights[0].status == .cancelledLoad)
    }

    @Test func multiCountryBoardingSharesSeatsByReadyCounts() throws {
        let log = simulate(try scenario(flightScenario(ready: 30, readyB: 90, seats: 60, minLoad: 0)).scenario)
        #expect(log.flights[0].boardedByCountry == [15, 45])
        #expect(log.countries[0][0].removalsCharter == 15 && log.countries[0][1].removalsCharter == 45)
        #expect(log.countries[0][0].flights == 1 && log.countries[0][1].flights == 1 && log.border[0].flightsFlown == 1)
        #expect(log.countries[0][0].detainedReady == 15 && log.countries[0][1].detainedReady == 45)
    }

    @Test func dailyCharterCapCancelsTheRestWithoutADraw() throws {
        let route2 = "  - { id: r2, countries: [BBB], seats: 10, schedule: { dates: [2024-03-01, 2024-03-01] } }"
        let log = simulate(try scenario(flightScenario(ready: 100, readyB: 100, minLoad: 0, extraRoute: route2,
                                                      cap: "capacity: { charter_flights_per_day: 2 }")).scenario)
        #expect(log.flights.map(\.status) == [.flown, .flown, .cancelledCap])
        #expect(log.flights.map(\.routeIndex) == [0, 1, 1])
    }

    @Test func restrictionRuleActivatesAndEndsWithHysteresisAndDelay() throws {
        // Other encounters ~3,000 a day (sd 55: far from both thresholds), 1,000 from day 20.
        let log = simulate(try baseScenario(setting: [
            "countries.AAA.encounters.per_day=0", "border.other_encounters.per_day=3000",
            "border.restrictions={effective: 2023-12-01, activate_at: 2500, deactivate_below: 1500, deactivate_after_days: 5, deactivate_delay_days: 3}",
            "events=[{date: 2024-01-21, set: {border.other_encounters.per_day: 1000}}]",
        ]).scenario)
        let active = log.border.map(\.restrictionActive)
        // Not evaluated on the first day; active from day 1.
        #expect(active[0] == false && active[1] == true)
        // Day 20 is the first low day; the 7-day mean is below 1,500 from day 26
        // (six low days of seven); the fifth low day is day 30; inactive from day 33.
        #expect(active[32] == true && active[33] == false)
        #expect(active.filter { $0 }.count == 32)
    }

    @Test func restrictionRuleWithoutDelayEndsTheDayTheCountIsReached() throws {
        let active = simulate(try baseScenario(setting: [
            "countries.AAA.encounters.per_day=0", "border.other_encounters.per_day=3000",
            "border.restrictions={effective: 2024-01-01, activate_at: 2500, deactivate_below: 1500, deactivate_after_days: 5}",
            "events=[{date: 2024-01-21, set: {border.other_encounters.per_day: 1000}}]",
        ]).scenario).border.map(\.restrictionActive)
        #expect(active[29] == true && active[30] == false)
    }

    @Test func whileActiveOverridesSharesAndScalesEncounters() throws {
        // Poisson 1,000 a day for the country and 3,000 other encounters; the
        // multiplier 0.5 scales both while active (precise semantics 3). The
        // 7-day mean then stays near 2,000, above deactivate_below: active
        // from day 1 to the end.
        let countryPerDay = 1000.0, otherPerDay = 3000.0, multiplier = 0.5, days = 30
        let yaml = oneCountry(days: days, extra: """
        border:
          other_encounters: { per_day: \(otherPerDay) }
          restrictions:
            effective: 2024-01-01
            activate_at: 2500
            deactivate_below: 1500
            deactivate_after_days: 5
            while_active: { pathways: { expedited_removal: 0, notice_to_appear: 0, voluntary_return: 1 }, encounter_multiplier: \(multiplier) }
        """).replacingOccurrences(of: "encounters: { per_day: 20 }", with: "encounters: { per_day: \(countryPerDay) }")
        let log = simulate(try scenario(yaml).scenario)
        #expect(!log.border[0].restrictionActive)
        for t in 1..<days {
            #expect(log.border[t].restrictionActive)
            let c = log.countries[t][0]
            #expect(c.voluntaryReturn == c.encounters && c.expeditedRemoval == 0)
        }
        // Sums of independent Poisson days are Poisson: over the 29 active
        // days, mean 29 x per_day x multiplier and sd its square root; 4 sd
        // is far below the multiplier's effect (a shift of 29 x per_day x 0.5).
        let activeDays = Double(days - 1)
        func expectPoissonSum(_ sum: Int, perDay: Double) {
            let mean = activeDays * perDay * multiplier
            #expect(abs(Double(sum) - mean) <= 4 * mean.squareRoot(), "sum \(sum), expected \(mean)")
        }
        expectPoissonSum(log.countries[1...].map { $0[0].encounters }.reduce(0, +), perDay: countryPerDay)
        expectPoissonSum(log.border[1...].map(\.otherEncounters).reduce(0, +), perDay: otherPerDay)
        // Inactive on day 0: no multiplier.
        #expect(abs(Double(log.countries[0][0].encounters) - countryPerDay) <= 4 * countryPerDay.squareRoot())
        #expect(abs(Double(log.border[0].otherEncounters) - otherPerDay) <= 4 * otherPerDay.squareRoot())
    }

    @Test func detentionLimitLoweredByAnEventReleasesEveryCohortPastIt() throws {
        let log = simulate(try baseScenario(days: 30, setting: [
            "countries.AAA.travel_documents.cooperation=0", "countries.AAA.initial.detained_awaiting=25",
            "capacity.max_detention_days=100", "events=[{date: 2024-01-21, set: {capacity.max_detention_days: 5}}]",
        ]).scenario)
        let day20 = log.countries[20][0]
        // Cohorts admitted on days -1...16 have stayed >= 5 days on day 20.
        let expected = 25 + (0...16).map { log.countries[$0][0].bookIns }.reduce(0, +)
        #expect(day20.releasedAtLimit == expected)
        #expect((0..<20).allSatisfy { log.countries[$0][0].releasedAtLimit == 0 })
    }

    @Test func everyDaysScheduleJittersWithinBoundsAndKeepsDatesInTheRun() throws {
        let yaml = """
        start: 2024-01-01
        end: 2024-12-20
        countries:
          AAA:
            encounters: { per_day: 0 }
            pathways: { expedited_removal: 1, notice_to_appear: 0, voluntary_return: 0 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 10, cooperation: 0 }
            initial: { detained_ready: 100000 }
        routes:
          - { id: r, countries: [AAA], seats: 10, schedule: { every_days: 30, first: 2024-01-10, jitter_days: 4 } }
        """
        let s = try scenario(yaml).scenario
        for rep in 0..<20 {
            let days = simulate(s, replication: rep).flights.map(\.day)
            #expect(days.count == 12)
            for (k, d) in days.enumerated() { #expect(abs(d - (9 + 30 * k)) <= 4) }
        }
    }
}
