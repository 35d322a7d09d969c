import DeportSimAnalysis
import DeportSimCore
import Foundation

/// Turns a scenario tree into model values, checking every rule of docs/model.md
/// ("Scenario file"): unknown keys, ranges, shares summing to 1, dates.
enum ScenarioParser {
    // The keys of every section, their defaults and what events may set:
    // ScenarioKeys.

    /// Shares must sum to 1 within this rounding allowance.
    static let shareTolerance = 1e-6

    /// Bounds that keep every count within GSL's unsigned int samplers and
    /// memory within reason; far beyond any real border.
    static let maxMeanPerDay = 1e7
    static let maxStock = 1_000_000_000
    static let maxRunDays = Limits.runDays
    static let maxEncounterMultiplier = 10.0

    struct Header {
        var name: String?
        var description: String
        var start: CivilDate
        var end: CivilDate
        var seed: UInt64
        var replications: Int
        var period: PeriodKind
        var warmupDays: Int
    }

    static func header(_ root: TreeNode) throws -> Header {
        let r = try MappingReader(root, path: "", section: ScenarioKeys.top)
        let start = try r.date("start")
        let end = try r.date("end")
        if end < start {
            throw DeportSimError.badInput(r.node["end"]!.location, "end", "expected a date on or after start (\(start)), found \(end)")
        }
        if end.dayNumber - start.dayNumber + 1 > maxRunDays {
            throw DeportSimError.badInput(r.node["end"]!.location, "end", "expected a run of at most 100 years (\(maxRunDays) days), found \(end.dayNumber - start.dayNumber + 1) days")
        }
        let seed = try r.seed()
        var period = PeriodKind.month
        if let out = try r.sub("output") { period = try out.choice("period") }
        return Header(name: r.optional("name")?.scalarText, description: try r.string("description"),
                      start: start, end: end, seed: seed,
                      replications: try r.integer("replications", min: 1, max: Limits.replications,
                                                  what: "a whole number of replications from 1 to \(thousands(Double(Limits.replications))) (the limit)"),
                      period: period,
                      warmupDays: try r.integer("warmup_days", max: maxRunDays, what: "a whole number of days from 0 to 36,525"))
    }

