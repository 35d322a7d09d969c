internal import GSLSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The steps of one simulated day (docs/model.md, "One day, in order"), called
/// in that order by `Simulator.run`.
///
/// Draws are step-major (precise semantics 1): a step draws for all
/// countries in scenario order before the next step draws. Each country,
/// route and the border have their own stream, restarted every day, so
/// what decides a draw is its stream's order of steps within the day; a
/// step that draws nothing for a stream leaves the others' draws unchanged.
extension Simulator {
    /// Clears today's records and restarts each country's stream from its
    /// seed for the day (see `StreamSeed`). Route and border streams restart
    /// only on the days they draw, in their steps: the seed depends on the
    /// day alone, so their draws are the same.
    func startDay(_ t: Int, _ s: inout ReplicationState) {
        for c in s.countries {
            s.today[c] = CountryDay()
            countryRNG[c].reseed(StreamSeed.day(s.countrySeeds[c], StreamSeed.index(ofDay: t)))
        }
        s.border = BorderDay()
        s.flightsToday.removeAll(keepingCapacity: true)
    }

    /// Step 1, events: swaps in the values in force from today. The loader
    /// applied each event day's `set` paths once, in file order
    /// (`Scenario.changes`); here they only take effect.
    func events(day t: Int, _ s: inout ReplicationState) {
        while s.nextChange < changeDays.count && changeDays[s.nextChange] == t {
            s.parameters = s.changes[s.nextChange]
            s.derived = DerivedParameters(s.parameters)
            s.nextChange += 1
        }
    }

    /// Step 2, border-wide restriction rule: moves the rule's state machine
    /// on with the 7-day mean of the previous days and sets today's
    /// `while_active` effects. Without a rule in force (none, or removed by
    /// an event) the rule is inactive and its counts start again.
    func restrictionRule(day t: Int, _ s: inout ReplicationState) {
        if let rule = s.parameters.border.restrictions {
            s.restrictionRule.advance(day: t, firstDay: firstDay, effectiveDay: scenario.dayIndex(of: rule.effective),
                                      meanOfPreviousDays: s.encounterWindow.mean(counts: rule.counts, countedShare: rule.countedShare),
                                      rule: rule)
            s.whileActive = s.restrictionRule.isActive ? rule.whileActive : nil
            s.ruleStrength = s.restrictionRule.strength(rampDays: rule.rampDays)
        } else {
            s.restrictionRule = RestrictionRuleState()
            s.whileActive = nil
            s.ruleStrength = 0
        }
    }

