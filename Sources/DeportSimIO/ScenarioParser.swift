import DeportSimAnalysis
import DeportSimCore
import Foundation

/// Turns a scenario tree into model values, checking every rule of MODEL.md
/// ("Scenario file"): unknown keys, ranges, shares summing to 1, dates.
enum ScenarioParser {
    static let topKeys = ["name", "description", "start", "end", "seed", "replications", "output", "extends",
                          "capacity", "costs", "border", "countries", "routes", "events", "targets", "uncertain"]
    static let countryKeys = ["name", "encounters", "deterrence", "pathways", "credible_fear", "court", "at_large",
                              "travel_documents", "commercial_removals_per_day", "initial"]
    static let encounterKeys = ["per_day", "distribution", "dispersion", "seasonality", "trend_per_year",
                                "volatility", "volatility_persistence"]
    static let pathwayKeys = ["expedited_removal", "notice_to_appear", "voluntary_return"]
    static let routeKeys = ["id", "countries", "seats", "block_hours", "min_load", "cancel_probability", "schedule"]

    /// Shares must sum to 1 within this rounding allowance.
    static let shareTolerance = 1e-6

    /// Bounds that keep every count within GSL's unsigned int samplers and
    /// memory within reason; far beyond any real border.
    static let maxMeanPerDay = 1e7
    static let maxStock = 1_000_000_000
    static let maxRunDays = 36_525
    static let maxEncounterMultiplier = 10.0

    struct Header {
        var name: String?
        var description: String
        var start: CivilDate
        var end: CivilDate
        var seed: UInt64
        var replications: Int
        var period: PeriodKind
    }

    static func header(_ root: TreeNode) throws -> Header {
        let r = try MappingReader(root, path: "", allowed: topKeys)
        let start = try r.date("start")
        let end = try r.date("end")
        if end < start {
            throw DeportSimError.badInput(r.node["end"]!.location, "end", "expected a date on or after start (\(start)), found \(end)")
        }
        if end.dayNumber - start.dayNumber + 1 > maxRunDays {
            throw DeportSimError.badInput(r.node["end"]!.location, "end", "expected a run of at most 100 years (\(maxRunDays) days), found \(end.dayNumber - start.dayNumber + 1) days")
        }
        let seed = try r.seed(default: 1)
        var period = PeriodKind.month
        if let out = try r.sub("output", allowed: ["period"]) { period = try out.choice("period", default: .month) }
        return Header(name: r.optional("name")?.scalarText, description: try r.string("description", default: ""),
                      start: start, end: end, seed: seed,
                      replications: try r.integer("replications", default: 100, min: 1, what: "a whole number >= 1"),
                      period: period)
    }