    /// The model's values; every section, country and route is checked
    /// even when an earlier one failed, and their errors thrown together.
    static func parameters(_ root: TreeNode, start: CivilDate, end: CivilDate) throws -> ModelParameters {
        let r = try MappingReader(root, path: "", section: ScenarioKeys.top)
        var errors = ErrorCollector()
        var capacity = Capacity()
        try errors.attempt {
            if let c = try r.sub("capacity") {
                capacity.detentionBeds = try c.optionalInteger("detention_beds", what: "a whole number of beds >= 0, or null for unlimited")
                capacity.maxDetentionDays = try c.optionalInteger("max_detention_days", min: 1, what: "a whole number of days >= 1, or null for no limit")
                capacity.charterFlightsPerDay = try c.optionalInteger("charter_flights_per_day", what: "a whole number >= 0, or null for unlimited")
            }
        }
        var costs = Costs()
        try errors.attempt {
            if let c = try r.sub("costs") {
                costs.detentionBedDay = try c.number("detention_bed_day", what: "US dollars >= 0")
                costs.charterFlightHour = try c.number("charter_flight_hour", what: "US dollars >= 0")
                costs.commercialRemoval = try c.number("commercial_removal", what: "US dollars >= 0")
            }
        }
        var border = Border()
        try errors.attempt {
            if let b = try r.sub("border") {
                // Monthly encounter shocks (docs/model.md 5.3.2).
                border.commonShockShare = try b.probability("common_shock_share")
                border.commonShockPersistence = try b.number("common_shock_persistence", max: 0.99, what: "an AR(1) persistence from 0 to 0.99")
                if let o = b.optional("other_encounters") {
                    let streams = try encounterStreams(o, path: b.key("other_encounters"), start: start, end: end)
                    border.otherEncounters = streams.borderPatrol
                    border.otherPortEncounters = streams.ports
                    border.otherEncountersAsStreams = streams.asStreams
                }
                if let rr = try b.sub("restrictions") {
                    var wa = WhileActive()
                    if let w = try rr.sub("while_active") {
                        if w.optional("encounter_multiplier") != nil {
                            wa.encounterMultiplier = try w.number("encounter_multiplier", max: maxEncounterMultiplier, what: "a multiplier from 0 to 10")
                        }
                        if let p = try w.sub("pathways") { wa.pathways = try pathways(p) }
                        if w.optional("credible_fear_pass_rate") != nil { wa.credibleFearPassRate = try w.probability("credible_fear_pass_rate") }
                    }
                    var rule = RestrictionRule(
                        effective: try rr.date("effective"),
                        activateAt: try rr.number("activate_at", what: "encounters a day >= 0"),
                        deactivateBelow: try rr.number("deactivate_below", what: "encounters a day >= 0"),
                        deactivateAfterDays: try rr.integer("deactivate_after_days", min: 1, what: "a whole number of days >= 1"),
                        deactivateDelayDays: try rr.integer("deactivate_delay_days", what: "a whole number of days >= 0"),
                        countedShare: try rr.probability("counted_share"),
                        whileActive: wa)
                    rule.counts = try rr.choice("counts", default: .all)
                    rule.rampDays = try rr.integer("ramp_days", default: 0, max: maxRunDays, what: "a whole number of days from 0 to 36,525")
                    if rule.deactivateBelow > rule.activateAt {
                        throw DeportSimError.badInput(rr.node["deactivate_below"]!.location, rr.key("deactivate_below"),
                                         "expected a value <= activate_at (\(exactNumber(rule.activateAt))), found \(exactNumber(rule.deactivateBelow))")
                    }
                    border.restrictions = rule
                }
            }
        }
        let countriesNode = try r.required("countries", "a mapping of country codes to their values")
        guard let countryEntries = countriesNode.entries else {
            try errors.finish()
            throw DeportSimError.badInput(countriesNode.location, "countries", "expected a mapping of country codes (e.g. CHN:) to their values, found \(countriesNode.found)")
        }
        if countryEntries.isEmpty { throw DeportSimError.badInput(countriesNode.location, "countries", "expected at least one country, found none") }
        var countries: [Country] = []
        for e in countryEntries {
            let country = try errors.attempt {
                try CountryCodes.check(e.key, at: e.keyLocation)
                return try self.country(e.key, e.value, path: "countries." + e.key, start: start, end: end)
            }
            if let country { countries.append(country) }
        }
        // Routes are checked against every country named, valid or not.
        let codes = countryEntries.map(\.key)
        var routes: [Route] = []
        if let items = try errors.attempt({ try r.list("routes") }) ?? nil {
            for (i, item) in items.enumerated() {
                let route = try errors.attempt { () throws -> Route in
                    let route = try self.route(item, path: "routes.\(i)", codes: codes, start: start, end: end)
                    if routes.contains(where: { $0.id == route.id }) {
                        throw DeportSimError.badInput(item["id"]!.location, "routes.\(i).id", "duplicate route id '\(route.id)'")
                    }
                    return route
                }
                if let route { routes.append(route) }
            }
        }
        try errors.finish()
        return ModelParameters(capacity: capacity, costs: costs, border: border, countries: countries, routes: routes)
    }

    static func encounters(_ r: MappingReader, start: CivilDate, end: CivilDate) throws -> EncounterProcess {
        let dist: CountDistribution = try r.choice("distribution")
        var process = EncounterProcess(perDay: try r.number("per_day", what: "encounters a day >= 0"), distribution: dist)
        if dist == .negativeBinomial {
            process.dispersion = try r.positive("dispersion")
        } else if r.optional("dispersion") != nil {
            throw DeportSimError.badInput(r.node["dispersion"]!.location, r.key("dispersion"),
                             "dispersion applies to distribution negative_binomial only, found distribution poisson")
        }
        if let items = try r.list("seasonality") {
            guard items.count == 12 else {
                throw DeportSimError.badInput(r.node["seasonality"]!.location, r.key("seasonality"),
                                 "expected 12 monthly multipliers (January first), found \(items.count)")
            }
            process.seasonality = try items.enumerated().map { i, v in
                let x = try MappingReader.number(v, r.key("seasonality.\(i)"), "a non-negative multiplier")
                if x < 0 { throw DeportSimError.badInput(v.location, r.key("seasonality.\(i)"), "expected a non-negative multiplier, found \(x)") }
                return x
            }
        }
        process.trendPerYear = try r.number("trend_per_year", min: -50, max: 50,
                                            what: "a log-growth rate per year between -50 and 50")
        // Monthly encounter shocks (docs/model.md 5.3.2).
        process.volatility = try r.number("volatility", max: 1, what: "a monthly log-sd from 0 to 1")
        process.volatilityPersistence = try r.number("volatility_persistence",
                                                     max: 0.99, what: "an AR(1) persistence from 0 to 0.99")
        // The largest daily mean the run can reach (deterrence only lowers it).
        let years = Double(end.dayNumber - start.dayNumber) / 365.25
        let peak = process.perDay * (process.seasonality.max() ?? 1) * exp(max(0, process.trendPerYear) * years) * maxEncounterMultiplier
        if !(peak <= maxMeanPerDay * maxEncounterMultiplier) || process.perDay > maxMeanPerDay {
            let key = process.perDay > maxMeanPerDay || process.trendPerYear <= 0 ? "per_day" : "trend_per_year"
            throw DeportSimError.badInput(r.node[key]?.location ?? r.node.location, r.key(key),
                             "expected daily means of at most 10,000,000 over the run; with per_day \(exactNumber(process.perDay)), "
                             + "the largest seasonality factor and trend_per_year \(exactNumber(process.trendPerYear)) the mean reaches \(thousands(peak / maxEncounterMultiplier))")
        }
        return process
    }

