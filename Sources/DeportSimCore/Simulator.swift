import GSLSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seeds of the random streams (MODEL.md, "Time, randomness, replications").
///
/// A stream is named by a key (`country:CHN`, `route:china-charter`,
/// `border`) and restarted every day. Its seed is
///
///     h0 = mix(runSeed); h1 = mix(h0 ^ point); h2 = mix(h1 ^ replication)
///     h3 = mix(h2 ^ fnv1a64(key)); seed(day) = mix(h3 ^ day)
///
/// with `mix` one SplitMix64 step and day = -1 for the draws made when a
/// replication starts (charter jitter). Restarting each day keeps what-if
/// variants aligned: a change that alters how many draws one day takes
/// (a different Poisson mean, one more flight) cannot shift the draws of
/// any later day or of any other country or route.
public enum StreamSeed {
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The per-replication part of a stream's seed (h3 above).
    public static func base(runSeed: UInt64, point: Int, replication: Int, key: String) -> UInt64 {
        var h = SplitMix64.mix(runSeed)
        h = SplitMix64.mix(h ^ UInt64(truncatingIfNeeded: point))
        h = SplitMix64.mix(h ^ UInt64(truncatingIfNeeded: replication))
        return SplitMix64.mix(h ^ fnv1a64(key))
    }

    @inline(__always) public static func day(_ base: UInt64, _ day: Int) -> UInt64 {
        SplitMix64.mix(base ^ UInt64(bitPattern: Int64(day)))
    }
}

/// Splits `total` in proportion to `weights` by largest remainder: integer
/// quotas floor(total * w_i / W), the rest one each to the largest
/// remainders, ties to the lower index. Requires total <= sum(weights).
public func largestRemainder(total: Int, weights: [Int]) -> [Int] {
    let sum = weights.reduce(0, +)
    guard sum > 0, total > 0 else { return Array(repeating: 0, count: weights.count) }
    var quotas = [Int](repeating: 0, count: weights.count)
    // (remainder, index) packed so that one integer sort orders by
    // remainder descending, then index ascending.
    var keyed: [(remainder: Int, index: Int)] = []
    keyed.reserveCapacity(weights.count)
    var assigned = 0
    for (i, w) in weights.enumerated() {
        let product = total * w
        quotas[i] = product / sum
        assigned += quotas[i]
        let r = product % sum
        if r > 0 { keyed.append((r, i)) }
    }
    let left = total - assigned
    if left > 0 {
        keyed.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        for k in keyed.prefix(left) { quotas[k.index] += 1 }
    }
    return quotas
}

/// Runs replications of one scenario. Owns its random streams and state
/// buffers, so give each worker thread its own.
public final class Simulator {
    public let scenario: Scenario
    public let generator: RandomGeneratorKind
    private let countryStreams: [RandomStream]
    private let routeStreams: [RandomStream]
    private let borderStream: RandomStream
    private let dayCount: Int
    private let monthOfDay: [Int]          // 0-based calendar month
    private let daysInMonthOfDay: [Int]
    private let yearsSinceStart: [Double]
    private let changeDays: [Int]

    public init(scenario: Scenario, generator: RandomGeneratorKind = .taus2) {
        self.scenario = scenario
        self.generator = generator
        let p = scenario.parameters
        countryStreams = p.countries.map { _ in RandomStream(kind: generator.gslType) }
        routeStreams = p.routes.map { _ in RandomStream(kind: generator.gslType) }
        borderStream = RandomStream(kind: generator.gslType)
        dayCount = scenario.dayCount
        var months: [Int] = [], dim: [Int] = [], years: [Double] = []
        for d in 0..<dayCount {
            let date = scenario.date(ofDay: d)
            months.append(date.month - 1)
            dim.append(CivilDate.daysIn(year: date.year, month: date.month))
            // MODEL.md precise semantics 6: day index / 365.25.
            years.append(Double(d) / 365.25)
        }
        monthOfDay = months; daysInMonthOfDay = dim; yearsSinceStart = years
        changeDays = scenario.changes.map { scenario.dayIndex(of: $0.date) }
    }

    /// The values the day step reads, laid out per country in flat arrays
    /// and derived once per parameter set (at the start and on each event
    /// day), so the daily loop does no copying or recomputation.
    private struct Derived {
        var perDay: [Double], negativeBinomial: [Bool], dispersion: [Double], trendPerYear: [Double]
        var seasonality: [Double]  // 12 per country
        var elasticity: [Double], ewmaWeight: [Double]
        var expedited: [Double], noticeToAppear: [Double], voluntaryReturn: [Double]
        var claimRate: [Double], passRate: [Double]
        var courtProbability: [Double], orderRate: [Double]
        var departureProbability: [Double], arrestProbability: [Double]
        var documentProbability: [Double], commercialPerDay: [Double]
        /// Per route: flights a month of a `per_month` schedule, nil for fixed schedules.
        var routePerMonth: [Double?]

