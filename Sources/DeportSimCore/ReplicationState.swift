#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything one replication changes from day to day: the values in
/// force, the stocks of docs/model.md's "State per country", the border-wide
/// state and today's records.
///
/// Per-country values sit in flat buffers allocated by `init` and freed by
/// `deallocate()`: the day step writes them without copy-on-write checks,
/// which keeps it as fast as one hand-written loop. Copying the value copies
/// the buffers' addresses, not their contents, so a replication keeps one.
struct ReplicationState {
    // Values in force: the scenario's, swapped on event days (step 1).
    var parameters: ModelParameters
    var derived: DerivedParameters
    /// This replication's values from each entry of `Scenario.changes` on
    /// (the scenario's, with its uncertain inputs set where events leave them).
    let changes: [ModelParameters]
    /// The next entry of `changes` to apply.
    var nextChange = 0
    /// The monthly encounter shocks (docs/model.md 5.3.2).
    let shocks: EncounterShocks

    // Stocks per country, head counts.
    let pending: UnsafeMutableBufferPointer<Int>
    let atLarge: UnsafeMutableBufferPointer<Int>
    let detainedAwaiting: UnsafeMutableBufferPointer<Int>
    let detainedReady: UnsafeMutableBufferPointer<Int>
    /// `detainedAwaiting` by admission day.
    let cohorts: AdmissionCohorts
    /// The deterrence EWMAs `S_rem` and `S_enc`, people a day.
    let removalsEWMA: UnsafeMutableBufferPointer<Double>
    let encountersEWMA: UnsafeMutableBufferPointer<Double>

    // Border-wide.
    var encounterWindow = EncounterWindow()
    var restrictionRule = RestrictionRuleState()
    /// The rule's `while_active` effects today; nil while it is inactive.
    var whileActive: WhileActive?
    /// Today's strength of the rule's effects (docs/model.md 5.2.1): 0
    /// while inactive, 1 at full strength.
    var ruleStrength = 0.0

    // Charters.
    /// Per route, the departure days fixed at the start of the replication
    /// (`dates`, `every_days`), sorted; empty for `per_month`.
    let plannedDepartures: [[Int]]
    /// Per route, the first entry of `plannedDepartures` not yet flown.
    var nextPlannedDeparture: [Int]

    // The streams' per-replication seeds (`StreamSeed.base`).
    let countrySeeds: [UInt64]
    /// `ports:<code>`, per country.
    let portSeeds: [UInt64]
    let routeSeeds: [UInt64]
    let borderSeed: UInt64
    /// `border:ports`.
    let borderPortsSeed: UInt64

    // Today.
    let today: UnsafeMutableBufferPointer<CountryDay>
    var border = BorderDay()
    var flightsToday: [FlightRecord] = []
    /// Per country: expedited cases asking for a bed (step 4), and with
    /// today's arrests all who ask (step 6).
    let expeditedBedDemand: UnsafeMutableBufferPointer<Int>
    let bedDemand: UnsafeMutableBufferPointer<Int>

