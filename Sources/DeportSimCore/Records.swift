/// What happened to one country on one day: flows of the day and stocks at
/// its end. The simulator hands these to a `DayObserver`.
public struct CountryDay: Sendable {
    /// `encounters` = Border Patrol + ports (docs/model.md 5.3.1).
    public var encounters = 0, encountersBorderPatrol = 0, encountersPorts = 0, expeditedRemoval = 0, noticeToAppear = 0, voluntaryReturn = 0
    public var fearClaims = 0, fearPassed = 0, courtDecisions = 0, removalOrders = 0, relief = 0
    public var departures = 0, arrests = 0, bookIns = 0, releasedUnadmitted = 0, documentsIssued = 0
    public var releasedAtLimit = 0, removalsCharter = 0, removalsCommercial = 0, flights = 0, seatsUsed = 0
    public var pending = 0, atLarge = 0, detainedAwaiting = 0, detainedReady = 0

    public init() {}

    /// People who left the system today (voluntary returns, relief,
    /// departures, removals): the exits of the conservation identity.
    public var exits: Int { voluntaryReturn + relief + departures + removalsCharter + removalsCommercial }
    public var stockTotal: Int { pending + atLarge + detainedAwaiting + detainedReady }

    /// Adds today's flows to a country row and sets its stocks. The
    /// recorder's hot path: one pass, no lookups.
    @inline(__always) func accumulate(into row: UnsafeMutablePointer<Double>) {
        @inline(__always) func flow(_ m: Metric, _ x: Int) { row[m.rawValue] += Double(x) }
        @inline(__always) func stock(_ m: Metric, _ x: Int) { row[m.rawValue] = Double(x) }
        flow(.encounters, encounters); flow(.encountersBorderPatrol, encountersBorderPatrol); flow(.encountersPorts, encountersPorts)
        flow(.expeditedRemoval, expeditedRemoval); flow(.noticeToAppear, noticeToAppear)
        flow(.voluntaryReturn, voluntaryReturn); flow(.fearClaims, fearClaims); flow(.fearPassed, fearPassed)
        flow(.courtDecisions, courtDecisions); flow(.removalOrders, removalOrders); flow(.relief, relief)
        flow(.departures, departures); flow(.arrests, arrests); flow(.bookIns, bookIns)
        flow(.releasedUnadmitted, releasedUnadmitted); flow(.documentsIssued, documentsIssued)
        flow(.releasedAtLimit, releasedAtLimit); flow(.removalsCharter, removalsCharter)
        flow(.removalsCommercial, removalsCommercial); flow(.removals, removalsCharter + removalsCommercial)
        flow(.flights, flights); flow(.seatsUsed, seatsUsed)
        stock(.pending, pending); stock(.atLarge, atLarge); stock(.detainedAwaiting, detainedAwaiting)
        stock(.detainedReady, detainedReady); stock(.detained, detainedAwaiting + detainedReady)
    }

    @inline(__always) public func value(_ m: Metric) -> Double {
        switch m {
        case .encounters: Double(encounters)
        case .encountersBorderPatrol: Double(encountersBorderPatrol)
        case .encountersPorts: Double(encountersPorts)
        case .expeditedRemoval: Double(expeditedRemoval)
        case .noticeToAppear: Double(noticeToAppear)
        case .voluntaryReturn: Double(voluntaryReturn)
        case .fearClaims: Double(fearClaims)
        case .fearPassed: Double(fearPassed)
        case .courtDecisions: Double(courtDecisions)
        case .removalOrders: Double(removalOrders)
        case .relief: Double(relief)
        case .departures: Double(departures)
        case .arrests: Double(arrests)
        case .bookIns: Double(bookIns)
        case .releasedUnadmitted: Double(releasedUnadmitted)
        case .documentsIssued: Double(documentsIssued)
        case .releasedAtLimit: Double(releasedAtLimit)
        case .removalsCharter: Double(removalsCharter)
        case .removalsCommercial: Double(removalsCommercial)
        case .removals: Double(removalsCharter + removalsCommercial)
        case .flights: Double(flights)
        case .seatsUsed: Double(seatsUsed)
        case .pending: Double(pending)
        case .atLarge: Double(atLarge)
        case .detainedAwaiting: Double(detainedAwaiting)
        case .detainedReady: Double(detainedReady)
        case .detained: Double(detainedAwaiting + detainedReady)
        default: 0
        }
    }
}

/// Border-wide figures of one day.
public struct BorderDay: Sendable {
    public var encountersTotal = 0
    public var otherEncounters = 0
    /// Border-wide (countries and others) by kind: the rule's window (5.3.1).
    public var encountersBorderPatrol = 0, encountersPorts = 0
    /// The 7-day mean the restriction rule will read tomorrow (counted
    /// share applied): mean of the last 7 days' border-wide encounters, today included.
    public var encounters7dayAverage = 0.0
    public var restrictionActive = false
    public var bedsOccupied = 0
    /// Charters flown today (each counted once, whatever its countries).
    public var flightsFlown = 0
    public var flightsCancelled = 0
    public var seatsFlown = 0
    public var costDetention = 0.0
    public var costCharter = 0.0
    public var costCommercial = 0.0
    public init() {}

    @inline(__always) public func value(_ m: Metric) -> Double {
        switch m {
        case .encountersTotal: Double(encountersTotal)
        case .otherEncounters: Double(otherEncounters)
        case .encounters7dayAverage: encounters7dayAverage
        case .restrictionDays: restrictionActive ? 1 : 0
        case .bedsOccupied: Double(bedsOccupied)
        case .flightsCancelled: Double(flightsCancelled)
        case .seatsFlown: Double(seatsFlown)
        case .costDetention: costDetention
        case .costCharter: costCharter
        case .costCommercial: costCommercial
        case .costTotal: costDetention + costCharter + costCommercial
        case .flights: Double(flightsFlown)
        default: 0
        }
    }
}

public enum FlightStatus: String, Sendable {
    case flown
    /// Beyond `capacity.charter_flights_per_day` that day.
    case cancelledCap = "cancelled_cap"
    /// Drawn with the route's `cancel_probability`.
    case cancelledRandom = "cancelled_random"
    /// Fewer than `min_load * seats` people ready (or nobody).
    case cancelledLoad = "cancelled_load"
    /// A would-be departure of a suspended route (docs/model.md 5.9.4).
    case suspended
}

public struct FlightRecord: Sendable {
    public var day: Int
    public var routeIndex: Int
    public var seats: Int
    public var boarded: Int
    public var status: FlightStatus
    /// Boarded people per route country, in the route's country order.
    public var boardedByCountry: [Int]
}

/// Receives every simulated day of a replication, in order.
public protocol DayObserver {
    /// Whether flight records should be built and passed.
    var wantsFlights: Bool { get }
    mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay,
                          flights: ArraySlice<FlightRecord>)
    /// Sees a warm-up day (t < 0), which no output records (docs/model.md
    /// 2.9); by default nothing. For checks that follow every simulated day.
    mutating func observeWarmup(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay)
}

extension DayObserver {
    public mutating func observeWarmup(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay) {}
}
