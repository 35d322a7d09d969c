internal import GSLSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seeds of the random streams (docs/model.md, "Time, randomness, replications").
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

    /// The seed index of simulated day t (docs/model.md 2.4): t on the run's
    /// days, t - 1 on warm-up days, so that none shares index -1, the draws
    /// made when a replication starts.
    @inline(__always) public static func index(ofDay t: Int) -> Int { t >= 0 ? t : t - 1 }
}

/// Splits `total` in proportion to `weights` by largest remainder: integer
/// quotas floor(total * w_i / W), the rest one each to the largest
/// remainders, ties to the lower index (docs/model.md 6.1).
public func largestRemainder(total: Int, weights: [Int]) -> [Int] {
    let sum = weights.reduce(0, +)
    guard sum > 0, total > 0 else { return Array(repeating: 0, count: weights.count) }
    var quotas = [Int](repeating: 0, count: weights.count)
    var remainders = [Int](repeating: 0, count: weights.count)
    var assigned = 0
    for (i, w) in weights.enumerated() {
        (quotas[i], remainders[i]) = (total * w).quotientAndRemainder(dividingBy: sum)
        assigned += quotas[i]
    }
    let left = total - assigned
    guard left > 0 else { return quotas }
    // The order: remainder descending, then index ascending. Packed as
    // (sum - remainder) << indexBits | index, the `left` smallest integers
    // are the remainders to round up; a selection finds them without
    // sorting (the bed shares split every day beds are short). Sums too
    // large to pack sort the indices by comparison.
    let indexBits = Swift.max(1, Int.bitWidth - (weights.count - 1).leadingZeroBitCount)
    if sum.leadingZeroBitCount > indexBits {
        let mask = UInt64(1) << UInt64(indexBits) - 1
        var keys: [UInt64] = []
        keys.reserveCapacity(weights.count)
        for i in remainders.indices where remainders[i] > 0 { keys.append(UInt64(sum - remainders[i]) << UInt64(indexBits) | UInt64(i)) }
        moveSmallestFirst(left, of: &keys)
        for key in keys.prefix(left) { quotas[Int(key & mask)] += 1 }
    } else {
        let order = remainders.indices.filter { remainders[$0] > 0 }
            .sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }.prefix(left)
        for i in order { quotas[i] += 1 }
    }
    return quotas
}

/// Reorders distinct `keys` so that the first `k` are the `k` smallest, in
/// no particular order: Hoare's FIND (Hoare 1961, CACM Algorithm 65), with
/// the median of the first, middle and last keys as the pivot (Singleton
/// 1969, CACM Algorithm 347). Expected linear time.
func moveSmallestFirst(_ k: Int, of keys: inout [UInt64]) {
    guard k > 0 && k < keys.count else { return }
    keys.withUnsafeMutableBufferPointer { a in
        let target = k - 1
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi]
            let pivot = Swift.max(Swift.min(x, y), Swift.min(Swift.max(x, y), z))
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            // a[lo...j] <= pivot <= a[i...hi]; between them, the pivot itself.
            if target <= j { hi = j } else if target >= i { lo = i } else { return }
        }
    }
}

/// Runs replications of one scenario. Owns its random streams, so give
/// each worker thread its own.
///
/// `run` is the model's day (docs/model.md, "One day, in order"): setup, then
/// one call per step and day; the steps are in DaySteps.swift, the state
/// they change in `ReplicationState`.
public final class Simulator {
    public let scenario: Scenario
    public let generator: RandomGeneratorKind
    let countryStreams: [RandomStream]
    /// Plain handles on `countryStreams`, for the per-country loops: no
    /// reference counting there. Valid while the streams live.
    let countryRNG: [RandomStreamHandle]
    /// `ports:<code>` per country (docs/model.md 5.3.1), and their handles.
    let portStreams: [RandomStream]
    let portRNG: [RandomStreamHandle]
    let routeStreams: [RandomStream]
    let borderStream: RandomStream
    let borderPortsStream: RandomStream
    /// Recorded days, 0..<dayCount.
    let dayCount: Int
    /// The first simulated day: -warmup_days (docs/model.md 2.9).
    let firstDay: Int
    /// Per simulated day, indexed by t - firstDay.
    let monthOfDay: [Int]          // 0-based calendar month
    let daysInMonthOfDay: [Int]
    let yearsSinceStart: [Double]
    /// The day index of each entry of `scenario.changes`.
    let changeDays: [Int]
    /// Per simulated day (indexed by t - firstDay), the calendar month
    /// counted from the month of `start` (0; negative in the warm-up), for
    /// the monthly shocks (docs/model.md 5.3.2).
    let monthIndexOfDay: [Int]
    /// Months from the month of `start` to the month of `end`.
    let monthCount: Int
    /// Restarted per uncertain input and per month of a shock series.
    let uncertainStream: RandomStream
    let shockStream: RandomStream
    /// GSL alias tables of the `choice` inputs and of a weighted sample file.
    let choiceTables: [DiscreteDistribution?]
    let sampleTable: DiscreteDistribution?