    init(parameters: ModelParameters, changes: [ModelParameters] = [], firstDay: Int = 0, dayCount: Int, seeds: StreamSeeds,
         plannedDepartures: [[Int]], shocks: EncounterShocks = EncounterShocks()) {
        func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
            _ = b.initialize(from: values)
            return b
        }
        let countries = parameters.countries
        self.parameters = parameters
        self.changes = changes
        self.shocks = shocks
        derived = DerivedParameters(parameters)
        pending = buffer(countries.map(\.initial.pending))
        atLarge = buffer(countries.map(\.initial.atLarge))
        detainedAwaiting = buffer(countries.map(\.initial.detainedAwaiting))
        detainedReady = buffer(countries.map(\.initial.detainedReady))
        cohorts = AdmissionCohorts(initial: countries.map {
            $0.initial.detainedAwaitingAge.cohorts(total: $0.initial.detainedAwaiting,
                                                   documentProbability: min(1, $0.travelDocuments.cooperation / $0.travelDocuments.meanDays),
                                                   maxDetentionDays: parameters.capacity.maxDetentionDays)
        }, firstDay: firstDay, dayCount: dayCount)
        removalsEWMA = buffer(countries.map(\.deterrence.initialRemovalsPerDay))
        // S_enc starts at the country's mean encounters, both streams (5.3.1).
        encountersEWMA = buffer(countries.map { $0.encounters.perDay + ($0.portEncounters?.perDay ?? 0) })
        self.plannedDepartures = plannedDepartures
        nextPlannedDeparture = [Int](repeating: 0, count: plannedDepartures.count)
        countrySeeds = seeds.countries; portSeeds = seeds.ports; routeSeeds = seeds.routes
        borderSeed = seeds.border; borderPortsSeed = seeds.borderPorts
        today = buffer([CountryDay](repeating: CountryDay(), count: countries.count))
        expeditedBedDemand = buffer([Int](repeating: 0, count: countries.count))
        bedDemand = buffer([Int](repeating: 0, count: countries.count))
    }

    func deallocate() {
        for b in [pending, atLarge, detainedAwaiting, detainedReady, expeditedBedDemand, bedDemand] { b.deallocate() }
        removalsEWMA.deallocate(); encountersEWMA.deallocate(); today.deallocate()
        cohorts.deallocate()
    }

    /// The modelled countries' indices, in scenario order.
    var countries: Range<Int> { 0..<today.count }

    /// Today's multiplier of country c's encounter means, or of the other
    /// encounters' (c nil): 1 while the rule is inactive (docs/model.md 5.2.1).
    func ruleMultiplier(country c: Int?) -> Double {
        guard let rule = whileActive else { return 1 }
        guard let target = c.flatMap({ derived.restrictionMultiplier[$0] }) ?? rule.encounterMultiplier else { return 1 }
        return ramped(1, toward: target, strength: ruleStrength)
    }

    /// Today's pathway shares of country c: its own, or while the rule is
    /// active its `restriction.pathways` or the rule's, ramped (5.2.1).
    func pathwayShares(country c: Int) -> PathwayShares {
        let own = PathwayShares(expeditedRemoval: derived.expedited[c], noticeToAppear: derived.noticeToAppear[c],
                                voluntaryReturn: derived.voluntaryReturn[c])
        guard let rule = whileActive, let target = derived.restrictionPathways[c] ?? rule.pathways else { return own }
        return PathwayShares(
            expeditedRemoval: ramped(own.expeditedRemoval, toward: target.expeditedRemoval, strength: ruleStrength),
            noticeToAppear: ramped(own.noticeToAppear, toward: target.noticeToAppear, strength: ruleStrength),
            voluntaryReturn: ramped(own.voluntaryReturn, toward: target.voluntaryReturn, strength: ruleStrength))
    }

    /// Today's credible-fear pass rate of country c (5.4, 5.2.1).
    func passRate(country c: Int) -> Double {
        guard let target = whileActive?.credibleFearPassRate else { return derived.passRate[c] }
        return ramped(derived.passRate[c], toward: target, strength: ruleStrength)
    }
}

/// The per-replication seeds of every stream (`StreamSeed.base`), by key.
struct StreamSeeds {
    /// `country:<code>` and `ports:<code>`, per country.
    var countries: [UInt64], ports: [UInt64]
    /// `route:<id>`, per route.
    var routes: [UInt64]
    /// `border` and `border:ports`.
    var border: UInt64, borderPorts: UInt64
}

/// One encounter stream's values per country (or for the other
/// encounters, one entry), laid out flat for the encounters step; a
/// missing stream has a mean of 0.
struct EncounterStreamValues {
    var perDay: [Double], negativeBinomial: [Bool], dispersion: [Double], trendPerYear: [Double], volatility: [Double]
    var seasonality: [Double]  // 12 per entry
    /// Whether the stream exists (a missing one draws nothing).
    var present: [Bool]