    static func parameters(_ root: TreeNode, start: CivilDate, end: CivilDate) throws -> ModelParameters {
        let r = try MappingReader(root, path: "", allowed: topKeys)
        var capacity = Capacity()
        if let c = try r.sub("capacity", allowed: ["detention_beds", "max_detention_days", "charter_flights_per_day"]) {
            capacity.detentionBeds = try c.optionalInteger("detention_beds", what: "a whole number of beds >= 0, or null for unlimited")
            capacity.maxDetentionDays = try c.optionalInteger("max_detention_days", min: 1, what: "a whole number of days >= 1, or null for no limit")
            capacity.charterFlightsPerDay = try c.optionalInteger("charter_flights_per_day", what: "a whole number >= 0, or null for unlimited")
        }
        var costs = Costs()
        if let c = try r.sub("costs", allowed: ["detention_bed_day", "charter_flight_hour", "commercial_removal"]) {
            costs.detentionBedDay = try c.number("detention_bed_day", default: 0, what: "US dollars >= 0")
            costs.charterFlightHour = try c.number("charter_flight_hour", default: 0, what: "US dollars >= 0")
            costs.commercialRemoval = try c.number("commercial_removal", default: 0, what: "US dollars >= 0")
        }
        var border = Border()
        if let b = try r.sub("border", allowed: ["other_encounters", "restrictions", "common_shock_share", "common_shock_persistence"]) {
            // Monthly encounter shocks (docs/model.md 5.3.1).
            border.commonShockShare = try b.probability("common_shock_share", default: 0)
            border.commonShockPersistence = try b.number("common_shock_persistence", default: EncounterProcess.defaultVolatilityPersistence,
                                                         max: 0.99, what: "an AR(1) persistence from 0 to 0.99")
            if let o = try b.sub("other_encounters", allowed: encounterKeys) { border.otherEncounters = try encounters(o, start: start, end: end) }
            if let rr = try b.sub("restrictions", allowed: ["effective", "activate_at", "deactivate_below",
                                                             "deactivate_after_days", "deactivate_delay_days",
                                                             "counted_share", "while_active"]) {
                var wa = WhileActive()
                if let w = try rr.sub("while_active", allowed: ["encounter_multiplier", "pathways", "credible_fear_pass_rate"]) {
                    if w.optional("encounter_multiplier") != nil {
                        wa.encounterMultiplier = try w.number("encounter_multiplier", max: maxEncounterMultiplier, what: "a multiplier from 0 to 10")
                    }
                    if let p = try w.sub("pathways", allowed: pathwayKeys) { wa.pathways = try pathways(p) }
                    if w.optional("credible_fear_pass_rate") != nil { wa.credibleFearPassRate = try w.probability("credible_fear_pass_rate") }
                }
                let rule = RestrictionRule(
                    effective: try rr.date("effective"),
                    activateAt: try rr.number("activate_at", what: "encounters a day >= 0"),
                    deactivateBelow: try rr.number("deactivate_below", what: "encounters a day >= 0"),
                    deactivateAfterDays: try rr.integer("deactivate_after_days", min: 1, what: "a whole number of days >= 1"),
                    deactivateDelayDays: try rr.integer("deactivate_delay_days", default: 0, what: "a whole number of days >= 0"),
                    countedShare: try rr.probability("counted_share", default: 1),
                    whileActive: wa)
                if rule.deactivateBelow > rule.activateAt {
                    throw DeportSimError.badInput(rr.node["deactivate_below"]!.location, rr.key("deactivate_below"),
                                     "expected a value <= activate_at (\(MappingReader.format(rule.activateAt))), found \(MappingReader.format(rule.deactivateBelow))")
                }
                border.restrictions = rule
            }
        }
        let countriesNode = try r.required("countries", "a mapping of country codes to their values")
        guard countriesNode.entries != nil else {
            throw DeportSimError.badInput(countriesNode.location, "countries", "expected a mapping of country codes (e.g. CHN:) to their values, found \(countriesNode.found)")
        }
        var countries: [Country] = []
        for e in countriesNode.entries! {
            if e.key.range(of: #"^[A-Za-z0-9_-]+$"#, options: .regularExpression) == nil || e.key == "ALL" {
                throw DeportSimError.badInput(e.keyLocation, "countries." + e.key,
                                 "expected a country code of letters, digits, '_' or '-' (ISO 3166-1 alpha-3 such as CHN), other than ALL, found '\(e.key)'")
            }
            countries.append(try country(e.key, e.value, path: "countries." + e.key, start: start, end: end)) }
        if countries.isEmpty { throw DeportSimError.badInput(countriesNode.location, "countries", "expected at least one country, found none") }
        let codes = countries.map(\.code)
        var routes: [Route] = []
        if let items = try r.list("routes") {
            for (i, item) in items.enumerated() {
                let route = try self.route(item, path: "routes.\(i)", codes: codes, start: start, end: end)
                if routes.contains(where: { $0.id == route.id }) {
                    throw DeportSimError.badInput(item["id"]!.location, "routes.\(i).id", "duplicate route id '\(route.id)'")
                }
                routes.append(route)
            }
        }
        return ModelParameters(capacity: capacity, costs: costs, border: border, countries: countries, routes: routes)
    }

