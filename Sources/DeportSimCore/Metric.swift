/// Every output metric, named as in MODEL.md. This one list drives the
/// recorder, the summary and every CSV header.
public enum Metric: Int, CaseIterable, Sendable, Comparable {
    // Per-country flows (summed over a period).
    case encounters, encountersBorderPatrol, encountersPorts, expeditedRemoval, noticeToAppear, voluntaryReturn, fearClaims, fearPassed
    case courtDecisions, removalOrders, relief, departures, arrests, bookIns, releasedUnadmitted
    case documentsIssued, releasedAtLimit, removalsCharter, removalsCommercial, removals, flights, seatsUsed
    // Per-country stocks (value on the period's last day).
    case pending, atLarge, detainedAwaiting, detainedReady, detained
    // Border-wide, country ALL only.
    case encountersTotal, otherEncounters, encounters7dayAverage, restrictionDays, bedsOccupied
    case flightsCancelled, seatsFlown, costDetention, costCharter, costCommercial, costTotal

    public var name: String {
        switch self {
        case .encounters: "encounters"
        case .encountersBorderPatrol: "encounters_border_patrol"
        case .encountersPorts: "encounters_ports"
        case .expeditedRemoval: "expedited_removal"
        case .noticeToAppear: "notice_to_appear"
        case .voluntaryReturn: "voluntary_return"
        case .fearClaims: "fear_claims"
        case .fearPassed: "fear_passed"
        case .courtDecisions: "court_decisions"
        case .removalOrders: "removal_orders"
        case .relief: "relief"
        case .departures: "departures"
        case .arrests: "arrests"
        case .bookIns: "book_ins"
        case .releasedUnadmitted: "released_unadmitted"
        case .documentsIssued: "documents_issued"
        case .releasedAtLimit: "released_at_limit"
        case .removalsCharter: "removals_charter"
        case .removalsCommercial: "removals_commercial"
        case .removals: "removals"
        case .flights: "flights"
        case .seatsUsed: "seats_used"
        case .pending: "pending"
        case .atLarge: "at_large"
        case .detainedAwaiting: "detained_awaiting"
        case .detainedReady: "detained_ready"
        case .detained: "detained"
        case .encountersTotal: "encounters_total"
        case .otherEncounters: "other_encounters"
        case .encounters7dayAverage: "encounters_7day_average"
        case .restrictionDays: "restriction_days"
        case .bedsOccupied: "beds_occupied"
        case .flightsCancelled: "flights_cancelled"
        case .seatsFlown: "seats_flown"
        case .costDetention: "cost_detention"
        case .costCharter: "cost_charter"
        case .costCommercial: "cost_commercial"
        case .costTotal: "cost_total"
        }
    }

    public init?(name: String) {
        guard let m = Metric.allCases.first(where: { $0.name == name }) else { return nil }
        self = m
    }

    /// Stocks report the value on a period's last day; flows a sum.
    public var isStock: Bool {
        switch self {
        case .pending, .atLarge, .detainedAwaiting, .detainedReady, .detained, .encounters7dayAverage, .bedsOccupied:
            true
        default: false
        }
    }

    /// Metrics that exist only for country ALL.
    public var isBorderWide: Bool { rawValue >= Metric.encountersTotal.rawValue }

    public static let perCountry: [Metric] = allCases.filter { !$0.isBorderWide }
    public static let borderWide: [Metric] = allCases.filter { $0.isBorderWide }
    public static let count = allCases.count

    /// Reported only by scenarios with two encounter streams (docs/model.md 11).
    public var isEncounterStream: Bool { self == .encountersBorderPatrol || self == .encountersPorts }

    public static func < (a: Metric, b: Metric) -> Bool { a.rawValue < b.rawValue }
}