    /// One encounter process, or `border_patrol` and `ports` processes
    /// (docs/model.md 5.3.1), never both forms.
    static func encounterStreams(_ node: TreeNode, path: String, start: CivilDate, end: CivilDate) throws
        -> (borderPatrol: EncounterProcess?, ports: EncounterProcess?, asStreams: Bool) {
        let streamKeys = ["border_patrol", "ports"]
        guard let entries = node.entries, entries.contains(where: { streamKeys.contains($0.key) }) else {
            return (try encounters(try MappingReader(node, path: path, section: ScenarioKeys.encounterProcess), start: start, end: end), nil, false)
        }
        if let single = entries.first(where: { ScenarioKeys.encounterProcess.row($0.key) != nil }) {
            throw DeportSimError.badInput(single.keyLocation, path + "." + single.key,
                                          "expected either one encounter process (per_day, ...) or border_patrol and ports processes, found both forms")
        }
        let r = try MappingReader(node, path: path, allowed: streamKeys, section: ScenarioKeys.encounters)
        let bp = try r.sub("border_patrol").map { try encounters($0, start: start, end: end) }
        let ports = try r.sub("ports").map { try encounters($0, start: start, end: end) }
        if bp == nil && ports == nil {
            throw DeportSimError.badInput(node.location, path, "expected a border_patrol or ports encounter process, found neither")
        }
        return (bp, ports, true)
    }

    /// `initial.detained_awaiting_age` (docs/model.md 3.1): a list of
    /// `[days, count]`, `one_cohort` or `steady_state`.
    static func ageProfile(_ r: MappingReader, _ k: String) throws -> InitialAgeProfile {
        guard let v = r.optional(k) else { return .oneCohort }
        if let text = v.scalarText {
            switch text {
            case "one_cohort": return .oneCohort
            case "steady_state": return .steadyState
            default:
                throw DeportSimError.badInput(v.location, r.key(k), "expected steady_state, one_cohort or a list of [days, count], found '\(text)'\(didYouMean(text, in: ["steady_state", "one_cohort"]))")
            }
        }
        guard let items = v.items else {
            throw DeportSimError.badInput(v.location, r.key(k), "expected steady_state, one_cohort or a list of [days, count], found \(v.found)")
        }
        var cohorts: [AgeCohort] = []
        for (i, item) in items.enumerated() {
            let at = r.key("\(k).\(i)")
            guard let pair = item.items, pair.count == 2 else {
                throw DeportSimError.badInput(item.location, at, "expected a pair [days, count], found \(item.found)")
            }
            let days = try MappingReader.integer(pair[0], at + ".0", min: 1, max: InitialAgeProfile.maxDays, what: "days detained from 1 to 36,525")
            let count = try MappingReader.integer(pair[1], at + ".1", min: 0, max: maxStock, what: "a whole number of people from 0 to 1,000,000,000")
            if cohorts.contains(where: { $0.days == days }) {
                throw DeportSimError.badInput(pair[0].location, at + ".0", "days \(days) listed twice")
            }
            cohorts.append(AgeCohort(days: days, count: count))
        }
        return .cohorts(cohorts)
    }