        init(_ p: ModelParameters) {
            func daily(_ r: Double) -> Double { r >= 1 ? 1 : 1 - pow(1 - r, 1.0 / 365) }
            let cs = p.countries
            perDay = cs.map(\.encounters.perDay)
            negativeBinomial = cs.map { $0.encounters.distribution == .negativeBinomial }
            dispersion = cs.map(\.encounters.dispersion)
            trendPerYear = cs.map(\.encounters.trendPerYear)
            seasonality = cs.flatMap(\.encounters.seasonality)
            elasticity = cs.map(\.deterrence.elasticity)
            ewmaWeight = cs.map(\.deterrence.ewmaWeight)
            expedited = cs.map(\.pathways.expeditedRemoval)
            noticeToAppear = cs.map(\.pathways.noticeToAppear)
            voluntaryReturn = cs.map(\.pathways.voluntaryReturn)
            claimRate = cs.map(\.credibleFear.claimRate)
            passRate = cs.map(\.credibleFear.passRate)
            courtProbability = cs.map { min(1, 1 / $0.court.meanDays) }
            orderRate = cs.map(\.court.orderRate)
            departureProbability = cs.map { daily($0.atLarge.departureRatePerYear) }
            arrestProbability = cs.map { daily($0.atLarge.arrestRatePerYear) }
            documentProbability = cs.map { min(1, $0.travelDocuments.cooperation / $0.travelDocuments.meanDays) }
            commercialPerDay = cs.map(\.commercialRemovalsPerDay)
            routePerMonth = p.routes.map { if case .perMonth(let n) = $0.schedule { n } else { nil } }
        }
    }

    @inline(__always) private static func draw(_ process: EncounterProcess, mean: Double, _ rng: RandomStream) -> Int {
        switch process.distribution {
        case .poisson: return rng.poisson(mean: mean)
        case .negativeBinomial: return rng.negativeBinomial(mean: mean, size: process.dispersion)
        }
    }

    /// Charter departures of each route, as sorted day indices, for the
    /// schedules fixed at the start of a replication (`dates`, `every_days`).
    private func plannedDepartures(_ routes: [Route], streamBases: [UInt64]) -> [[Int]] {
        let start = scenario.start.dayNumber
        return routes.enumerated().map { r, route in
            switch route.schedule {
            case .dates(let dates):
                return dates.map { $0.dayNumber - start }.filter { $0 >= 0 && $0 < dayCount }.sorted()
            case .everyDays(let every, let first, let jitter):
                let rng = routeStreams[r]
                rng.reseed(StreamSeed.day(streamBases[r], -1))
                var days: [Int] = []
                var nominal = first.dayNumber - start
                // Nominal dates within jitter_days of the run get a jitter draw, in date order.
                while nominal <= dayCount - 1 + jitter {
                    if nominal >= -jitter {
                        let shifted = jitter > 0 ? nominal + rng.uniformInt(below: 2 * jitter + 1) - jitter : nominal
                        if shifted >= 0 && shifted < dayCount { days.append(shifted) }
                    }
                    nominal += every
                }
                return days.sorted()
            case .perMonth:
                return []
            }
        }
    }

