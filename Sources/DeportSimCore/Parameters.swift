/// The values of the model (docs/model.md, "Scenario file"), with defaults filled
/// in and already validated by the loader. Units are in the names.
public struct ModelParameters: Sendable, Equatable {
    public var capacity: Capacity
    public var costs: Costs
    public var border: Border
    public var countries: [Country]
    public var routes: [Route]

    public init(capacity: Capacity = .init(), costs: Costs = .init(), border: Border = .init(),
                countries: [Country], routes: [Route] = []) {
        self.capacity = capacity; self.costs = costs; self.border = border
        self.countries = countries; self.routes = routes
    }
}

public struct Capacity: Sendable, Equatable {
    /// nil: unlimited.
    public var detentionBeds: Int?
    /// Awaiting-document cohorts are released when their stay reaches this
    /// many days (Zadvydas v. Davis, 533 U.S. 678 (2001): six months). nil: no limit.
    public var maxDetentionDays: Int?
    /// nil: unlimited.
    public var charterFlightsPerDay: Int?
    public init(detentionBeds: Int? = nil, maxDetentionDays: Int? = nil, charterFlightsPerDay: Int? = nil) {
        self.detentionBeds = detentionBeds; self.maxDetentionDays = maxDetentionDays
        self.charterFlightsPerDay = charterFlightsPerDay
    }
}

/// Unit costs in US dollars.
public struct Costs: Sendable, Equatable {
    public var detentionBedDay: Double
    public var charterFlightHour: Double
    public var commercialRemoval: Double
    public init(detentionBedDay: Double = 0, charterFlightHour: Double = 0, commercialRemoval: Double = 0) {
        self.detentionBedDay = detentionBedDay; self.charterFlightHour = charterFlightHour
        self.commercialRemoval = commercialRemoval
    }
}

public enum CountDistribution: String, Sendable, Equatable, CaseIterable {
    case poisson
    case negativeBinomial = "negative_binomial"
}

/// A daily count process: encounters of one nationality, or the others.
public struct EncounterProcess: Sendable, Equatable {
    public var perDay: Double
    public var distribution: CountDistribution
    /// Negative binomial size k: variance mu + mu^2 / k.
    public var dispersion: Double
    /// Twelve multipliers, January first, used as given.
    public var seasonality: [Double]
    public var trendPerYear: Double
    /// Stationary sd of the monthly log-shock of the mean (docs/model.md 5.3.2); 0: no shocks.
    public var volatility: Double
    /// AR(1) persistence of the monthly own shock; fixed at the start.
    public var volatilityPersistence: Double
    /// A stated round value, not an estimate (docs/model.md 5.3.2): a shock keeps half its weight a month on.
    public static let defaultVolatilityPersistence = 0.5
    public init(perDay: Double, distribution: CountDistribution = .poisson, dispersion: Double = 0,
                seasonality: [Double] = Array(repeating: 1, count: 12), trendPerYear: Double = 0,
                volatility: Double = 0, volatilityPersistence: Double = EncounterProcess.defaultVolatilityPersistence) {
        self.perDay = perDay; self.distribution = distribution; self.dispersion = dispersion
        self.seasonality = seasonality; self.trendPerYear = trendPerYear
        self.volatility = volatility; self.volatilityPersistence = volatilityPersistence
    }
}

public struct PathwayShares: Sendable, Equatable {
    public var expeditedRemoval: Double
    public var noticeToAppear: Double
    public var voluntaryReturn: Double
    public init(expeditedRemoval: Double, noticeToAppear: Double, voluntaryReturn: Double) {
        self.expeditedRemoval = expeditedRemoval; self.noticeToAppear = noticeToAppear
        self.voluntaryReturn = voluntaryReturn
    }
}

public struct Deterrence: Sendable, Equatable {
    public var elasticity: Double
    public var halfLifeDays: Double
    public var initialRemovalsPerDay: Double
    public init(elasticity: Double = 0, halfLifeDays: Double = 30, initialRemovalsPerDay: Double = 0) {
        self.elasticity = elasticity; self.halfLifeDays = halfLifeDays
        self.initialRemovalsPerDay = initialRemovalsPerDay
    }
    /// EWMA weight of today: 1 - 2^(-1/h).
    public var ewmaWeight: Double { 1 - pow2(-1 / halfLifeDays) }
}

@inline(__always) func pow2(_ x: Double) -> Double { exp(x * 0.693_147_180_559_945_3) }