    /// Step 3, encounters: each country's Border Patrol count (or its single
    /// process) on its own stream, then its port count on `ports:<code>`
    /// (docs/model.md 5.3, 5.3.1); then other encounters (no deterrence),
    /// which count toward the border-wide total only.
    func encounters(day t: Int, _ s: inout ReplicationState) {
        let month = monthOfDay[t - firstDay]
        let years = yearsSinceStart[t - firstDay]
        let shockMonth = monthIndexOfDay[t - firstDay]
        let seedIndex = StreamSeed.index(ofDay: t)
        var borderPatrolAll = 0, portsAll = 0
        for c in s.countries {
            // Deterrence reads the EWMAs as they stood at the end of the previous day (5.3).
            var deterrence = 1.0
            if s.derived.elasticity[c] != 0 {
                let total = s.removalsEWMA[c] + s.encountersEWMA[c]
                let rho = total > 0 ? s.removalsEWMA[c] / total : 0
                deterrence = exp(-s.derived.elasticity[c] * rho)
            }
            let multiplier = s.ruleMultiplier(country: c)
            let bp = drawEncounters(s.derived.borderPatrol, c, month: month, years: years, multiplier: multiplier,
                                    deterrence: deterrence, shock: (s.shocks, c, shockMonth), countryRNG[c])
            var ports = 0
            if s.derived.ports.present[c] {
                portRNG[c].reseed(StreamSeed.day(s.portSeeds[c], seedIndex))
                ports = drawEncounters(s.derived.ports, c, month: month, years: years, multiplier: multiplier,
                                       deterrence: deterrence, shock: (s.shocks, c, shockMonth), portRNG[c])
            }
            s.today[c].encountersBorderPatrol = bp
            s.today[c].encountersPorts = ports
            s.today[c].encounters = bp + ports
            borderPatrolAll += bp; portsAll += ports
        }
        // The rule's multiplier scales other encounters too (5.3).
        let otherMultiplier = s.ruleMultiplier(country: nil)
        var otherBorderPatrol = 0, otherPorts = 0
        if s.derived.otherBorderPatrol.present[0] {
            borderStream.reseed(StreamSeed.day(s.borderSeed, seedIndex))
            otherBorderPatrol = drawEncounters(s.derived.otherBorderPatrol, 0, month: month, years: years,
                                               multiplier: otherMultiplier, deterrence: nil,
                                               shock: (s.shocks, s.countries.count, shockMonth), borderStream.handle)
        }
        if s.derived.otherPorts.present[0] {
            borderPortsStream.reseed(StreamSeed.day(s.borderPortsSeed, seedIndex))
            otherPorts = drawEncounters(s.derived.otherPorts, 0, month: month, years: years,
                                        multiplier: otherMultiplier, deterrence: nil,
                                        shock: (s.shocks, s.countries.count, shockMonth), borderPortsStream.handle)
        }
        s.border.otherEncounters = otherBorderPatrol + otherPorts
        s.border.encountersBorderPatrol = borderPatrolAll + otherBorderPatrol
        s.border.encountersPorts = portsAll + otherPorts
        s.border.encountersTotal = borderPatrolAll + portsAll + s.border.otherEncounters
    }

    /// One stream's count today (docs/model.md 5.3): Poisson or negative
    /// binomial with mean per_day x seasonality x m_rule x trend x
    /// deterrence (nil: none, for other encounters) x the month's shock
    /// (5.3.2: the process's own series, shared by its Border Patrol and
    /// ports streams, each scaled by its stream's volatility; none in the
    /// warm-up), multiplied in that order. The one place an encounter mean
    /// is formed.
    private func drawEncounters(_ v: EncounterStreamValues, _ i: Int, month: Int, years: Double, multiplier: Double,
                                deterrence: Double?, shock: (series: EncounterShocks, process: Int, month: Int),
                                _ rng: RandomStreamHandle) -> Int {
        var mean = v.perDay[i] * v.seasonality[12 * i + month] * multiplier
        if v.trendPerYear[i] != 0 { mean *= exp(v.trendPerYear[i] * years) }
        if let deterrence { mean *= deterrence }
        if v.volatility[i] > 0 && shock.month >= 0 {
            mean = min(ModelBounds.maxShockedMeanPerDay,
                       mean * shock.series.multiplier(process: shock.process, month: shock.month, volatility: v.volatility[i]))
        }
        return v.negativeBinomial[i] ? rng.negativeBinomial(mean: mean, size: v.dispersion[i]) : rng.poisson(mean: mean)
    }

    /// Step 4, pathways and credible fear: encounters split by multinomial
    /// draw (the rule's shares replace every country's while it is active);
    /// fear claims and passes among expedited removals. Notices to appear
    /// and passes join `pending`; the other expedited cases ask for a bed.
    func pathways(_ s: inout ReplicationState) {
        for c in s.countries {
            let rng = countryRNG[c]
            let shares = s.pathwayShares(country: c)
            let (er, nta, vr) = rng.multinomial3(s.today[c].encounters, shares.expeditedRemoval, shares.noticeToAppear,
                                                 shares.voluntaryReturn)
            let claims = rng.binomial(er, s.derived.claimRate[c])
            let passed = rng.binomial(claims, s.passRate(country: c))
            s.pending[c] += nta + passed
            s.expeditedBedDemand[c] = er - passed
            s.today[c].expeditedRemoval = er; s.today[c].noticeToAppear = nta; s.today[c].voluntaryReturn = vr
            s.today[c].fearClaims = claims; s.today[c].fearPassed = passed
        }
    }

