import Testing
@testable import DeportSimCore
@testable import DeportSimIO

/// Records warm-up days too (docs/model.md 2.9): which days were seen.
struct WarmupLog: DayObserver {
    var wantsFlights: Bool { false }
    var warmup: [(day: Int, encounters: Int)] = []
    var days: [CountryDay] = []
    var border: [BorderDay] = []
    mutating func observeWarmup(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay) {
        warmup.append((day, countries[0].encounters))
    }
    mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay, flights: ArraySlice<FlightRecord>) {
        days.append(countries[0])
        self.border.append(border)
    }
}

func runWithWarmup(_ s: Scenario, replication: Int = 0) -> WarmupLog {
    var log = WarmupLog()
    Simulator(scenario: s).run(replication: replication, observer: &log)
    return log
}

@Suite("Warm start and the initial age profile")
struct WarmStartTests {
    @Test func warmupDaysRunBeforeStartAndAreNotRecorded() throws {
        let s = try scenario(oneCountry(days: 20, extra: "warmup_days: 15")).scenario
        #expect(s.warmupDays == 15)
        let log = runWithWarmup(s)
        #expect(log.warmup.map(\.day) == Array(-15 ... -1))
        #expect(log.days.count == 20)
        // The stocks at start carry the warm-up's encounters: pending is not 0 on day 0.
        let plain = runWithWarmup(try scenario(oneCountry(days: 20)).scenario)
        #expect(plain.warmup.isEmpty)
        #expect(log.days[0].pending > plain.days[0].pending)
    }

    @Test func runDaysDrawTheSameNumbersWhateverTheWarmup() throws {
        // Without deterrence an encounter count depends on its day's seed
        // only, so the run's days (and the warm-up days both have) draw the
        // same counts for every warm-up length (docs/model.md 2.9).
        let logs = try [0, 10, 30].map { try runWithWarmup(try scenario(oneCountry(days: 20, extra: "warmup_days: \($0)")).scenario) }
        let counts = logs.map { $0.days.map(\.encounters) }
        #expect(counts[0] == counts[1] && counts[1] == counts[2])
        #expect(Array(logs[2].warmup.suffix(10).map(\.encounters)) == logs[1].warmup.map(\.encounters))
        // Warm-up days have seeds of their own: not those of the run's days.
        #expect(logs[2].warmup.suffix(20).map(\.encounters) != counts[0])
    }

    @Test func warmupFillsTheRuleWindowSoTheRuleMayBeActiveOnTheFirstDay() throws {
        let rule = """
        border:
          other_encounters: { per_day: 3000 }
          restrictions: { effective: 2023-01-01, activate_at: 2500, deactivate_below: 1500, deactivate_after_days: 5 }
        """
        let cold = runWithWarmup(try scenario(oneCountry(days: 10, extra: rule)).scenario)
        let warm = runWithWarmup(try scenario(oneCountry(days: 10, extra: rule + "\nwarmup_days: 7")).scenario)
        #expect(!cold.border[0].restrictionActive && cold.border[1].restrictionActive)
        #expect(warm.border[0].restrictionActive)
        // Seven warm-up days fill the window: the first day's 7-day average has seven days.
        #expect(warm.border[0].encounters7dayAverage > 2500)
    }