    /// Simulates one replication, handing each day to `observer`.
    public func run<O: DayObserver>(replication: Int, point: Int = 0, seed: UInt64? = nil, observer: inout O) {
        let runSeed = seed ?? scenario.seed
        var p = scenario.parameters
        var derived = Derived(p)
        let C = p.countries.count
        let R = p.routes.count
        let wantsFlights = observer.wantsFlights

        let countryBases = p.countries.map {
            StreamSeed.base(runSeed: runSeed, point: point, replication: replication, key: "country:" + $0.code)
        }
        let routeBases = p.routes.map {
            StreamSeed.base(runSeed: runSeed, point: point, replication: replication, key: "route:" + $0.id)
        }
        let borderBase = StreamSeed.base(runSeed: runSeed, point: point, replication: replication, key: "border")

        // State per country (MODEL.md, "State per country"), in buffers
        // owned by this call: the day loop writes them without copy-on-write checks.
        func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
            _ = b.initialize(from: values)
            return b
        }
        let pending = buffer(p.countries.map(\.initial.pending))
        let atLarge = buffer(p.countries.map(\.initial.atLarge))
        let awaiting = buffer(p.countries.map(\.initial.detainedAwaiting))
        let ready = buffer(p.countries.map(\.initial.detainedReady))
        // Admission-day cohorts: slot a + 1 holds those admitted on day a;
        // slot 0 is the initial cohort, admitted the day before start.
        let slots = dayCount + 1
        let cohorts = buffer([Int](repeating: 0, count: C * slots))
        let oldestSlot = buffer([Int](repeating: 0, count: C))
        for c in 0..<C { cohorts[c * slots] = awaiting[c] }
        let removalsEWMA = buffer(p.countries.map(\.deterrence.initialRemovalsPerDay))
        let encountersEWMA = buffer(p.countries.map(\.encounters.perDay))
        let today = buffer([CountryDay](repeating: CountryDay(), count: C))
        let expeditedDemand = buffer([Int](repeating: 0, count: C))
        let demand = buffer([Int](repeating: 0, count: C))
        let admitted = buffer([Int](repeating: 0, count: C))
        defer {
            for b in [pending, atLarge, awaiting, ready, cohorts, oldestSlot, expeditedDemand, demand, admitted] { b.deallocate() }
            removalsEWMA.deallocate(); encountersEWMA.deallocate(); today.deallocate()
        }

        // Border-wide state.
        var window = [Int](repeating: 0, count: 7)
        var windowCount = 0, windowSum = 0, windowNext = 0
        var ruleActive = false, lowDays = 0
        var ruleEndDay: Int? = nil

        let planned = plannedDepartures(p.routes, streamBases: routeBases)
        var plannedNext = [Int](repeating: 0, count: R)
        var nextChange = 0

        // Plain handles on the streams: no reference counting in the loops.
        let countryRNG = countryStreams.map(\.handle)
        var flightsToday: [FlightRecord] = []