    public init(scenario: Scenario, generator: RandomGeneratorKind = .taus2) {
        self.scenario = scenario
        self.generator = generator
        let p = scenario.parameters
        countryStreams = p.countries.map { _ in RandomStream(kind: generator.gslType) }
        countryRNG = countryStreams.map(\.handle)
        portStreams = p.countries.map { _ in RandomStream(kind: generator.gslType) }
        portRNG = portStreams.map(\.handle)
        routeStreams = p.routes.map { _ in RandomStream(kind: generator.gslType) }
        borderStream = RandomStream(kind: generator.gslType)
        borderPortsStream = RandomStream(kind: generator.gslType)
        dayCount = scenario.dayCount
        firstDay = -scenario.warmupDays
        var months: [Int] = [], dim: [Int] = [], years: [Double] = [], monthIndex: [Int] = []
        for d in firstDay..<dayCount {
            let date = scenario.date(ofDay: d)
            months.append(date.month - 1)
            monthIndex.append(12 * (date.year - scenario.start.year) + date.month - scenario.start.month)
            dim.append(CivilDate.daysIn(year: date.year, month: date.month))
            // docs/model.md 5.3: day index / 365.25 (negative in the warm-up).
            years.append(Double(d) / 365.25)
        }
        monthOfDay = months; daysInMonthOfDay = dim; yearsSinceStart = years
        monthIndexOfDay = monthIndex; monthCount = (monthIndex.last ?? 0) + 1
        changeDays = scenario.changes.map { scenario.dayIndex(of: $0.date) }
        uncertainStream = RandomStream(kind: generator.gslType)
        shockStream = RandomStream(kind: generator.gslType)
        (choiceTables, sampleTable) = Simulator.discreteTables(scenario.uncertainty)
    }

    /// Simulates one replication, handing each day to `observer`.
    ///
    /// Setup in a fixed order (seeds, state, the charter dates drawn at the
    /// start), then the days. The order of the steps is the order of the
    /// draws (docs/model.md: "That order is part of the model"): each country's,
    /// route's and border stream draws step by step as listed here.
    /// A replication's values: the scenario's at the start and in each event
    /// snapshot, with its uncertain inputs drawn (docs/model.md 8.7).
    public func replicationParameters(replication: Int, point: Int = 0, seed: UInt64? = nil) -> (ModelParameters, [ModelParameters]) {
        var p = scenario.parameters
        var changes = scenario.changes.map(\.parameters)
        if !scenario.uncertainty.isEmpty {
            scenario.uncertainty.apply(uncertainDraw(replication: replication, point: point, seed: seed).values,
                                       to: &p, changes: &changes, years: Double(dayCount - 1) / 365.25)
        }
        return (p, changes)
    }

    public func run<O: DayObserver>(replication: Int, point: Int = 0, seed: UInt64? = nil, observer: inout O) {
        let runSeed = seed ?? scenario.seed
        func base(_ key: String) -> UInt64 {
            StreamSeed.base(runSeed: runSeed, point: point, replication: replication, key: key)
        }
        let (p, changes) = replicationParameters(replication: replication, point: point, seed: seed)
        let seeds = StreamSeeds(countries: p.countries.map { base("country:" + $0.code) },
                                ports: p.countries.map { base("ports:" + $0.code) },
                                routes: p.routes.map { base("route:" + $0.id) },
                                border: base("border"), borderPorts: base("border:ports"))
        var s = ReplicationState(parameters: p, changes: changes, firstDay: firstDay, dayCount: dayCount, seeds: seeds,
                                 plannedDepartures: plannedDepartures(p.routes, routeSeeds: seeds.routes),
                                 shocks: encounterShocks(p, changes: changes, base: base))
        defer { s.deallocate() }

        // Warm-up days (t < 0) run every step and are not recorded (docs/model.md 2.9).
        for t in firstDay..<dayCount {
            let recordFlights = t >= 0 && observer.wantsFlights
            startDay(t, &s)
            events(day: t, &s)                      // 1
            restrictionRule(day: t, &s)             // 2
            encounters(day: t, &s)                  // 3
            pathways(&s)                            // 4
            courts(&s)                              // 5
            atLarge(&s)                             // 6
            detentionAdmission(day: t, &s)          // 7
            travelDocuments(day: t, &s)             // 8
            charters(day: t, &s, recordFlights: recordFlights)  // 9
            commercialRemovals(&s)                  // 9
            detentionDayLimit(day: t, &s)           // 10
            record(day: t, &s, observer: &observer) // 11
        }
    }

    /// Charter departures of each route, as sorted day indices, for the
    /// schedules fixed at the start of a replication (`dates`, `every_days`).
    /// The jitter draws use each route's stream restarted for day -1
    /// (docs/model.md 5.9.1: routes in order, dates in order). Warm-up days
    /// get the nominal dates of `every_days`, unjittered, so the jitter draws
    /// of the run's dates do not depend on the warm-up (2.9).
    private func plannedDepartures(_ routes: [Route], routeSeeds: [UInt64]) -> [[Int]] {
        let start = scenario.start.dayNumber
        return routes.enumerated().map { r, route in
            switch route.schedule {
            case .dates(let dates):
                return dates.map { $0.dayNumber - start }.filter { $0 >= 0 && $0 < dayCount }.sorted()
            case .everyDays(let every, let first, let jitter):
                let rng = routeStreams[r]
                rng.reseed(StreamSeed.day(routeSeeds[r], -1))
                let firstNominal = first.dayNumber - start
                // The nominal dates inside the warm-up: first + k x every, k of either sign.
                var warmup: [Int] = []
                if firstDay < 0 {
                    let k0 = Int((Double(firstDay - firstNominal) / Double(every)).rounded(.up))
                    var d = firstNominal + k0 * every
                    while d < 0 { if d >= firstDay { warmup.append(d) }; d += every }
                }
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
                return warmup + days.sorted()
            case .perMonth:
                return []
            }
        }
    }
}