    static func pathways(_ r: MappingReader) throws -> PathwayShares {
        let s = PathwayShares(expeditedRemoval: try r.probability("expedited_removal"),
                              noticeToAppear: try r.probability("notice_to_appear"),
                              voluntaryReturn: try r.probability("voluntary_return"))
        let sum = s.expeditedRemoval + s.noticeToAppear + s.voluntaryReturn
        if abs(sum - 1) > shareTolerance {
            // Blame a share set elsewhere (--set, an event, a sweep point) when there is one.
            let overriding = r.node.entries?.first { $0.value.location.file != r.node.location.file }
            let values = "expedited_removal \(exactNumber(s.expeditedRemoval)), notice_to_appear \(exactNumber(s.noticeToAppear)), voluntary_return \(exactNumber(s.voluntaryReturn))"
            throw DeportSimError.badInput(overriding?.value.location ?? r.node.location, r.path,
                             "expected shares summing to 1 (within \(String(format: "%.6f", shareTolerance)): |sum - 1| <= \(String(format: "%.6f", shareTolerance))), found a sum of \(exactNumber((sum * 1e9).rounded() / 1e9)) (\(values))")
        }
        return s
    }

    static func country(_ code: String, _ node: TreeNode, path: String, start: CivilDate, end: CivilDate) throws -> Country {
        let r = try MappingReader(node, path: path, section: ScenarioKeys.country)
        let streams = try encounterStreams(try r.required("encounters", "a mapping with per_day, or with border_patrol and ports"),
                                           path: r.key("encounters"), start: start, end: end)
        var restriction = CountryRestriction()
        if let x = try r.sub("restriction") {
            if x.optional("encounter_multiplier") != nil {
                restriction.encounterMultiplier = try x.number("encounter_multiplier", max: maxEncounterMultiplier, what: "a multiplier from 0 to 10")
            }
            if let p = try x.sub("pathways") { restriction.pathways = try pathways(p) }
        }
        var deterrence = Deterrence()
        if let d = try r.sub("deterrence") {
            deterrence = Deterrence(elasticity: try d.number("elasticity"),
                                    halfLifeDays: try d.positive("half_life_days"),
                                    initialRemovalsPerDay: try d.number("initial_removals_per_day"))
        }
        var fear = CredibleFear()
        if let f = try r.sub("credible_fear") {
            fear = CredibleFear(claimRate: try f.probability("claim_rate"), passRate: try f.probability("pass_rate"))
        }
        let court = try r.section("court", "a mapping with mean_days and order_rate")
        var atLarge = AtLargeRates()
        if let a = try r.sub("at_large") {
            atLarge = AtLargeRates(arrestRatePerYear: try a.probability("arrest_rate_per_year"),
                                   departureRatePerYear: try a.probability("departure_rate_per_year"))
        }
        let docs = try r.section("travel_documents", "a mapping with mean_days and cooperation")
        var initial = InitialStocks()
        if let i = try r.sub("initial") {
            initial = InitialStocks(pending: try i.integer("pending", max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"),
                                    atLarge: try i.integer("at_large", max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"),
                                    detainedAwaiting: try i.integer("detained_awaiting", max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"),
                                    detainedReady: try i.integer("detained_ready", max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"),
                                    detainedAwaitingAge: try ageProfile(i, "detained_awaiting_age"))
            if case .cohorts(let list) = initial.detainedAwaitingAge {
                // The list's counts set the stock, or must match it (docs/model.md 3.1).
                let sum = list.reduce(0) { $0 + $1.count }
                if !i.contains("detained_awaiting") {
                    if sum > maxStock {
                        throw DeportSimError.badInput(i.node["detained_awaiting_age"]!.location, i.key("detained_awaiting_age"),
                                                      "expected counts summing to at most 1,000,000,000 people, found \(sum)")
                    }
                    initial.detainedAwaiting = sum
                } else if sum != initial.detainedAwaiting {
                    throw DeportSimError.badInput(i.node["detained_awaiting_age"]!.location, i.key("detained_awaiting_age"),
                                                  "expected counts summing to detained_awaiting (\(initial.detainedAwaiting)), found \(sum)")
                }
            }
        }
        var country = Country(
            code: code, name: try r.string("name", default: code),
            encounters: streams.borderPatrol ?? EncounterProcess(perDay: 0), deterrence: deterrence,
            pathways: try pathways(try r.section("pathways", "a mapping of three shares")),
            credibleFear: fear,
            court: Court(meanDays: try court.positive("mean_days"), orderRate: try court.probability("order_rate")),
            atLarge: atLarge,
            travelDocuments: TravelDocuments(meanDays: try docs.positive("mean_days"), cooperation: try docs.probability("cooperation")),
            commercialRemovalsPerDay: try r.number("commercial_removals_per_day", max: maxMeanPerDay,
                                                   what: "removals a day from 0 to 10,000,000"),
            initial: initial)
        country.portEncounters = streams.ports
        country.encountersAsStreams = streams.asStreams
        country.restriction = restriction
        return country
    }

    static func route(_ node: TreeNode, path: String, codes: [String], start: CivilDate, end: CivilDate) throws -> Route {
        let byIndex = try MappingReader(node, path: path, section: ScenarioKeys.route)
        let id = try byIndex.string("id")
        if !InputText.isIdentifier(id) {
            throw DeportSimError.badInput(byIndex.node["id"]!.location, byIndex.key("id"), "expected an id of letters, digits, '_' or '-' that is not a number, found '\(id)'")
        }
        // From here on, name the route by its id, as paths do.
        let r = try MappingReader(node, path: "routes.\(id)", section: ScenarioKeys.route)
        guard let items = try r.list("countries"), !items.isEmpty else {
            throw DeportSimError.badInput(r.node["countries"]?.location ?? node.location, r.key("countries"), "expected a non-empty list of country codes")
        }
        var indices: [Int] = []
        for (i, v) in items.enumerated() {
            guard let code = v.scalarText, let k = codes.firstIndex(of: code) else {
                let hint = didYouMean(v.scalarText, in: codes)
                throw DeportSimError.badInput(v.location, r.key("countries.\(i)"),
                                 "expected a country of this scenario (\(codes.joined(separator: ", "))), found \(v.found)\(hint)")
            }
            if indices.contains(k) { throw DeportSimError.badInput(v.location, r.key("countries.\(i)"), "country '\(code)' listed twice") }
            indices.append(k)
        }
        let sched = try r.section("schedule", "a mapping with dates, every_days or per_month")
        let kinds = ScenarioKeys.scheduleKinds.map(\.kind).filter { sched.contains($0) }
        guard kinds.count == 1 else {
            throw DeportSimError.badInput(sched.node.location, sched.path,
                             "expected exactly one of \(ScenarioKeys.scheduleKinds.map(\.kind).joined(separator: ", ")), found \(kinds.isEmpty ? "none" : kinds.joined(separator: " and "))")
        }
        let schedule: FlightSchedule
        switch kinds[0] {
        case "dates":
            let dates = try (try sched.list("dates") ?? []).enumerated().map { (i: Int, v: TreeNode) -> CivilDate in
                let d = try MappingReader.date(v, sched.key("dates.\(i)"))
                if d < start || d > end {
                    throw DeportSimError.badInput(v.location, sched.key("dates.\(i)"), "expected a departure date inside the run (\(start) to \(end)), found \(d)")
                }
                return d
            }
            schedule = .dates(dates)
        case "every_days":
            let every = try sched.integer("every_days", min: 1, what: "a whole number of days >= 1")
            let first = try sched.date("first")
            schedule = .everyDays(every, first: first, jitterDays: try sched.integer("jitter_days", what: "a whole number of days >= 0"))
        default:
            schedule = .perMonth(try sched.number("per_month", what: "flights a month >= 0"))
        }
        // A kind's other keys (first, jitter_days) belong to it alone.
        for (kind, keys) in ScenarioKeys.scheduleKinds where kind != kinds[0] {
            for k in keys where k != kind && sched.contains(k) {
                throw DeportSimError.badInput(sched.node[k]!.location, sched.key(k), "\(k) applies to \(kind) schedules only")
            }
        }
        var route = Route(id: id, countryIndices: indices,
                          seats: try r.integer("seats", min: 1, what: "a whole number of seats >= 1"),
                          blockHours: try r.number("block_hours", what: "hours >= 0"),
                          minLoad: try r.probability("min_load"),
                          cancelProbability: try r.probability("cancel_probability"),
                          schedule: schedule)
        route.suspended = try r.bool("suspended", default: false)
        return route
    }
}