    static func encounters(_ r: MappingReader, start: CivilDate, end: CivilDate) throws -> EncounterProcess {
        let dist: CountDistribution = try r.choice("distribution", default: .poisson)
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
        process.trendPerYear = try r.number("trend_per_year", default: 0, min: -50, max: 50,
                                            what: "a log-growth rate per year between -50 and 50")
        // Monthly encounter shocks (docs/model.md 5.3.1).
        process.volatility = try r.number("volatility", default: 0, max: 1, what: "a monthly log-sd from 0 to 1")
        process.volatilityPersistence = try r.number("volatility_persistence", default: EncounterProcess.defaultVolatilityPersistence,
                                                     max: 0.99, what: "an AR(1) persistence from 0 to 0.99")
        // The largest daily mean the run can reach (deterrence only lowers it).
        let years = Double(end.dayNumber - start.dayNumber) / 365.25
        let peak = process.perDay * (process.seasonality.max() ?? 1) * exp(max(0, process.trendPerYear) * years) * maxEncounterMultiplier
        if !(peak <= maxMeanPerDay * maxEncounterMultiplier) || process.perDay > maxMeanPerDay {
            let key = process.perDay > maxMeanPerDay || process.trendPerYear <= 0 ? "per_day" : "trend_per_year"
            throw DeportSimError.badInput(r.node[key]?.location ?? r.node.location, r.key(key),
                             "expected daily means of at most 10,000,000 over the run; with per_day \(MappingReader.format(process.perDay)), "
                             + "the largest seasonality factor and trend_per_year \(MappingReader.format(process.trendPerYear)) the mean reaches \(thousands(peak / maxEncounterMultiplier))")
        }
        return process
    }

    static func pathways(_ r: MappingReader) throws -> PathwayShares {
        let s = PathwayShares(expeditedRemoval: try r.probability("expedited_removal"),
                              noticeToAppear: try r.probability("notice_to_appear"),
                              voluntaryReturn: try r.probability("voluntary_return"))
        let sum = s.expeditedRemoval + s.noticeToAppear + s.voluntaryReturn
        if abs(sum - 1) > shareTolerance {
            // Blame a share set elsewhere (--set, an event, a sweep point) when there is one.
            let overriding = r.node.entries?.first { $0.value.location.file != r.node.location.file }
            let values = "expedited_removal \(MappingReader.format(s.expeditedRemoval)), notice_to_appear \(MappingReader.format(s.noticeToAppear)), voluntary_return \(MappingReader.format(s.voluntaryReturn))"
            throw DeportSimError.badInput(overriding?.value.location ?? r.node.location, r.path,
                             "expected shares summing to 1, found a sum of \(MappingReader.format((sum * 1e9).rounded() / 1e9)) (\(values))")
        }
        return s
    }