    /// Step 5, courts: decisions among those pending at the start of the
    /// day, each with probability 1/mean_days; removal orders join
    /// `at_large`, the rest (relief) leave.
    func courts(_ s: inout ReplicationState) {
        for c in s.countries {
            let rng = countryRNG[c]
            // Today's notices to appear and fear passes (step 4) are not yet before a court.
            let pendingAtStart = s.pending[c] - s.today[c].noticeToAppear - s.today[c].fearPassed
            let decisions = rng.binomial(pendingAtStart, s.derived.courtProbability[c])
            let orders = rng.binomial(decisions, s.derived.orderRate[c])
            s.pending[c] -= decisions
            s.atLarge[c] += orders
            s.today[c].courtDecisions = decisions; s.today[c].removalOrders = orders
            s.today[c].relief = decisions - orders
        }
    }

    /// Step 6, at large: departures leave, then arrests among those left
    /// (precise semantics 8) ask for a bed with today's expedited cases.
    func atLarge(_ s: inout ReplicationState) {
        for c in s.countries {
            let rng = countryRNG[c]
            let departures = rng.binomial(s.atLarge[c], s.derived.departureProbability[c])
            s.atLarge[c] -= departures
            let arrests = rng.binomial(s.atLarge[c], s.derived.arrestProbability[c])
            s.bedDemand[c] = s.expeditedBedDemand[c] + arrests
            s.today[c].departures = departures; s.today[c].arrests = arrests
        }
    }

    /// Step 7, detention admission: when demand exceeds the free beds,
    /// beds are shared by largest remainder in proportion to each country's
    /// demand, and within a country expedited cases come before arrests.
    /// Expedited cases not admitted join `at_large`; arrests not admitted
    /// stay there. The admitted form today's cohort.
    func detentionAdmission(day t: Int, _ s: inout ReplicationState) {
        let shares = bedShares(s)
        for c in s.countries {
            let admitted = shares?[c] ?? s.bedDemand[c]
            let admittedExpedited = min(s.expeditedBedDemand[c], admitted)
            let admittedArrests = admitted - admittedExpedited
            let unadmitted = s.expeditedBedDemand[c] - admittedExpedited
            s.atLarge[c] += unadmitted
            s.atLarge[c] -= admittedArrests
            s.today[c].bookIns = admitted
            s.today[c].releasedUnadmitted = unadmitted
            s.cohorts.admit(admitted, country: c, day: t)
            s.detainedAwaiting[c] += admitted
        }
    }

    /// Each country's admissions when beds are short; nil when every request
    /// fits (no limit, or enough free beds). Occupancy is before today's
    /// admissions, and a limit lowered below it leaves 0 free beds
    /// (precise semantics 9).
    private func bedShares(_ s: ReplicationState) -> [Int]? {
        guard let beds = s.parameters.capacity.detentionBeds else { return nil }
        var occupied = 0, demanded = 0
        for c in s.countries { occupied += s.detainedAwaiting[c] + s.detainedReady[c]; demanded += s.bedDemand[c] }
        let free = max(0, beds - occupied)
        return demanded > free ? largestRemainder(total: free, weights: Array(s.bedDemand)) : nil
    }

    /// Step 8, travel documents: issued among all awaiting, today's cohort
    /// included (precise semantics 10), each with probability
    /// min(1, cooperation / mean_days); taken from the oldest cohorts first.
    func travelDocuments(day t: Int, _ s: inout ReplicationState) {
        for c in s.countries {
            let issued = countryRNG[c].binomial(s.detainedAwaiting[c], s.derived.documentProbability[c])
            s.today[c].documentsIssued = issued
            s.detainedAwaiting[c] -= issued
            s.detainedReady[c] += issued
            s.cohorts.removeOldest(issued, country: c, day: t)
        }
    }