public struct CredibleFear: Sendable, Equatable {
    public var claimRate: Double
    public var passRate: Double
    public init(claimRate: Double = 0, passRate: Double = 0) { self.claimRate = claimRate; self.passRate = passRate }
}

public struct Court: Sendable, Equatable {
    public var meanDays: Double
    public var orderRate: Double
    public init(meanDays: Double, orderRate: Double) { self.meanDays = meanDays; self.orderRate = orderRate }
}

public struct AtLargeRates: Sendable, Equatable {
    public var arrestRatePerYear: Double
    public var departureRatePerYear: Double
    public init(arrestRatePerYear: Double = 0, departureRatePerYear: Double = 0) {
        self.arrestRatePerYear = arrestRatePerYear; self.departureRatePerYear = departureRatePerYear
    }
}

public struct TravelDocuments: Sendable, Equatable {
    public var meanDays: Double
    /// The destination government's willingness, 0 (suspended) to 1.
    public var cooperation: Double
    public init(meanDays: Double, cooperation: Double = 1) { self.meanDays = meanDays; self.cooperation = cooperation }
}

/// How the initial `detained_awaiting` stock is spread over admission days
/// (docs/model.md 3.1).
public enum InitialAgeProfile: Sendable, Equatable {
    /// All admitted the day before the first simulated day.
    case oneCohort
    /// The stationary profile of oldest-first documents: evenly over ages 1...M.
    case steadyState
    /// People by days already detained (>= 1), as given.
    case cohorts([AgeCohort])
}

public struct AgeCohort: Sendable, Equatable {
    /// Days already detained at the end of the day before the first simulated day.
    public var days: Int
    public var count: Int
    public init(days: Int, count: Int) { self.days = days; self.count = count }
}

public struct InitialStocks: Sendable, Equatable {
    public var pending: Int
    public var atLarge: Int
    public var detainedAwaiting: Int
    public var detainedReady: Int
    public var detainedAwaitingAge: InitialAgeProfile
    public init(pending: Int = 0, atLarge: Int = 0, detainedAwaiting: Int = 0, detainedReady: Int = 0,
                detainedAwaitingAge: InitialAgeProfile = .oneCohort) {
        self.pending = pending; self.atLarge = atLarge
        self.detainedAwaiting = detainedAwaiting; self.detainedReady = detainedReady
        self.detainedAwaitingAge = detainedAwaitingAge
    }
    public var total: Int { pending + atLarge + detainedAwaiting + detainedReady }
}

/// A country's own effects of the border-wide rule while it is active
/// (docs/model.md 5.2.1); nil: the rule's `while_active` value.
public struct CountryRestriction: Sendable, Equatable {
    public var encounterMultiplier: Double?
    public var pathways: PathwayShares?
    public init(encounterMultiplier: Double? = nil, pathways: PathwayShares? = nil) {
        self.encounterMultiplier = encounterMultiplier; self.pathways = pathways
    }
}

public struct Country: Sendable, Equatable {
    /// ISO 3166-1 alpha-3 code, or any key the scenario uses.
    public var code: String
    public var name: String
    /// The Border Patrol stream, or the single process (docs/model.md 5.3.1).
    public var encounters: EncounterProcess
    /// The port stream, drawn on `ports:<code>`; nil: none.
    public var portEncounters: EncounterProcess?
    /// Whether `encounters` was given as `border_patrol`/`ports` streams.
    public var encountersAsStreams = false
    public var restriction = CountryRestriction()
    public var deterrence: Deterrence
    public var pathways: PathwayShares
    public var credibleFear: CredibleFear
    public var court: Court
    public var atLarge: AtLargeRates
    public var travelDocuments: TravelDocuments
    public var commercialRemovalsPerDay: Double
    public var initial: InitialStocks

    public init(code: String, name: String? = nil, encounters: EncounterProcess, deterrence: Deterrence = .init(),
                pathways: PathwayShares, credibleFear: CredibleFear = .init(), court: Court,
                atLarge: AtLargeRates = .init(), travelDocuments: TravelDocuments,
                commercialRemovalsPerDay: Double = 0, initial: InitialStocks = .init()) {
        self.code = code; self.name = name ?? code; self.encounters = encounters; self.deterrence = deterrence
        self.pathways = pathways; self.credibleFear = credibleFear; self.court = court; self.atLarge = atLarge
        self.travelDocuments = travelDocuments; self.commercialRemovalsPerDay = commercialRemovalsPerDay
        self.initial = initial
    }
}

