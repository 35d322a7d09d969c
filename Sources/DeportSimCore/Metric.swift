/// Every output metric, named as in docs/model.md. This one list drives the
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

    /// The metric in words, as charts and tables title it.
    public var label: String {
        switch self {
        case .bookIns: "Book-ins (detention admissions)"
        case .encountersTotal: "Encounters, all nationalities"
        case .encounters7dayAverage: "Encounters, 7-day average (all nationalities)"
        case .atLarge: "At large with a removal order"
        case .pending: "Pending (in proceedings, not detained)"
        case .detained: "Detained"
        case .releasedAtLimit: "Released at the detention limit"
        case .costTotal: "Cost, total"
        default: Metric.words(name)
        }
    }

    /// "removals_charter" -> "Removals charter".
    public static func words(_ name: String) -> String {
        let words = name.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// What one unit of the metric counts.
    public var unit: MetricUnit {
        switch self {
        case .costDetention, .costCharter, .costCommercial, .costTotal: .usDollars
        case .encounters7dayAverage: .peoplePerDay
        case .flights, .flightsCancelled: .flights
        case .restrictionDays: .days
        default: .people
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

/// The unit of a metric's values.
public enum MetricUnit: Sendable, Equatable {
    case people, peoplePerDay, flights, days, usDollars

    /// The unit as the report writes it.
    public var text: String {
        switch self {
        case .people: "people"
        case .peoplePerDay: "people per day"
        case .flights: "flights"
        case .days: "days"
        case .usDollars: "US$"
        }
    }
}