    static func country(_ code: String, _ node: TreeNode, path: String, start: CivilDate, end: CivilDate) throws -> Country {
        let r = try MappingReader(node, path: path, allowed: countryKeys)
        let enc = try MappingReader(try r.required("encounters", "a mapping with per_day"), path: r.key("encounters"), allowed: encounterKeys)
        var deterrence = Deterrence()
        if let d = try r.sub("deterrence", allowed: ["elasticity", "half_life_days", "initial_removals_per_day"]) {
            deterrence = Deterrence(elasticity: try d.number("elasticity", default: 0),
                                    halfLifeDays: try d.positive("half_life_days", default: 30),
                                    initialRemovalsPerDay: try d.number("initial_removals_per_day", default: 0))
        }
        var fear = CredibleFear()
        if let f = try r.sub("credible_fear", allowed: ["claim_rate", "pass_rate"]) {
            fear = CredibleFear(claimRate: try f.probability("claim_rate", default: 0), passRate: try f.probability("pass_rate", default: 0))
        }
        let court = try MappingReader(try r.required("court", "a mapping with mean_days and order_rate"), path: r.key("court"),
                                      allowed: ["mean_days", "order_rate"])
        var atLarge = AtLargeRates()
        if let a = try r.sub("at_large", allowed: ["arrest_rate_per_year", "departure_rate_per_year"]) {
            atLarge = AtLargeRates(arrestRatePerYear: try a.probability("arrest_rate_per_year", default: 0),
                                   departureRatePerYear: try a.probability("departure_rate_per_year", default: 0))
        }
        let docs = try MappingReader(try r.required("travel_documents", "a mapping with mean_days and cooperation"),
                                     path: r.key("travel_documents"), allowed: ["mean_days", "cooperation"])
        var initial = InitialStocks()
        if let i = try r.sub("initial", allowed: ["pending", "at_large", "detained_awaiting", "detained_ready"]) {
            initial = InitialStocks(pending: try i.integer("pending", default: 0, max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"),
                                    atLarge: try i.integer("at_large", default: 0, max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"),
                                    detainedAwaiting: try i.integer("detained_awaiting", default: 0, max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"),
                                    detainedReady: try i.integer("detained_ready", default: 0, max: maxStock, what: "a whole number of people from 0 to 1,000,000,000"))
        }
        return Country(
            code: code, name: try r.string("name", default: code),
            encounters: try encounters(enc, start: start, end: end), deterrence: deterrence,
            pathways: try pathways(try MappingReader(try r.required("pathways", "a mapping of three shares"),
                                                     path: r.key("pathways"), allowed: pathwayKeys)),
            credibleFear: fear,
            court: Court(meanDays: try court.positive("mean_days"), orderRate: try court.probability("order_rate")),
            atLarge: atLarge,
            travelDocuments: TravelDocuments(meanDays: try docs.positive("mean_days"), cooperation: try docs.probability("cooperation", default: 1)),
            commercialRemovalsPerDay: try r.number("commercial_removals_per_day", default: 0, max: maxMeanPerDay,
                                                   what: "removals a day from 0 to 10,000,000"),
            initial: initial)
    }

    static func route(_ node: TreeNode, path: String, codes: [String], start: CivilDate, end: CivilDate) throws -> Route {
        let byIndex = try MappingReader(node, path: path, allowed: routeKeys)
        let id = try byIndex.string("id")
        if id.range(of: #"^[A-Za-z0-9_-]+$"#, options: .regularExpression) == nil || Int(id) != nil {
            throw DeportSimError.badInput(byIndex.node["id"]!.location, byIndex.key("id"), "expected an id of letters, digits, '_' or '-' that is not a number, found '\(id)'")
        }
        // From here on, name the route by its id, as paths do.
        let r = try MappingReader(node, path: "routes.\(id)", allowed: routeKeys)
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
        let sched = try MappingReader(try r.required("schedule", "a mapping with dates, every_days or per_month"),
                                      path: r.key("schedule"), allowed: ["dates", "every_days", "first", "jitter_days", "per_month"])
        let kinds = ["dates", "every_days", "per_month"].filter { sched.contains($0) }
        guard kinds.count == 1 else {
            throw DeportSimError.badInput(sched.node.location, sched.path,
                             "expected exactly one of dates, every_days, per_month, found \(kinds.isEmpty ? "none" : kinds.joined(separator: " and "))")
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
            schedule = .everyDays(every, first: first, jitterDays: try sched.integer("jitter_days", default: 0, what: "a whole number of days >= 0"))
        default:
            schedule = .perMonth(try sched.number("per_month", what: "flights a month >= 0"))
        }
        if kinds[0] != "every_days" {
            for k in ["first", "jitter_days"] where sched.contains(k) {
                throw DeportSimError.badInput(sched.node[k]!.location, sched.key(k), "\(k) applies to every_days schedules only")
            }
        }
        return Route(id: id, countryIndices: indices,
                     seats: try r.integer("seats", min: 1, what: "a whole number of seats >= 1"),
                     blockHours: try r.number("block_hours", default: 0, what: "hours >= 0"),
                     minLoad: try r.probability("min_load", default: 0),
                     cancelProbability: try r.probability("cancel_probability", default: 0),
                     schedule: schedule)
    }
}