public enum FlightSchedule: Sendable, Equatable {
    /// Fixed departure dates; a repeated date flies twice.
    case dates([CivilDate])
    /// Nominal dates first + k * everyDays, each shifted by a uniform integer in [-jitterDays, jitterDays].
    case everyDays(Int, first: CivilDate, jitterDays: Int)
    /// Each day departs with probability min(1, perMonth / days in the month).
    case perMonth(Double)
}

public struct Route: Sendable, Equatable {
    public var id: String
    /// Indices into `ModelParameters.countries`, in the route's order.
    public var countryIndices: [Int]
    public var seats: Int
    public var blockHours: Double
    public var minLoad: Double
    public var cancelProbability: Double
    public var schedule: FlightSchedule
    /// A suspended route flies nothing (docs/model.md 5.9.4).
    public var suspended = false
    public init(id: String, countryIndices: [Int], seats: Int, blockHours: Double = 0, minLoad: Double = 0,
                cancelProbability: Double = 0, schedule: FlightSchedule) {
        self.id = id; self.countryIndices = countryIndices; self.seats = seats; self.blockHours = blockHours
        self.minLoad = minLoad; self.cancelProbability = cancelProbability; self.schedule = schedule
    }
}

public struct Border: Sendable, Equatable {
    /// Encounters of nationalities not modelled; they count toward the
    /// border-wide total only.
    public var otherEncounters: EncounterProcess?
    /// Their port stream, drawn on `border:ports` (docs/model.md 5.3.1).
    public var otherPortEncounters: EncounterProcess?
    public var otherEncountersAsStreams = false
    public var restrictions: RestrictionRule?
    /// Share of every process's monthly shock variance common to the border (docs/model.md 5.3.2); fixed at the start.
    public var commonShockShare: Double
    /// AR(1) persistence of the common shock; fixed at the start.
    public var commonShockPersistence: Double
    public init(otherEncounters: EncounterProcess? = nil, restrictions: RestrictionRule? = nil, commonShockShare: Double = 0,
                commonShockPersistence: Double = EncounterProcess.defaultVolatilityPersistence) {
        self.otherEncounters = otherEncounters; self.restrictions = restrictions
        self.commonShockShare = commonShockShare; self.commonShockPersistence = commonShockPersistence
    }
}

/// The border-wide restriction rule (Proclamation 10773 of 2024-06-03, 89 FR
/// 48487; amended by Proclamation 10817, 89 FR 80351, from 2024-10-01).
public struct RestrictionRule: Sendable, Equatable {
    public var effective: CivilDate
    /// Encounters a day (7-day mean) at or above which the rule activates.
    public var activateAt: Double
    public var deactivateBelow: Double
    public var deactivateAfterDays: Int
    public var deactivateDelayDays: Int
    /// The share of modelled border-wide encounters that counts toward the
    /// thresholds (DeportSim extension; default 1). A scenario that models
    /// USBP + OFO encounters while DHS counted Border Patrol apprehensions
    /// only sets the USBP share here.
    public var countedShare: Double
    /// Which encounter streams count toward the thresholds (docs/model.md 5.3.1).
    public var counts: CountedEncounters = .all
    /// Days over which the effects reach full strength after each activation (5.2.1).
    public var rampDays = 0
    public var whileActive: WhileActive
    public init(effective: CivilDate, activateAt: Double, deactivateBelow: Double, deactivateAfterDays: Int,
                deactivateDelayDays: Int = 0, countedShare: Double = 1, whileActive: WhileActive = .init()) {
        self.effective = effective; self.activateAt = activateAt; self.deactivateBelow = deactivateBelow
        self.deactivateAfterDays = deactivateAfterDays; self.deactivateDelayDays = deactivateDelayDays
        self.countedShare = countedShare; self.whileActive = whileActive
    }
}

public enum CountedEncounters: String, Sendable, Equatable, CaseIterable {
    case borderPatrol = "border_patrol"
    case ports
    case all
}

public struct WhileActive: Sendable, Equatable {
    public var encounterMultiplier: Double?
    public var pathways: PathwayShares?
    public var credibleFearPassRate: Double?
    public init(encounterMultiplier: Double? = nil, pathways: PathwayShares? = nil, credibleFearPassRate: Double? = nil) {
        self.encounterMultiplier = encounterMultiplier; self.pathways = pathways
        self.credibleFearPassRate = credibleFearPassRate
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
