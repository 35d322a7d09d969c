/// Which paths an uncertain input may set, with their domains and setters
/// (docs/model.md 8.7). One table: each key of section 8 that holds a
/// number a replication may take from a distribution.
public struct UncertainPathRefusal: Error, Sendable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

/// Edits one part of a parameter set (a country, an encounter process, a route).
struct Lens<T>: Sendable {
    let edit: @Sendable (inout ModelParameters, (inout T) -> Void) -> Void
}

extension UncertainTarget {
    /// Resolves `path` against the scenario's values at the start.
    public static func resolve(_ path: String, in p: ModelParameters) throws(UncertainPathRefusal) -> UncertainTarget {
        let c = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func refuse(_ why: String) -> UncertainPathRefusal { UncertainPathRefusal(reason: why) }
        func target<T>(_ lens: Lens<T>, _ domain: ValueDomain, shareSet: String? = nil,
                       _ set: @escaping @Sendable (inout T, Double) -> Void) -> UncertainTarget {
            UncertainTarget(path: path, domain: domain, setter: ParameterSetter { p, v in lens.edit(&p) { set(&$0, v) } },
                            shareSet: shareSet)
        }
        let whole = Lens<ModelParameters> { p, f in f(&p) }
        switch c.first {
        case "capacity" where c.count == 2:
            switch c[1] {
            case "detention_beds": return target(whole, .whole(min: 0)) { $0.capacity.detentionBeds = Int($1) }
            case "max_detention_days": return target(whole, .whole(min: 1)) { $0.capacity.maxDetentionDays = Int($1) }
            case "charter_flights_per_day": return target(whole, .whole(min: 0)) { $0.capacity.charterFlightsPerDay = Int($1) }
            default: break
            }
        case "costs" where c.count == 2:
            switch c[1] {
            case "detention_bed_day": return target(whole, .nonNegative()) { $0.costs.detentionBedDay = $1 }
            case "charter_flight_hour": return target(whole, .nonNegative()) { $0.costs.charterFlightHour = $1 }
            case "commercial_removal": return target(whole, .nonNegative()) { $0.costs.commercialRemoval = $1 }
            default: break
            }
        case "countries" where c.count >= 3:
            guard let i = p.countries.firstIndex(where: { $0.code == c[1] }) else {
                throw refuse("no country '\(c[1])' in this scenario")
            }
            let country = Lens<Country> { p, f in f(&p.countries[i]) }
            let rest = Array(c[2...])
            switch rest.first {
            case "encounters" where rest.count >= 3 && p.countries[i].encountersAsStreams && rest[1] == "border_patrol":
                return try process(Lens { p, f in f(&p.countries[i].encounters) }, p.countries[i].encounters, Array(rest.dropFirst(2)),
                                   path: path, refuse: refuse)
            case "encounters" where rest.count >= 3 && p.countries[i].encountersAsStreams && rest[1] == "ports":
                guard let ports = p.countries[i].portEncounters else { throw refuse("country '\(c[1])' has no ports stream") }
                return try process(Lens { p, f in if p.countries[i].portEncounters != nil { f(&p.countries[i].portEncounters!) } },
                                   ports, Array(rest.dropFirst(2)), path: path, refuse: refuse)
            case "encounters" where p.countries[i].encountersAsStreams:
                throw refuse("country '\(c[1])' gives its encounters as streams: name one, countries.\(c[1]).encounters.border_patrol.<key> or .ports.<key>")
            case "encounters":
                return try process(Lens { p, f in f(&p.countries[i].encounters) }, p.countries[i].encounters, Array(rest.dropFirst()),
                                   path: path, refuse: refuse)
            case "pathways" where rest.count == 2:
                return try share(Lens { p, f in f(&p.countries[i].pathways) }, p.countries[i].pathways, rest[1],
                                 set: "countries.\(c[1]).pathways", path: path)
            default:
                switch rest.joined(separator: ".") {
                case "deterrence.elasticity": return target(country, .real(-.infinity, .infinity)) { $0.deterrence.elasticity = $1 }
                case "deterrence.half_life_days": return target(country, .positive()) { $0.deterrence.halfLifeDays = $1 }
                case "credible_fear.claim_rate": return target(country, .probability) { $0.credibleFear.claimRate = $1 }
                case "credible_fear.pass_rate": return target(country, .probability) { $0.credibleFear.passRate = $1 }
                case "court.mean_days": return target(country, .positive()) { $0.court.meanDays = $1 }
                case "court.order_rate": return target(country, .probability) { $0.court.orderRate = $1 }
                case "at_large.arrest_rate_per_year": return target(country, .probability) { $0.atLarge.arrestRatePerYear = $1 }
                case "at_large.departure_rate_per_year": return target(country, .probability) { $0.atLarge.departureRatePerYear = $1 }
                case "travel_documents.mean_days": return target(country, .positive()) { $0.travelDocuments.meanDays = $1 }
                case "travel_documents.cooperation": return target(country, .probability) { $0.travelDocuments.cooperation = $1 }
                case "restriction.encounter_multiplier":
                    return target(country, .nonNegative(max: 10)) { $0.restriction.encounterMultiplier = $1 }
                case "initial.pending": return target(country, .whole(min: 0)) { $0.initial.pending = Int($1) }
                case "initial.at_large": return target(country, .whole(min: 0)) { $0.initial.atLarge = Int($1) }
                case "commercial_removals_per_day":
                    return target(country, .nonNegative(max: ModelBounds.maxMeanPerDay)) { $0.commercialRemovalsPerDay = $1 }
                default: break
                }
            }
        case "routes" where c.count >= 3:
            guard let r = p.routes.firstIndex(where: { $0.id == c[1] }) else { throw refuse("no route with id '\(c[1])' in this scenario") }
            let route = Lens<Route> { p, f in f(&p.routes[r]) }
            switch c[2...].joined(separator: ".") {
            case "seats": return target(route, .whole(min: 1)) { $0.seats = Int($1) }
            case "block_hours": return target(route, .nonNegative()) { $0.blockHours = $1 }
            case "min_load": return target(route, .probability) { $0.minLoad = $1 }
            case "cancel_probability": return target(route, .probability) { $0.cancelProbability = $1 }
            case "schedule.per_month":
                guard case .perMonth = p.routes[r].schedule else { throw refuse("route '\(c[1])' has no per_month schedule") }
                return target(route, .nonNegative()) { $0.schedule = .perMonth($1) }
            default: break
            }
        case "border" where c.count >= 4 && c[1] == "other_encounters" && p.border.otherEncountersAsStreams && c[2] == "ports":
            guard let ports = p.border.otherPortEncounters else { throw refuse("the other encounters have no ports stream") }
            return try process(Lens { p, f in if p.border.otherPortEncounters != nil { f(&p.border.otherPortEncounters!) } }, ports,
                               Array(c[3...]), path: path, refuse: refuse)
        case "border" where c.count >= 3 && c[1] == "other_encounters":
            guard let other = p.border.otherEncounters else { throw refuse("the scenario has no border.other_encounters") }
            let streams = p.border.otherEncountersAsStreams
            if streams && c[2] != "border_patrol" {
                throw refuse("the other encounters are given as streams: name one, border.other_encounters.border_patrol.<key> or .ports.<key>")
            }
            return try process(Lens { p, f in if p.border.otherEncounters != nil { f(&p.border.otherEncounters!) } }, other,
                               Array(c[(streams ? 3 : 2)...]), path: path, refuse: refuse)
        case "border" where c.count >= 3 && c[1] == "restrictions":
            guard let rule = p.border.restrictions else { throw refuse("the scenario has no border.restrictions") }
            let lens = Lens<RestrictionRule> { p, f in if p.border.restrictions != nil { f(&p.border.restrictions!) } }
            switch c[2...].joined(separator: ".") {
            case "counted_share": return target(lens, .probability) { $0.countedShare = $1 }
            case "while_active.encounter_multiplier": return target(lens, .nonNegative(max: 10)) { $0.whileActive.encounterMultiplier = $1 }
            case "while_active.credible_fear_pass_rate": return target(lens, .probability) { $0.whileActive.credibleFearPassRate = $1 }
            case "ramp_days": return target(lens, .whole(min: 0)) { $0.rampDays = Int($1) }
            case "effective", "activate_at", "deactivate_below", "deactivate_after_days", "deactivate_delay_days":
                throw refuse("is part of the rule's text (its thresholds and day counts, whose order must hold), not an uncertain input")
            default:
                if c.count == 5, c[3] == "pathways", c[2] == "while_active" {
                    guard let shares = rule.whileActive.pathways else {
                        throw refuse("the rule sets no while_active.pathways: give all three shares in the scenario first")
                    }
                    let sharesLens = Lens<PathwayShares> { p, f in
                        if p.border.restrictions?.whileActive.pathways != nil { f(&p.border.restrictions!.whileActive.pathways!) }
                    }
                    return try share(sharesLens, shares, c[4], set: "border.restrictions.while_active.pathways", path: path)
                }
            }
        default: break
        }
        throw refuse("is not a number that an uncertain input can set (see docs/model.md 8.7)")
    }