    /// Step 9, removals, charters: each route's departures of the day in
    /// route order, under the daily cap. Cancelled flights are counted and,
    /// like flown ones, recorded when the observer wants flights.
    func charters(day t: Int, _ s: inout ReplicationState, recordFlights: Bool) {
        var flownToday = 0
        for r in 0..<routeStreams.count {
            let departing = charterDepartures(route: r, day: t, &s)
            for _ in 0..<departing {
                let flight = fly(route: r, flownToday: flownToday, &s)
                switch flight.status {
                case .flown: flownToday += 1
                case .suspended: break
                default: s.border.flightsCancelled += 1
                }
                if recordFlights {
                    let route = s.parameters.routes[r]
                    s.flightsToday.append(FlightRecord(
                        day: t, routeIndex: r, seats: route.seats, boarded: flight.boarded, status: flight.status,
                        boardedByCountry: flight.boardedByCountry ?? Array(repeating: 0, count: route.countryIndices.count)))
                }
            }
        }
    }

    /// How many charters of route `r` depart today: the fixed schedules'
    /// dates due today (two on one day both fly, precise semantics 12), or
    /// one Bernoulli draw of a `per_month` schedule, made every day, even
    /// when the cap is full. Restarts the route's stream on the days it draws.
    private func charterDepartures(route r: Int, day t: Int, _ s: inout ReplicationState) -> Int {
        if let perMonth = s.derived.routePerMonth[r] {
            routeStreams[r].reseed(StreamSeed.day(s.routeSeeds[r], StreamSeed.index(ofDay: t)))
            return routeStreams[r].bernoulli(min(1, perMonth / Double(daysInMonthOfDay[t - firstDay]))) ? 1 : 0
        }
        let planned = s.plannedDepartures[r]
        var departing = 0
        while s.nextPlannedDeparture[r] < planned.count && planned[s.nextPlannedDeparture[r]] == t {
            departing += 1
            s.nextPlannedDeparture[r] += 1
        }
        // Cancellation draws follow on the route's stream.
        if departing > 0 { routeStreams[r].reseed(StreamSeed.day(s.routeSeeds[r], StreamSeed.index(ofDay: t))) }
        return departing
    }

    /// One charter departure: what happened to it and whom it carried.
    private struct CharterFlight {
        var status: FlightStatus
        var boarded = 0
        /// Per route country, in the route's order; nil when cancelled.
        var boardedByCountry: [Int]? = nil
    }

    /// One departure of route `r`, checked in the order of precise semantics
    /// 13: beyond the daily cap it is cancelled without a draw; then
    /// `cancel_probability`; then the load (nobody ready cancels even at
    /// `min_load` 0). A flight that flies boards min(seats, ready), shared
    /// across its countries by largest remainder of their ready counts.
    private func fly(route r: Int, flownToday: Int, _ s: inout ReplicationState) -> CharterFlight {
        let route = s.parameters.routes[r]
        // A suspended route's would-be departure: no draw, no slot of the cap (5.9.4).
        if s.derived.routeSuspended[r] { return CharterFlight(status: .suspended) }
        if let cap = s.parameters.capacity.charterFlightsPerDay, flownToday >= cap { return CharterFlight(status: .cancelledCap) }
        if routeStreams[r].bernoulli(route.cancelProbability) { return CharterFlight(status: .cancelledRandom) }
        let readyCounts = route.countryIndices.map { s.detainedReady[$0] }
        let readyTotal = readyCounts.reduce(0, +)
        if readyTotal == 0 || Double(readyTotal) < route.minLoad * Double(route.seats) {
            return CharterFlight(status: .cancelledLoad)
        }
        let boarded = min(route.seats, readyTotal)
        let boardedBy = boarded == readyTotal ? readyCounts : largestRemainder(total: boarded, weights: readyCounts)
        for (k, c) in route.countryIndices.enumerated() where boardedBy[k] > 0 {
            s.detainedReady[c] -= boardedBy[k]
            s.today[c].removalsCharter += boardedBy[k]
            s.today[c].seatsUsed += boardedBy[k]
            s.today[c].flights += 1
        }
        s.border.flightsFlown += 1
        s.border.seatsFlown += route.seats
        // Precise semantics 15: block_hours x charter_flight_hour per flight flown.
        s.border.costCharter += route.blockHours * s.parameters.costs.charterFlightHour
        return CharterFlight(status: .flown, boarded: boarded, boardedByCountry: boardedBy)
    }

