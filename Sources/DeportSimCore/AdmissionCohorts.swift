#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each country's `detained_awaiting`, kept as admission-day cohorts, oldest
/// first (docs/model.md 3 and 3.1): travel documents go to the oldest
/// cohorts first (5.8) and the detention-day limit releases cohorts by
/// their admission day (5.10).
///
/// One flat buffer of countries x slots, owned by the replication
/// (`deallocate()` frees it): slot a - origin holds the people admitted on
/// day a, from the oldest initial cohort (`origin`) to the last recorded
/// day. A run has at most one cohort a day, so no slot is ever reused, and a
/// per-country index of the oldest non-empty slot keeps each day's work
/// proportional to the cohorts it touches.
struct AdmissionCohorts {
    private let people: UnsafeMutableBufferPointer<Int>
    /// Per country: every slot before this one is empty.
    private let oldestSlot: UnsafeMutableBufferPointer<Int>
    private let slotsPerCountry: Int
    /// The admission day of slot 0: the oldest initial cohort's.
    let origin: Int

    /// - Parameters:
    ///   - initial: each country's initial cohorts by days already detained
    ///     at the end of the day before `firstDay`.
    ///   - firstDay: the first simulated day (-warmup_days).
    ///   - dayCount: the recorded days (0..<dayCount).
    init(initial: [[AgeCohort]], firstDay: Int, dayCount: Int) {
        let oldestAge = initial.flatMap { $0.map(\.days) }.max() ?? 1
        origin = firstDay - max(1, oldestAge)
        slotsPerCountry = dayCount - origin
        people = .allocate(capacity: initial.count * slotsPerCountry)
        people.initialize(repeating: 0)
        oldestSlot = .allocate(capacity: initial.count)
        oldestSlot.initialize(repeating: 0)
        for (c, cohorts) in initial.enumerated() {
            for k in cohorts { people[c * slotsPerCountry + firstDay - k.days - origin] += k.count }
        }
    }

    func deallocate() {
        people.deallocate()
        oldestSlot.deallocate()
    }

    /// The people of `country` admitted on `day` still awaiting.
    func count(country: Int, admittedOn day: Int) -> Int { people[country * slotsPerCountry + day - origin] }

    /// Today's cohort: the people admitted on `day` (step 7).
    func admit(_ count: Int, country: Int, day: Int) {
        people[country * slotsPerCountry + day - origin] = count
    }

    /// Removes `count` people, oldest cohorts first (step 8: documents
    /// issued). `count` must not exceed the country's cohorts, today's included.
    func removeOldest(_ count: Int, country: Int, day: Int) {
        let base = country * slotsPerCountry
        var left = count
        var slot = oldestSlot[country]
        while left > 0 {
            slot = firstOccupiedSlot(country: country, from: slot, day: day)
            let taken = min(left, people[base + slot])
            assert(taken > 0, "more people removed than the cohorts hold")
            people[base + slot] -= taken
            left -= taken
        }
        oldestSlot[country] = firstOccupiedSlot(country: country, from: slot, day: day)
    }

    /// Removes every cohort admitted on or before `lastAdmissionDay` and
    /// returns how many people they held (step 10: released at the limit).
    func release(admittedThrough lastAdmissionDay: Int, country: Int, day: Int) -> Int {
        let base = country * slotsPerCountry
        // Slots up to today's: a limit of 1 day or less releases today's admissions too.
        let lastSlot = min(lastAdmissionDay, day) - origin
        var released = 0
        var slot = oldestSlot[country]
        while slot <= lastSlot {
            released += people[base + slot]
            people[base + slot] = 0
            slot += 1
        }
        oldestSlot[country] = firstOccupiedSlot(country: country, from: slot, day: day)
        return released
    }

    /// The first slot from `slot` on that holds someone. The search stops
    /// at today's slot: later slots are still empty.
    private func firstOccupiedSlot(country: Int, from slot: Int, day: Int) -> Int {
        let base = country * slotsPerCountry
        let today = day - origin
        var slot = slot
        while slot < today && people[base + slot] == 0 { slot += 1 }
        return slot
    }
}

extension InitialAgeProfile {
    /// The longest age a profile may hold, and the cap of the steady
    /// state's M: 100 years, the longest run.
    public static let maxDays = 36_525

    /// The initial cohorts of `total` awaiting people (docs/model.md 3.1).
    ///
    /// `steadyState` spreads them evenly over the ages 1...M,
    /// M = max(1, min(L - 1, floor(1/p) - 1)): with documents taken oldest
    /// first, equal cohorts are the stationary state of constant admissions,
    /// the queue reaching the limit L when p x L <= 1 and about 1/p - 1 days
    /// of admissions otherwise. Largest remainder with equal weights gives
    /// the people left over to the youngest cohorts.
    public func cohorts(total: Int, documentProbability p: Double, maxDetentionDays: Int?) -> [AgeCohort] {
        switch self {
        case .oneCohort:
            return [AgeCohort(days: 1, count: total)]
        case .cohorts(let list):
            return list
        case .steadyState:
            let byLimit = maxDetentionDays.map { Double($0 - 1) } ?? .infinity
            let byDocuments = p > 0 ? floor(1 / p) - 1 : .infinity
            let m = Int(max(1, min(Double(Self.maxDays), byLimit, byDocuments)))
            let shares = largestRemainder(total: total, weights: [Int](repeating: 1, count: m))
            return shares.enumerated().map { AgeCohort(days: $0.offset + 1, count: $0.element) }
        }
    }
}
