/// The border-wide encounters of the last 7 days, Border Patrol and ports
/// apart, the input of the restriction rule (docs/model.md 5.2 item 3 and
/// 5.3.1: the mean counted encounters of the previous 7 days, fewer at the
/// start of a run: the days there are).
///
/// Two rings of seven daily counts with their running sums, so the mean
/// costs the same whatever the run's length, and an event may change which
/// kind the rule counts. The sums are exact integers: the mean of a day does
/// not depend on how the window got there.
struct EncounterWindow: Sendable {
    /// The days averaged.
    static let length = 7

    private var borderPatrol = [Int](repeating: 0, count: EncounterWindow.length)
    private var ports = [Int](repeating: 0, count: EncounterWindow.length)
    /// Where the next day goes: the oldest day once the window is full.
    private var next = 0
    /// Days held, at most `length`.
    private(set) var dayCount = 0
    private(set) var borderPatrolSum = 0
    private(set) var portsSum = 0

    var isEmpty: Bool { dayCount == 0 }

    /// Adds one day's border-wide encounters, dropping the oldest day once
    /// seven are held. A single encounter process counts as Border Patrol.
    mutating func append(borderPatrol bp: Int, ports port: Int) {
        borderPatrolSum += bp - borderPatrol[next]
        portsSum += port - ports[next]
        borderPatrol[next] = bp
        ports[next] = port
        next = (next + 1) % Self.length
        dayCount = min(dayCount + 1, Self.length)
    }

    /// The mean of the counted encounters of the days held, of which the
    /// share `countedShare` counts (the deprecated
    /// `restrictions.counted_share`); nil before the first day.
    ///
    /// The one place the rule's `A` is computed: the rule reads it in the
    /// morning, the day's record (`encounters_7day_average`) in the evening.
    func mean(counts: CountedEncounters, countedShare: Double) -> Double? {
        if isEmpty { return nil }
        let sum = switch counts {
        case .borderPatrol: borderPatrolSum
        case .ports: portsSum
        case .all: borderPatrolSum + portsSum
        }
        return countedShare * Double(sum) / Double(dayCount)
    }
}