    /// An encounter process's keys (8.2).
    private static func process(_ lens: Lens<EncounterProcess>, _ base: EncounterProcess, _ rest: [String], path: String,
                                refuse: (String) -> UncertainPathRefusal) throws(UncertainPathRefusal) -> UncertainTarget {
        func target(_ domain: ValueDomain, _ set: @escaping @Sendable (inout EncounterProcess, Double) -> Void) -> UncertainTarget {
            UncertainTarget(path: path, domain: domain, setter: ParameterSetter { p, v in lens.edit(&p) { set(&$0, v) } }, shareSet: nil)
        }
        switch rest.joined(separator: ".") {
        case "per_day": return target(.nonNegative(max: ModelBounds.maxMeanPerDay)) { $0.perDay = $1 }
        case "trend_per_year": return target(.real(-50, 50)) { $0.trendPerYear = $1 }
        case "volatility": return target(.nonNegative(max: 1)) { $0.volatility = $1 }
        case "dispersion":
            guard base.distribution == .negativeBinomial else { throw refuse("the process is Poisson: it has no dispersion") }
            return target(.positive()) { $0.dispersion = $1 }
        case "volatility_persistence": throw refuse("is fixed at the start (the shock series are drawn then)")
        default:
            if rest.count == 2, rest[0] == "seasonality", let m = Int(rest[1]), (0..<12).contains(m) {
                return target(.nonNegative()) { $0.seasonality[m] = $1 }
            }
            throw refuse("is not a number that an uncertain input can set (see docs/model.md 8.7)")
        }
    }

