import Testing
@testable import DeportSimCore

/// The small state types of the day step, on inputs whose answer is known.
@Suite("Day step state")
struct DayStateTests {
    // MARK: 7-day window

    @Test func windowAveragesTheDaysThereAreAtTheStart() {
        var window = EncounterWindow()
        #expect(window.mean(counts: .all, countedShare: 1) == nil)
        window.append(borderPatrol: 10, ports: 0)
        window.append(borderPatrol: 20, ports: 0)
        #expect(window.mean(counts: .all, countedShare: 1) == 15)
        // The counted share scales the mean, the only place it applies.
        #expect(window.mean(counts: .all, countedShare: 0.5) == 7.5)
    }

    @Test func windowKeepsTheLastSevenDays() {
        var window = EncounterWindow()
        for n in 1...9 { window.append(borderPatrol: n, ports: 0) }
        // Days 3...9 remain: sum 42 over 7 days.
        #expect(window.dayCount == 7 && window.borderPatrolSum == 42)
        #expect(window.mean(counts: .all, countedShare: 1) == 6)
        for _ in 0..<7 { window.append(borderPatrol: 0, ports: 0) }
        #expect(window.borderPatrolSum == 0 && window.mean(counts: .all, countedShare: 1) == 0)
    }

    @Test func windowCountsWhatTheRuleNames() {
        var window = EncounterWindow()
        window.append(borderPatrol: 30, ports: 6)
        window.append(borderPatrol: 10, ports: 2)
        #expect(window.mean(counts: .borderPatrol, countedShare: 1) == 20)
        #expect(window.mean(counts: .ports, countedShare: 1) == 4)
        #expect(window.mean(counts: .all, countedShare: 1) == 24)
        #expect(window.mean(counts: .all, countedShare: 0.5) == 12)
    }

    // MARK: Restriction rule

    static let rule = RestrictionRule(effective: CivilDate(iso: "2024-01-01")!, activateAt: 100, deactivateBelow: 50,
                                      deactivateAfterDays: 3, deactivateDelayDays: 2)

    /// Whether the rule is active on each day, given each day's 7-day mean
    /// of the previous days (nil: none yet).
    func activeDays(_ means: [Double?], rule: RestrictionRule = Self.rule, effectiveDay: Int = 0) -> [Bool] {
        var state = RestrictionRuleState()
        return means.enumerated().map { day, mean in
            state.advance(day: day, effectiveDay: effectiveDay, meanOfPreviousDays: mean, rule: rule)
            return state.isActive
        }
    }

    @Test func ruleIsNotEvaluatedOnTheFirstDayNorBeforeEffective() {
        #expect(activeDays([500, 500]) == [false, true])
        #expect(activeDays([500, 500, 500, 500], effectiveDay: 3) == [false, false, false, true])
        #expect(activeDays([nil, nil]) == [false, false])
    }

    @Test func ruleActivatesAtTheThresholdItself() {
        #expect(activeDays([0, 99.9, 100]) == [false, false, true])
    }

    @Test func hysteresisBandKeepsEachStateAndRestartsTheLowCount() {
        // Inactive: a mean between the thresholds does not activate.
        #expect(activeDays([0, 75, 75, 75]) == [false, false, false, false])
        // Active: two low days, one in the band (count restarts), then three
        // low days (days 5-7): the end is fixed on day 7, inactive from day 9.
        let means: [Double?] = [0, 200, 40, 40, 75, 40, 40, 40, 40, 40, 40]
        #expect(activeDays(means) == [false, true, true, true, true, true, true, true, true, false, false])
    }

    @Test func ruleCountsNoLowDaysOnItsActivationDayAndStopsCountingOnceTheEndIsFixed() {
        var state = RestrictionRuleState()
        state.advance(day: 1, effectiveDay: 0, meanOfPreviousDays: 200, rule: Self.rule)
        #expect(state.isActive && state.lowDays == 0)
        for day in 2...4 { state.advance(day: day, effectiveDay: 0, meanOfPreviousDays: 10, rule: Self.rule) }
        #expect(state.isActive && state.endDay == 6)
        // A high mean during the delay changes nothing.
        state.advance(day: 5, effectiveDay: 0, meanOfPreviousDays: 500, rule: Self.rule)
        #expect(state.isActive && state.lowDays == 3 && state.endDay == 6)
    }