    init(_ processes: [EncounterProcess?]) {
        present = processes.map { $0 != nil }
        let ps = processes.map { $0 ?? EncounterProcess(perDay: 0) }
        perDay = ps.map(\.perDay)
        negativeBinomial = ps.map { $0.distribution == .negativeBinomial }
        dispersion = ps.map(\.dispersion)
        trendPerYear = ps.map(\.trendPerYear)
        volatility = ps.map(\.volatility)
        seasonality = ps.flatMap(\.seasonality)
    }
}

/// The values the day step reads, laid out per country in flat arrays and
/// derived once per parameter set (at the start and on each event day), so
/// the daily loop does no copying or recomputation.
struct DerivedParameters {
    /// Per country, the Border Patrol stream (or the single process) and the port stream.
    var borderPatrol: EncounterStreamValues, ports: EncounterStreamValues
    /// The other encounters' two streams, one entry each.
    var otherBorderPatrol: EncounterStreamValues, otherPorts: EncounterStreamValues
    /// Per country, its own effects of the rule (docs/model.md 5.2.1).
    var restrictionMultiplier: [Double?], restrictionPathways: [PathwayShares?]
    var elasticity: [Double], ewmaWeight: [Double]
    var expedited: [Double], noticeToAppear: [Double], voluntaryReturn: [Double]
    var claimRate: [Double], passRate: [Double]
    var courtProbability: [Double], orderRate: [Double]
    var departureProbability: [Double], arrestProbability: [Double]
    var documentProbability: [Double], commercialPerDay: [Double]
    /// Per route: flights a month of a `per_month` schedule, nil for fixed schedules.
    var routePerMonth: [Double?]
    var routeSuspended: [Bool]

    init(_ p: ModelParameters) {
        // docs/model.md step 6: a yearly rate r becomes the daily probability 1 - (1 - r)^(1/365).
        func daily(_ r: Double) -> Double { r >= 1 ? 1 : 1 - pow(1 - r, 1.0 / 365) }
        let cs = p.countries
        borderPatrol = EncounterStreamValues(cs.map(\.encounters))
        ports = EncounterStreamValues(cs.map(\.portEncounters))
        otherBorderPatrol = EncounterStreamValues([p.border.otherEncounters])
        otherPorts = EncounterStreamValues([p.border.otherPortEncounters])
        restrictionMultiplier = cs.map(\.restriction.encounterMultiplier)
        restrictionPathways = cs.map(\.restriction.pathways)
        elasticity = cs.map(\.deterrence.elasticity)
        ewmaWeight = cs.map(\.deterrence.ewmaWeight)
        expedited = cs.map(\.pathways.expeditedRemoval)
        noticeToAppear = cs.map(\.pathways.noticeToAppear)
        voluntaryReturn = cs.map(\.pathways.voluntaryReturn)
        claimRate = cs.map(\.credibleFear.claimRate)
        passRate = cs.map(\.credibleFear.passRate)
        // Precise semantics 8: the court probability 1/mean_days is capped at 1.
        courtProbability = cs.map { min(1, 1 / $0.court.meanDays) }
        orderRate = cs.map(\.court.orderRate)
        departureProbability = cs.map { daily($0.atLarge.departureRatePerYear) }
        arrestProbability = cs.map { daily($0.atLarge.arrestRatePerYear) }
        documentProbability = cs.map { min(1, $0.travelDocuments.cooperation / $0.travelDocuments.meanDays) }
        commercialPerDay = cs.map(\.commercialRemovalsPerDay)
        routePerMonth = p.routes.map { if case .perMonth(let n) = $0.schedule { n } else { nil } }
        routeSuspended = p.routes.map(\.suspended)
    }
}
