/// The border-wide encounters of the last 7 days, the input of the
/// restriction rule (MODEL.md step 2: "the mean border-wide encounters of
/// the previous 7 days (fewer at the start of a run: the days there are)").
///
/// A ring of seven daily counts with their running sum, so the mean costs
/// the same whatever the run's length. The sum is an exact integer: the
/// mean of a day does not depend on how the window got there.
struct EncounterWindow: Sendable {
    /// The days averaged.
    static let length = 7

    private var counts = [Int](repeating: 0, count: EncounterWindow.length)
    /// Where the next day goes: the oldest day once the window is full.
    private var next = 0
    /// Days held, at most `length`.
    private(set) var dayCount = 0
    private(set) var sum = 0

    var isEmpty: Bool { dayCount == 0 }

    /// Adds one day's border-wide encounters, dropping the oldest day once
    /// seven are held.
    mutating func append(_ encounters: Int) {
        sum += encounters - counts[next]
        counts[next] = encounters
        next = (next + 1) % Self.length
        dayCount = min(dayCount + 1, Self.length)
    }

    /// The mean of the days held, of which the share `countedShare` counts
    /// (`restrictions.counted_share`: the rule's thresholds may count only
    /// part of the modelled encounters); nil before the first day.
    ///
    /// The one place the rule's `A` is computed: the rule reads it in the
    /// morning, the day's record (`encounters_7day_average`) in the evening.
    func mean(countedShare: Double) -> Double? {
        isEmpty ? nil : countedShare * Double(sum) / Double(dayCount)
    }
}