    /// One share of a pathway set; the other two are scaled to keep the sum 1 (8.7).
    private static func share(_ lens: Lens<PathwayShares>, _ base: PathwayShares, _ key: String, set: String,
                              path: String) throws(UncertainPathRefusal) -> UncertainTarget {
        let keys: [String: WritableKeyPath<PathwayShares, Double>] = [
            "expedited_removal": \.expeditedRemoval, "notice_to_appear": \.noticeToAppear, "voluntary_return": \.voluntaryReturn]
        guard let index = ["expedited_removal", "notice_to_appear", "voluntary_return"].firstIndex(of: key) else {
            throw UncertainPathRefusal(reason: "is not a pathway share (expedited_removal, notice_to_appear, voluntary_return)")
        }
        let others = keys.filter { $0.key != key }.map(\.value)
        if others.map({ base[keyPath: $0] }).reduce(0, +) <= 0 {
            throw UncertainPathRefusal(reason: "the other two shares of \(set) are 0, so they cannot make up the rest")
        }
        return UncertainTarget(path: path, domain: .probability, setter: ParameterSetter { p, v in
            lens.edit(&p) { $0.setShare(index, v) }
        }, shareSet: set)
    }
}

extension PathwayShares {
    /// Sets share `index` (0 expedited removal, 1 notice to appear, 2
    /// voluntary return) and scales the other two by (1 - value) / their
    /// sum, keeping their ratio (docs/model.md 8.7); equal halves when both are 0.
    mutating func setShare(_ index: Int, _ value: Double) {
        var s = [expeditedRemoval, noticeToAppear, voluntaryReturn]
        let rest = s.indices.filter { $0 != index }
        let sum = rest.map { s[$0] }.reduce(0, +)
        for k in rest { s[k] = sum > 0 ? s[k] * (1 - value) / sum : (1 - value) / 2 }
        s[index] = value
        (expeditedRemoval, noticeToAppear, voluntaryReturn) = (s[0], s[1], s[2])
    }
}