        for t in 0..<dayCount {
            // 1. Events: swap in the values in force from today.
            while nextChange < changeDays.count && changeDays[nextChange] == t {
                p = scenario.changes[nextChange].parameters
                derived = Derived(p)
                nextChange += 1
            }
            for c in 0..<C {
                today[c] = CountryDay()
                countryStreams[c].reseed(StreamSeed.day(countryBases[c], t))
            }
            // Route and border streams restart only on days they draw (below):
            // the seed depends on the day alone, so the draws are the same.
            var border = BorderDay()
            flightsToday.removeAll(keepingCapacity: true)

            // 2. Border-wide restriction rule.
            if let rule = p.border.restrictions {
                if let end = ruleEndDay, t >= end {
                    ruleActive = false; ruleEndDay = nil; lowDays = 0
                }
                if t > 0 && t >= scenario.dayIndex(of: rule.effective) && windowCount > 0 {
                    let average = rule.countedShare * Double(windowSum) / Double(windowCount)
                    if !ruleActive {
                        if average >= rule.activateAt { ruleActive = true; lowDays = 0 }
                    } else if ruleEndDay == nil {
                        lowDays = average < rule.deactivateBelow ? lowDays + 1 : 0
                        if lowDays >= rule.deactivateAfterDays {
                            if rule.deactivateDelayDays == 0 {
                                ruleActive = false; lowDays = 0
                            } else {
                                ruleEndDay = t + rule.deactivateDelayDays
                            }
                        }
                    }
                }
            } else {
                ruleActive = false; ruleEndDay = nil; lowDays = 0
            }
            let whileActive = ruleActive ? p.border.restrictions?.whileActive : nil
            let restrictionMultiplier = whileActive?.encounterMultiplier ?? 1

            // 3. Encounters.
            let month = monthOfDay[t]
            let years = yearsSinceStart[t]
            var encountersAll = 0
            for c in 0..<C {
                var mean = derived.perDay[c] * derived.seasonality[12 * c + month] * restrictionMultiplier
                if derived.trendPerYear[c] != 0 { mean *= exp(derived.trendPerYear[c] * years) }
                if derived.elasticity[c] != 0 {
                    let total = removalsEWMA[c] + encountersEWMA[c]
                    let rho = total > 0 ? removalsEWMA[c] / total : 0
                    mean *= exp(-derived.elasticity[c] * rho)
                }
                let rng = countryRNG[c]
                let n = derived.negativeBinomial[c] ? rng.negativeBinomial(mean: mean, size: derived.dispersion[c])
                    : rng.poisson(mean: mean)
                today[c].encounters = n
                encountersAll += n
            }
            if let other = p.border.otherEncounters {
                borderStream.reseed(StreamSeed.day(borderBase, t))
                var mean = other.perDay * other.seasonality[month] * restrictionMultiplier
                if other.trendPerYear != 0 { mean *= exp(other.trendPerYear * years) }
                border.otherEncounters = Simulator.draw(other, mean: mean, borderStream)
            }
            border.encountersTotal = encountersAll + border.otherEncounters

            // 4. Pathways and credible fear; 5. courts; 6. at large.
            let sharesOverride = whileActive?.pathways
            let passOverride = whileActive?.credibleFearPassRate
            for c in 0..<C {
                let rng = countryRNG[c]
                let pendingAtStart = pending[c]
                let (er, nta, vr) = sharesOverride.map {
                    rng.multinomial3(today[c].encounters, $0.expeditedRemoval, $0.noticeToAppear, $0.voluntaryReturn)
                } ?? rng.multinomial3(today[c].encounters, derived.expedited[c], derived.noticeToAppear[c], derived.voluntaryReturn[c])
                let claims = rng.binomial(er, derived.claimRate[c])
                let passed = rng.binomial(claims, passOverride ?? derived.passRate[c])
                pending[c] += nta + passed
                expeditedDemand[c] = er - passed

                let decisions = rng.binomial(pendingAtStart, derived.courtProbability[c])
                let orders = rng.binomial(decisions, derived.orderRate[c])
                pending[c] -= decisions
                atLarge[c] += orders

                let departures = rng.binomial(atLarge[c], derived.departureProbability[c])
                atLarge[c] -= departures
                let arrests = rng.binomial(atLarge[c], derived.arrestProbability[c])
                demand[c] = expeditedDemand[c] + arrests

                today[c].expeditedRemoval = er; today[c].noticeToAppear = nta; today[c].voluntaryReturn = vr
                today[c].fearClaims = claims; today[c].fearPassed = passed
                today[c].courtDecisions = decisions; today[c].removalOrders = orders
                today[c].relief = decisions - orders
                today[c].departures = departures; today[c].arrests = arrests
            }

            // 7. Detention admission: beds shared by largest remainder when short.
            for c in 0..<C { admitted[c] = demand[c] }
            if let beds = p.capacity.detentionBeds {
                var occupied = 0, demanded = 0
                for c in 0..<C { occupied += awaiting[c] + ready[c]; demanded += demand[c] }
                let free = max(0, beds - occupied)
                if demanded > free {
                    for (c, n) in largestRemainder(total: free, weights: Array(demand)).enumerated() { admitted[c] = n }
                }
            }
            for c in 0..<C {
                let admittedExpedited = min(expeditedDemand[c], admitted[c])
                let admittedArrests = admitted[c] - admittedExpedited
                let unadmitted = expeditedDemand[c] - admittedExpedited
                atLarge[c] += unadmitted
                atLarge[c] -= admittedArrests
                today[c].bookIns = admitted[c]
                today[c].releasedUnadmitted = unadmitted
                cohorts[c * slots + t + 1] = admitted[c]
                awaiting[c] += admitted[c]
            }

            // 8. Travel documents, oldest cohorts first.
            for c in 0..<C {
                var issued = countryRNG[c].binomial(awaiting[c], derived.documentProbability[c])
                today[c].documentsIssued = issued
                awaiting[c] -= issued
                ready[c] += issued
                var slot = oldestSlot[c]
                while issued > 0 {
                    let take = min(issued, cohorts[c * slots + slot])
                    cohorts[c * slots + slot] -= take
                    issued -= take
                    if cohorts[c * slots + slot] == 0 && slot <= t { slot += 1 }
                }
                while slot <= t && cohorts[c * slots + slot] == 0 { slot += 1 }
                oldestSlot[c] = slot
            }

            // 9. Removals: charters in route order under the daily cap, then commercial.
            var flownToday = 0
            for r in 0..<R {
                var departing = 0
                if let perMonth = derived.routePerMonth[r] {
                    routeStreams[r].reseed(StreamSeed.day(routeBases[r], t))
                    if routeStreams[r].bernoulli(min(1, perMonth / Double(daysInMonthOfDay[t]))) { departing = 1 }
                } else {
                    while plannedNext[r] < planned[r].count && planned[r][plannedNext[r]] == t {
                        departing += 1; plannedNext[r] += 1
                    }
                    if departing == 0 { continue }
                    routeStreams[r].reseed(StreamSeed.day(routeBases[r], t))
                }
                let route = p.routes[r]
                for _ in 0..<departing {
                    var status = FlightStatus.flown
                    var boardedBy: [Int] = []
                    var boarded = 0
                    if let cap = p.capacity.charterFlightsPerDay, flownToday >= cap {
                        status = .cancelledCap
                    } else if routeStreams[r].bernoulli(route.cancelProbability) {
                        status = .cancelledRandom
                    } else {
                        let readyCounts = route.countryIndices.map { ready[$0] }
                        let readyTotal = readyCounts.reduce(0, +)
                        if readyTotal == 0 || Double(readyTotal) < route.minLoad * Double(route.seats) {
                            status = .cancelledLoad
                        } else {
                            boarded = min(route.seats, readyTotal)
                            boardedBy = boarded == readyTotal ? readyCounts
                                : largestRemainder(total: boarded, weights: readyCounts)
                            for (k, c) in route.countryIndices.enumerated() where boardedBy[k] > 0 {
                                ready[c] -= boardedBy[k]
                                today[c].removalsCharter += boardedBy[k]
                                today[c].seatsUsed += boardedBy[k]
                                today[c].flights += 1
                            }
                            flownToday += 1
                            border.flightsFlown += 1
                            border.seatsFlown += route.seats
                            border.costCharter += route.blockHours * p.costs.charterFlightHour
                        }
                    }
                    if status != .flown { border.flightsCancelled += 1 }
                    if wantsFlights {
                        flightsToday.append(FlightRecord(day: t, routeIndex: r, seats: route.seats, boarded: boarded,
                                                         status: status, boardedByCountry: boardedBy.isEmpty
                                                             ? Array(repeating: 0, count: route.countryIndices.count) : boardedBy))
                    }
                }
            }
            var commercialAll = 0
            for c in 0..<C {
                // MODEL.md draws this Poisson even with nobody ready. It is the
                // last draw of the country's stream for the day and streams
                // restart daily, so skipping it then changes no other draw.
                let removed = ready[c] == 0 ? 0 : min(ready[c], countryRNG[c].poisson(mean: derived.commercialPerDay[c]))
                ready[c] -= removed
                today[c].removalsCommercial = removed
                commercialAll += removed
            }

            // 10. Detention-day limit: cohorts admitted on day a leave when t - a + 1 >= max days.
            if let maxDays = p.capacity.maxDetentionDays {
                let lastSlot = t + 2 - maxDays  // slot of a = t + 1 - maxDays
                for c in 0..<C {
                    var slot = oldestSlot[c]
                    var released = 0
                    while slot <= min(lastSlot, t + 1) {
                        released += cohorts[c * slots + slot]
                        cohorts[c * slots + slot] = 0
                        slot += 1
                    }
                    if released > 0 || slot > oldestSlot[c] {
                        while slot <= t && cohorts[c * slots + slot] == 0 { slot += 1 }
                        oldestSlot[c] = slot
                    }
                    awaiting[c] -= released
                    atLarge[c] += released
                    today[c].releasedAtLimit = released
                }
            }

            // 11. Record the day; update the EWMAs and the 7-day window.
            var occupiedEnd = 0
            for c in 0..<C {
                today[c].pending = pending[c]; today[c].atLarge = atLarge[c]
                today[c].detainedAwaiting = awaiting[c]; today[c].detainedReady = ready[c]
                occupiedEnd += awaiting[c] + ready[c]
                let alpha = derived.ewmaWeight[c]
                let removals = Double(today[c].removalsCharter + today[c].removalsCommercial)
                removalsEWMA[c] += alpha * (removals - removalsEWMA[c])
                encountersEWMA[c] += alpha * (Double(today[c].encounters) - encountersEWMA[c])
            }
            windowSum += border.encountersTotal - window[windowNext]
            window[windowNext] = border.encountersTotal
            windowNext = (windowNext + 1) % 7
            windowCount = min(windowCount + 1, 7)
            border.encounters7dayAverage = (p.border.restrictions?.countedShare ?? 1) * Double(windowSum) / Double(windowCount)
            border.restrictionActive = ruleActive
            border.bedsOccupied = occupiedEnd
            border.costDetention = Double(occupiedEnd) * p.costs.detentionBedDay
            border.costCommercial = Double(commercialAll) * p.costs.commercialRemoval

            observer.observe(day: t, countries: UnsafeBufferPointer(today), border: border, flights: flightsToday[...])
        }
    }
}