    @Test func warmupCannotBeSetByAnEvent() throws {
        #expect(throws: DeportSimError.self) {
            try scenario(oneCountry(days: 10, extra: "events:\n  - { date: 2024-01-05, set: { warmup_days: 3 } }"))
        }
    }

    // MARK: Age profile

    @Test func steadyStateProfileIsTheClosedForm() {
        // p x L <= 1: the ages 1...L-1; p x L > 1: floor(1/p) - 1 ages.
        let slow = InitialAgeProfile.steadyState.cohorts(total: 4900, documentProbability: 0.01, maxDetentionDays: 50)
        #expect(slow.map(\.days) == Array(1...49) && slow.allSatisfy { $0.count == 100 })
        let fast = InitialAgeProfile.steadyState.cohorts(total: 100, documentProbability: 0.1, maxDetentionDays: 180)
        // 100 over 9 cohorts: 11 each, the one left over to the youngest.
        #expect(fast.map(\.days) == Array(1...9))
        #expect(fast.map(\.count) == [12] + Array(repeating: 11, count: 8))
        #expect(InitialAgeProfile.oneCohort.cohorts(total: 7, documentProbability: 0.5, maxDetentionDays: 3) == [AgeCohort(days: 1, count: 7)])
        // No documents and a limit of 1 day: one cohort, released on the first day.
        #expect(InitialAgeProfile.steadyState.cohorts(total: 5, documentProbability: 0, maxDetentionDays: 1) == [AgeCohort(days: 1, count: 5)])
    }

    @Test func ageListSetsTheStockAndMustMatchIt() throws {
        let s = try scenario(oneCountry(days: 10, country: "initial: { detained_awaiting_age: [[3, 40], [1, 2]] }",
                                        extra: "capacity: { max_detention_days: 5 }")).scenario
        #expect(s.parameters.countries[0].initial.detainedAwaiting == 42)
        #expect(throws: DeportSimError.self) {
            try scenario(oneCountry(days: 10, country: "initial: { detained_awaiting: 10, detained_awaiting_age: [[3, 40]] }"))
        }
        #expect(throws: DeportSimError.self) {
            try scenario(oneCountry(days: 10, country: "initial: { detained_awaiting_age: [[0, 40]] }"))
        }
        #expect(throws: DeportSimError.self) {
            try scenario(oneCountry(days: 10, country: "initial: { detained_awaiting_age: steady }"))
        }
    }

    @Test func agedCohortsLeaveAtTheLimitOnTheirDay() throws {
        // No documents; limit 5: the cohort of age d leaves on day 5 - 1 - d (docs/model.md 3.1).
        let yaml = oneCountry(days: 10, country: "initial: { detained_awaiting_age: [[3, 40], [1, 2], [4, 7]] }",
                              extra: "capacity: { max_detention_days: 5 }")
            .replacingOccurrences(of: "cooperation: 1", with: "cooperation: 0")
            .replacingOccurrences(of: "per_day: 20", with: "per_day: 0")
        let log = runWithWarmup(try scenario(yaml).scenario)
        #expect(log.days.prefix(5).map(\.releasedAtLimit) == [7, 40, 0, 2, 0])
    }

    /// A stationary scenario: Poisson(a) admissions a day, documents with
    /// p = 1/100 oldest first, limit L = 50 (p x L = 0.5 <= 1), and the
    /// initial stock N0 = a x (L - 1) in its steady-state profile. Releases
    /// at the limit are then flat from the first day: E = a x (1 - p x L) = 50
    /// a day (docs/model.md 3.1), while one cohort gives none for L - 2 days
    /// and then a wave.
    static func stationary(age: String) -> String {
        """
        start: 2024-01-01
        end: 2024-05-29
        capacity: { max_detention_days: 50 }
        countries:
          AAA:
            encounters: { per_day: 100 }
            pathways: { expedited_removal: 1, notice_to_appear: 0, voluntary_return: 0 }
            court: { mean_days: 100, order_rate: 0.5 }
            travel_documents: { mean_days: 100 }
            initial: { detained_awaiting: 4900, detained_awaiting_age: \(age) }
        """
    }

    @Test func steadyStateProfileGivesAFlatReleaseRate() throws {
        let s = try scenario(Self.stationary(age: "steady_state")).scenario
        let expectedPerDay = 100 * (1 - 0.01 * 50.0)
        let replications = 40
        // Per replication, the mean releases a day over three windows of L - 1 days:
        // the initial cohorts' (days 0-48), then the simulated cohorts'.
        let windows = [0..<49, 49..<98, 98..<147]
        var means = [[Double]](repeating: [], count: windows.count)
        for r in 0..<replications {
            let days = runWithWarmup(s, replication: r).days.map(\.releasedAtLimit)
            for (w, range) in windows.enumerated() {
                means[w].append(Double(days[range].reduce(0, +)) / Double(range.count))
            }
        }
        for (w, m) in means.enumerated() {
            let mean = m.reduce(0, +) / Double(m.count)
            let variance = m.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(m.count - 1)
            // 4 standard errors of the replications' window means.
            let tolerance = 4 * (variance / Double(m.count)).squareRoot()
            #expect(abs(mean - expectedPerDay) <= tolerance, "window \(w): \(mean) a day, expected \(expectedPerDay) within \(tolerance)")
        }
        // The first days are on the rate too, not a ramp: days 0-9 of every replication.
        var firstDays = 0
        for r in 0..<replications { firstDays += runWithWarmup(s, replication: r).days.prefix(10).map(\.releasedAtLimit).reduce(0, +) }
        // Each of these days releases 100 - Bin(about 5000, 0.01): sd about 7 a day.
        let firstMean = Double(firstDays) / Double(10 * replications)
        #expect(abs(firstMean - expectedPerDay) <= 4 * 7.1 / Double(10 * replications).squareRoot())

        // One cohort: nothing for L - 2 days, then the wave.
        let one = runWithWarmup(try scenario(Self.stationary(age: "one_cohort")).scenario).days.map(\.releasedAtLimit)
        #expect(one.prefix(48).allSatisfy { $0 == 0 })
        #expect(one[48] > 1000)
    }
}