    @Test func ruleMayActivateAgainOnTheDayItEnds() {
        let means: [Double?] = [0, 200, 10, 10, 10, 10, 200, 200]
        // End fixed on day 4 (third low day), due day 6, when the mean is high again.
        #expect(activeDays(means) == [false, true, true, true, true, true, true, true])
        var state = RestrictionRuleState()
        for (day, mean) in means.enumerated() {
            state.advance(day: day, effectiveDay: 0, meanOfPreviousDays: mean, rule: Self.rule)
        }
        #expect(state.endDay == nil && state.lowDays == 0)
    }

    @Test func ruleWithoutDelayEndsTheDayTheCountIsReached() {
        var rule = Self.rule
        rule.deactivateDelayDays = 0
        #expect(activeDays([0, 200, 10, 10, 10, 10], rule: rule) == [false, true, true, true, false, false])
    }

    // MARK: Admission-day cohorts

    @Test func documentsTakeTheOldestCohortsFirst() {
        let cohorts = AdmissionCohorts(initial: [[AgeCohort(days: 1, count: 5)], [AgeCohort(days: 1, count: 8)]], firstDay: 0, dayCount: 10)
        defer { cohorts.deallocate() }
        cohorts.admit(3, country: 0, day: 0)
        cohorts.admit(4, country: 0, day: 1)
        cohorts.removeOldest(6, country: 0, day: 1)
        #expect((-1...1).map { cohorts.count(country: 0, admittedOn: $0) } == [0, 2, 4])
        // The other country's cohorts are its own.
        #expect(cohorts.count(country: 1, admittedOn: -1) == 8)
        // Past empty cohorts, down to today's.
        for day in 2...5 { cohorts.admit(0, country: 0, day: day) }
        cohorts.admit(9, country: 0, day: 6)
        cohorts.removeOldest(10, country: 0, day: 6)
        #expect(cohorts.count(country: 0, admittedOn: 1) == 0 && cohorts.count(country: 0, admittedOn: 6) == 5)
        cohorts.removeOldest(0, country: 0, day: 6)
        #expect(cohorts.count(country: 0, admittedOn: 6) == 5)
    }

    @Test func limitReleasesEveryCohortAdmittedThroughADay() {
        let cohorts = AdmissionCohorts(initial: [[AgeCohort(days: 1, count: 5)]], firstDay: 0, dayCount: 10)
        defer { cohorts.deallocate() }
        for day in 0...3 { cohorts.admit(day + 1, country: 0, day: day) }
        #expect(cohorts.release(admittedThrough: -2, country: 0, day: 3) == 0)
        // The initial cohort and those of days 0 and 1.
        #expect(cohorts.release(admittedThrough: 1, country: 0, day: 3) == 5 + 1 + 2)
        #expect(cohorts.count(country: 0, admittedOn: 2) == 3)
        // Nothing is released twice; documents then find the remaining cohorts.
        #expect(cohorts.release(admittedThrough: 1, country: 0, day: 3) == 0)
        cohorts.removeOldest(4, country: 0, day: 3)
        #expect(cohorts.count(country: 0, admittedOn: 2) == 0 && cohorts.count(country: 0, admittedOn: 3) == 3)
    }

    @Test func limitOfOneDayReleasesTodaysCohortToo() {
        let cohorts = AdmissionCohorts(initial: [[AgeCohort(days: 1, count: 2)]], firstDay: 0, dayCount: 3)
        defer { cohorts.deallocate() }
        cohorts.admit(7, country: 0, day: 0)
        // max_detention_days 1 on day 0: admitted through day 0.
        #expect(cohorts.release(admittedThrough: 0, country: 0, day: 0) == 9)
        cohorts.admit(4, country: 0, day: 1)
        cohorts.removeOldest(4, country: 0, day: 1)
        #expect(cohorts.count(country: 0, admittedOn: 1) == 0)
        // A limit later than today's admissions still stops at today's cohort.
        cohorts.admit(6, country: 0, day: 2)
        #expect(cohorts.release(admittedThrough: 5, country: 0, day: 2) == 6)
    }
}