    /// Step 9, removals, commercial: min(ready, Poisson(commercial_removals_per_day)).
    func commercialRemovals(_ s: inout ReplicationState) {
        var commercialAll = 0
        for c in s.countries {
            // docs/model.md draws this Poisson even with nobody ready. It is the
            // last draw of the country's stream for the day and streams
            // restart daily, so skipping it then changes no other draw.
            let removed = s.detainedReady[c] == 0 ? 0 : min(s.detainedReady[c], countryRNG[c].poisson(mean: s.derived.commercialPerDay[c]))
            s.detainedReady[c] -= removed
            s.today[c].removalsCommercial = removed
            commercialAll += removed
        }
        s.border.costCommercial = Double(commercialAll) * s.parameters.costs.commercialRemoval
    }

    /// Step 10, detention-day limit: the cohort admitted on day a is released
    /// to `at_large` on day t when t - a + 1 >= max_detention_days (precise
    /// semantics 11), so a limit lowered by an event releases every cohort
    /// past it at once.
    func detentionDayLimit(day t: Int, _ s: inout ReplicationState) {
        guard let maxDays = s.parameters.capacity.maxDetentionDays else { return }
        for c in s.countries {
            let released = s.cohorts.release(admittedThrough: t + 1 - maxDays, country: c, day: t)
            s.detainedAwaiting[c] -= released
            s.atLarge[c] += released
            s.today[c].releasedAtLimit = released
        }
    }

    /// Step 11, record: today's end-of-day stocks and border figures go to
    /// the observer; then the EWMAs (removals = charter + commercial) and
    /// the 7-day window take today in, for tomorrow's deterrence and rule.
    func record<O: DayObserver>(day t: Int, _ s: inout ReplicationState, observer: inout O) {
        var occupiedEnd = 0
        for c in s.countries {
            s.today[c].pending = s.pending[c]; s.today[c].atLarge = s.atLarge[c]
            s.today[c].detainedAwaiting = s.detainedAwaiting[c]; s.today[c].detainedReady = s.detainedReady[c]
            occupiedEnd += s.detainedAwaiting[c] + s.detainedReady[c]
            let alpha = s.derived.ewmaWeight[c]
            let removals = Double(s.today[c].removalsCharter + s.today[c].removalsCommercial)
            s.removalsEWMA[c] += alpha * (removals - s.removalsEWMA[c])
            s.encountersEWMA[c] += alpha * (Double(s.today[c].encounters) - s.encountersEWMA[c])
        }
        s.encounterWindow.append(borderPatrol: s.border.encountersBorderPatrol, ports: s.border.encountersPorts)
        let rule = s.parameters.border.restrictions
        s.border.encounters7dayAverage = s.encounterWindow.mean(counts: rule?.counts ?? .all, countedShare: rule?.countedShare ?? 1) ?? 0
        s.border.restrictionActive = s.restrictionRule.isActive
        s.border.bedsOccupied = occupiedEnd
        // Precise semantics 15: bed-days on end-of-day occupancy.
        s.border.costDetention = Double(occupiedEnd) * s.parameters.costs.detentionBedDay
        // Warm-up days are not recorded (docs/model.md 2.9).
        if t >= 0 {
            observer.observe(day: t, countries: UnsafeBufferPointer(s.today), border: s.border, flights: s.flightsToday[...])
        } else {
            observer.observeWarmup(day: t, countries: UnsafeBufferPointer(s.today), border: s.border)
        }
    }
}
