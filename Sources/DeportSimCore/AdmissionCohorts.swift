/// Each country's `detained_awaiting`, kept as admission-day cohorts, oldest
/// first (MODEL.md, "State per country"): travel documents go to the oldest
/// cohorts first (step 8) and the detention-day limit releases cohorts by
/// their admission day (step 10, precise semantics 11).
///
/// One flat buffer of countries x (days + 1) slots, owned by the replication
/// (`deallocate()` frees it): slot a + 1 holds the people admitted on day a,
/// and slot 0 the initial stock, one cohort admitted the day before start
/// (precise semantics 10). A run has at most one cohort a day, so no slot is
/// ever reused, and a per-country index of the oldest non-empty slot keeps
/// each day's work proportional to the cohorts it touches.
struct AdmissionCohorts {
    private let people: UnsafeMutableBufferPointer<Int>
    /// Per country: every slot before this one is empty.
    private let oldestSlot: UnsafeMutableBufferPointer<Int>
    private let slotsPerCountry: Int

    /// - Parameter initial: each country's initial `detained_awaiting`.
    init(initial: [Int], dayCount: Int) {
        slotsPerCountry = dayCount + 1
        people = .allocate(capacity: initial.count * slotsPerCountry)
        people.initialize(repeating: 0)
        oldestSlot = .allocate(capacity: initial.count)
        oldestSlot.initialize(repeating: 0)
        for (c, n) in initial.enumerated() { people[c * slotsPerCountry] = n }
    }

    func deallocate() {
        people.deallocate()
        oldestSlot.deallocate()
    }

    /// The people of `country` admitted on `day` (-1: the initial cohort) still awaiting.
    func count(country: Int, admittedOn day: Int) -> Int { people[country * slotsPerCountry + day + 1] }

    /// Today's cohort: the people admitted on `day` (step 7).
    func admit(_ count: Int, country: Int, day: Int) {
        people[country * slotsPerCountry + day + 1] = count
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
        // Slots up to today's (day + 1): a limit of 1 day or less releases
        // today's admissions too.
        let lastSlot = min(lastAdmissionDay + 1, day + 1)
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
    /// at today's slot (day + 1): later slots are still empty.
    private func firstOccupiedSlot(country: Int, from slot: Int, day: Int) -> Int {
        let base = country * slotsPerCountry
        var slot = slot
        while slot <= day && people[base + slot] == 0 { slot += 1 }
        return slot
    }
}
