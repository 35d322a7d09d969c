import DeportSimAnalysis

/// The scenario file's keys, one table per section (docs/model.md, "Scenario
/// file"). This is the one place that knows them: the parser takes its
/// allowed keys and defaults from here, events and sweeps what they may
/// set, `--fit` and sweeps which values are whole numbers, and `--set`
/// which keys make up a route's schedule kind. Adding a key is one row
/// here plus reading it in ScenarioParser.
struct ScenarioKey: Sendable {
    enum Kind: Sendable {
        case number, probability, wholeNumber, date, text, choice, list
        /// A mapping of further keys.
        case section(ScenarioSection)
        /// Elements named by a country code or a route id, each a section.
        case collection(ScenarioSection)
    }

    enum Default: Sendable {
        /// The key must be given.
        case required
        case number(Double)
        case text(String)
        /// Absent or null means no limit.
        case unlimited
        /// Absent means what the text says (computed or taken from elsewhere).
        case absent(String)
    }

    /// Whether events may change the value during a run.
    enum EventRule: Sendable {
        case settable
        /// Set up before the first day (of every replication): the reason,
        /// which also covers everything under the key.
        case fixedAtStart(String)
        /// A top-level key that sets up the run rather than holding a model
        /// value: no event, sweep or calibration may change it.
        case runSetting
    }

    let name: String
    let kind: Kind
    /// What one unit of the value is ("days", "US dollars a bed-day").
    let unit: String
    let defaultValue: Default
    let event: EventRule
    /// Why an event may not set the whole section or collection at once
    /// (its values are set one by one), or nil when it may.
    var wholeFixed: String? = nil
    /// What identifies a route: no sweep point may change it.
    var fixedInSweep = false
    /// The schedule kind (dates, every_days, per_month) this key belongs to.
    var scheduleKind: String? = nil

    var isWholeNumber: Bool { if case .wholeNumber = kind { true } else { false } }
}

struct ScenarioSection: Sendable {
    let rows: [ScenarioKey]
    var keys: [String] { rows.map(\.name) }
    func row(_ name: String) -> ScenarioKey? { rows.first { $0.name == name } }
}

/// The tables, from the top of the file down.
enum ScenarioKeys {
    private typealias K = ScenarioKey
    private static let wholeSection = "names a whole section; set its values one by one"
    private static let drawnAtStart = "schedule dates, every_days, first and jitter_days are drawn at the start of a replication"
    private static let routeIdentity = "route ids and countries are fixed at the start"
    private static let initialStock = "is an initial stock, fixed at the start"
    private static let shockShape = "shapes the monthly shock series, drawn at the start of a replication"
    private static let addsOrRemoves = "would add or remove countries or routes, which are fixed at the start"

    static let output = ScenarioSection(rows: [
        K(name: "period", kind: .choice, unit: "day, week, month, fiscal_year, year or total", defaultValue: .text("month"), event: .runSetting),
    ])

    static let capacity = ScenarioSection(rows: [
        K(name: "detention_beds", kind: .wholeNumber, unit: "beds", defaultValue: .unlimited, event: .settable),
        K(name: "max_detention_days", kind: .wholeNumber, unit: "days", defaultValue: .unlimited, event: .settable),
        K(name: "charter_flights_per_day", kind: .wholeNumber, unit: "flights a day", defaultValue: .unlimited, event: .settable),
    ])

    static let costs = ScenarioSection(rows: [
        K(name: "detention_bed_day", kind: .number, unit: "US dollars a bed-day", defaultValue: .number(0), event: .settable),
        K(name: "charter_flight_hour", kind: .number, unit: "US dollars a block hour", defaultValue: .number(0), event: .settable),
        K(name: "commercial_removal", kind: .number, unit: "US dollars a removal", defaultValue: .number(0), event: .settable),
    ])

    /// One encounter process (docs/model.md 8).
    static let encounterProcess = ScenarioSection(rows: [
        K(name: "per_day", kind: .number, unit: "encounters a day", defaultValue: .required, event: .settable),
        K(name: "distribution", kind: .choice, unit: "poisson or negative_binomial", defaultValue: .text("poisson"),
          event: .fixedAtStart("a distribution is fixed at the start")),
        K(name: "dispersion", kind: .number, unit: "negative binomial size", defaultValue: .absent("required for negative_binomial"), event: .settable),
        K(name: "seasonality", kind: .list, unit: "12 monthly multipliers, January first", defaultValue: .absent("1 every month"), event: .settable),
        K(name: "trend_per_year", kind: .number, unit: "log-growth a year", defaultValue: .number(0), event: .settable),
        K(name: "volatility", kind: .number, unit: "sd of the monthly log-shock", defaultValue: .number(0), event: .settable),
        K(name: "volatility_persistence", kind: .number, unit: "AR(1) persistence a month", defaultValue: .number(0.5),
          event: .fixedAtStart(shockShape)),
    ])

    /// A country's (or the other) encounters: one process, or a Border
    /// Patrol and a ports process (docs/model.md 5.3.1), never both forms.
    static let encounters = ScenarioSection(rows: encounterProcess.rows + [
        K(name: "border_patrol", kind: .section(encounterProcess), unit: "", defaultValue: .absent("none"), event: .settable),
        K(name: "ports", kind: .section(encounterProcess), unit: "", defaultValue: .absent("none"), event: .settable),
    ])

    static let pathways = ScenarioSection(rows: [
        K(name: "expedited_removal", kind: .probability, unit: "share", defaultValue: .required, event: .settable),
        K(name: "notice_to_appear", kind: .probability, unit: "share", defaultValue: .required, event: .settable),
        K(name: "voluntary_return", kind: .probability, unit: "share", defaultValue: .required, event: .settable),
    ])

    static let whileActive = ScenarioSection(rows: [
        K(name: "encounter_multiplier", kind: .number, unit: "multiplier from 0 to 10", defaultValue: .absent("unchanged"), event: .settable),
        K(name: "pathways", kind: .section(pathways), unit: "", defaultValue: .absent("unchanged"), event: .settable),
        K(name: "credible_fear_pass_rate", kind: .probability, unit: "share", defaultValue: .absent("unchanged"), event: .settable),
    ])

    static let restrictions = ScenarioSection(rows: [
        K(name: "effective", kind: .date, unit: "date", defaultValue: .required, event: .settable),
        K(name: "activate_at", kind: .number, unit: "encounters a day", defaultValue: .required, event: .settable),
        K(name: "deactivate_below", kind: .number, unit: "encounters a day", defaultValue: .required, event: .settable),
        K(name: "deactivate_after_days", kind: .wholeNumber, unit: "days", defaultValue: .required, event: .settable),
        K(name: "deactivate_delay_days", kind: .wholeNumber, unit: "days", defaultValue: .number(0), event: .settable),
        K(name: "counted_share", kind: .probability, unit: "share (deprecated: use counts)", defaultValue: .number(1), event: .settable),
        K(name: "counts", kind: .choice, unit: "border_patrol, ports or all", defaultValue: .text("all"), event: .settable),
        K(name: "ramp_days", kind: .wholeNumber, unit: "days", defaultValue: .number(0), event: .settable),
        K(name: "while_active", kind: .section(whileActive), unit: "", defaultValue: .absent("no changes"), event: .settable),
    ])

    static let border = ScenarioSection(rows: [
        K(name: "common_shock_share", kind: .probability, unit: "share of the shock variance", defaultValue: .number(0),
          event: .fixedAtStart(shockShape)),
        K(name: "common_shock_persistence", kind: .number, unit: "AR(1) persistence a month", defaultValue: .number(0.5),
          event: .fixedAtStart(shockShape)),
        K(name: "other_encounters", kind: .section(encounters), unit: "", defaultValue: .absent("none"), event: .settable,
          wholeFixed: wholeSection),
        K(name: "restrictions", kind: .section(restrictions), unit: "", defaultValue: .absent("no rule"), event: .settable,
          wholeFixed: wholeSection),
    ])

    static let deterrence = ScenarioSection(rows: [
        K(name: "elasticity", kind: .number, unit: "", defaultValue: .number(0), event: .settable),
        K(name: "half_life_days", kind: .number, unit: "days", defaultValue: .number(30), event: .settable),
        K(name: "initial_removals_per_day", kind: .number, unit: "removals a day", defaultValue: .number(0),
          event: .fixedAtStart("is fixed at the start")),
    ])

    static let credibleFear = ScenarioSection(rows: [
        K(name: "claim_rate", kind: .probability, unit: "share", defaultValue: .number(0), event: .settable),
        K(name: "pass_rate", kind: .probability, unit: "share", defaultValue: .number(0), event: .settable),
    ])

    static let court = ScenarioSection(rows: [
        K(name: "mean_days", kind: .number, unit: "days", defaultValue: .required, event: .settable),
        K(name: "order_rate", kind: .probability, unit: "share", defaultValue: .required, event: .settable),
    ])

    static let atLarge = ScenarioSection(rows: [
        K(name: "arrest_rate_per_year", kind: .probability, unit: "share a year", defaultValue: .number(0), event: .settable),
        K(name: "departure_rate_per_year", kind: .probability, unit: "share a year", defaultValue: .number(0), event: .settable),
    ])

    static let travelDocuments = ScenarioSection(rows: [
        K(name: "mean_days", kind: .number, unit: "days", defaultValue: .required, event: .settable),
        K(name: "cooperation", kind: .probability, unit: "share", defaultValue: .number(1), event: .settable),
    ])

    static let initial = ScenarioSection(rows: ["pending", "at_large", "detained_awaiting", "detained_ready"].map {
        K(name: $0, kind: .wholeNumber, unit: "people", defaultValue: .number(0), event: .fixedAtStart(initialStock))
    } + [
        K(name: "detained_awaiting_age", kind: .list, unit: "[days, count] pairs, one_cohort or steady_state",
          defaultValue: .text("one_cohort"), event: .fixedAtStart(initialStock)),
    ])

    /// A country's own effect of the restriction rule (docs/model.md 5.2.1).
    static let countryRestriction = ScenarioSection(rows: [
        K(name: "encounter_multiplier", kind: .number, unit: "multiplier from 0 to 10", defaultValue: .absent("the border-wide one"), event: .settable),
        K(name: "pathways", kind: .section(pathways), unit: "", defaultValue: .absent("the border-wide ones"), event: .settable),
    ])

    static let country = ScenarioSection(rows: [
        K(name: "name", kind: .text, unit: "", defaultValue: .absent("the country code"), event: .settable),
        K(name: "encounters", kind: .section(encounters), unit: "", defaultValue: .required, event: .settable),
        K(name: "deterrence", kind: .section(deterrence), unit: "", defaultValue: .absent("no deterrence"), event: .settable),
        K(name: "pathways", kind: .section(pathways), unit: "", defaultValue: .required, event: .settable),
        K(name: "credible_fear", kind: .section(credibleFear), unit: "", defaultValue: .absent("no claims"), event: .settable),
        K(name: "court", kind: .section(court), unit: "", defaultValue: .required, event: .settable),
        K(name: "at_large", kind: .section(atLarge), unit: "", defaultValue: .absent("no arrests or departures"), event: .settable),
        K(name: "travel_documents", kind: .section(travelDocuments), unit: "", defaultValue: .required, event: .settable),
        K(name: "commercial_removals_per_day", kind: .number, unit: "removals a day", defaultValue: .number(0), event: .settable),
        K(name: "initial", kind: .section(initial), unit: "", defaultValue: .absent("no one"), event: .fixedAtStart(initialStock)),
        K(name: "restriction", kind: .section(countryRestriction), unit: "", defaultValue: .absent("the border-wide effect"), event: .settable),
    ])

    static let schedule = ScenarioSection(rows: [
        K(name: "dates", kind: .list, unit: "departure dates", defaultValue: .absent("another kind"),
          event: .fixedAtStart(drawnAtStart), scheduleKind: "dates"),
        K(name: "every_days", kind: .wholeNumber, unit: "days", defaultValue: .absent("another kind"),
          event: .fixedAtStart(drawnAtStart), scheduleKind: "every_days"),
        K(name: "first", kind: .date, unit: "date", defaultValue: .required, event: .fixedAtStart(drawnAtStart), scheduleKind: "every_days"),
        K(name: "jitter_days", kind: .wholeNumber, unit: "days", defaultValue: .number(0), event: .fixedAtStart(drawnAtStart),
          scheduleKind: "every_days"),
        K(name: "per_month", kind: .number, unit: "flights a month", defaultValue: .absent("another kind"), event: .settable,
          scheduleKind: "per_month"),
    ])

    static let route = ScenarioSection(rows: [
        K(name: "id", kind: .text, unit: "", defaultValue: .required, event: .fixedAtStart(routeIdentity), fixedInSweep: true),
        K(name: "countries", kind: .list, unit: "country codes", defaultValue: .required, event: .fixedAtStart(routeIdentity),
          fixedInSweep: true),
        K(name: "seats", kind: .wholeNumber, unit: "seats", defaultValue: .required, event: .settable),
        K(name: "block_hours", kind: .number, unit: "hours", defaultValue: .number(0), event: .settable),
        K(name: "min_load", kind: .probability, unit: "share of seats", defaultValue: .number(0), event: .settable),
        K(name: "cancel_probability", kind: .probability, unit: "probability", defaultValue: .number(0), event: .settable),
        K(name: "schedule", kind: .section(schedule), unit: "", defaultValue: .required, event: .settable, wholeFixed: drawnAtStart),
        K(name: "suspended", kind: .choice, unit: "true or false", defaultValue: .text("false"), event: .settable),
    ])

    static let event = ScenarioSection(rows: [
        K(name: "id", kind: .text, unit: "letters, digits, _ or -, not a number", defaultValue: .absent("none"), event: .runSetting),
        K(name: "date", kind: .date, unit: "date", defaultValue: .required, event: .runSetting),
        K(name: "set", kind: .text, unit: "paths to values", defaultValue: .required, event: .runSetting),
        K(name: "note", kind: .text, unit: "", defaultValue: .text(""), event: .runSetting),
    ])

    static let top = ScenarioSection(rows: [
        K(name: "name", kind: .text, unit: "", defaultValue: .absent("the file's name"), event: .runSetting),
        K(name: "description", kind: .text, unit: "", defaultValue: .text(""), event: .runSetting),
        K(name: "start", kind: .date, unit: "date", defaultValue: .required, event: .runSetting),
        K(name: "end", kind: .date, unit: "date", defaultValue: .required, event: .runSetting),
        K(name: "seed", kind: .wholeNumber, unit: "", defaultValue: .number(1), event: .runSetting),
        K(name: "replications", kind: .wholeNumber, unit: "replications", defaultValue: .number(100), event: .runSetting),
        K(name: "warmup_days", kind: .wholeNumber, unit: "days", defaultValue: .number(0),
          event: .fixedAtStart("is fixed at the start (the warm-up precedes the run)")),
        K(name: "output", kind: .section(output), unit: "", defaultValue: .absent("monthly"), event: .runSetting),
        K(name: "extends", kind: .text, unit: "a scenario file", defaultValue: .absent("none"), event: .runSetting),
        K(name: "capacity", kind: .section(capacity), unit: "", defaultValue: .absent("unlimited"), event: .settable),
        K(name: "costs", kind: .section(costs), unit: "", defaultValue: .absent("no costs"), event: .settable),
        K(name: "border", kind: .section(border), unit: "", defaultValue: .absent("no other encounters, no rule"), event: .settable,
          wholeFixed: wholeSection),
        K(name: "countries", kind: .collection(country), unit: "", defaultValue: .required, event: .settable, wholeFixed: addsOrRemoves),
        K(name: "routes", kind: .collection(route), unit: "", defaultValue: .absent("none"), event: .settable, wholeFixed: addsOrRemoves),
        K(name: "events", kind: .list, unit: "", defaultValue: .absent("none"), event: .runSetting),
        K(name: "targets", kind: .list, unit: "", defaultValue: .absent("none"), event: .runSetting),
        K(name: "uncertain", kind: .text, unit: "paths to distributions", defaultValue: .absent("none"), event: .runSetting),
    ])

    /// A reported figure (docs/model.md 10), in a scenario's `targets` or a
    /// targets file. Targets are not model values: nothing may set them.
    static let target = ScenarioSection(rows: [
        K(name: "metric", kind: .list, unit: "a metric or a list of metrics (summed)", defaultValue: .required, event: .runSetting),
        K(name: "country", kind: .text, unit: "ALL or a country code", defaultValue: .text("ALL"), event: .runSetting),
        K(name: "period", kind: .text, unit: "a period inside the run", defaultValue: .required, event: .runSetting),
        K(name: "value", kind: .number, unit: "the metric's unit", defaultValue: .required, event: .runSetting),
        K(name: "source", kind: .text, unit: "", defaultValue: .text(""), event: .runSetting),
        // A reported figure within 10% of the mean passes (docs/model.md 10).
        K(name: "tolerance", kind: .number, unit: "relative", defaultValue: .number(0.1), event: .runSetting),
        K(name: "weight", kind: .number, unit: "weight in the calibration loss", defaultValue: .number(1), event: .runSetting),
        K(name: "role", kind: .choice, unit: "fit or check", defaultValue: .text(TargetRole.default.rawValue), event: .runSetting),
    ])

    /// A targets file given as a mapping (`--targets FILE`).
    static let targetsFile = ScenarioSection(rows: [
        K(name: "targets", kind: .list, unit: "", defaultValue: .required, event: .runSetting),
    ])

    /// What the table says about the value at a path (docs/model.md, "Paths").
    struct PathFacts {
        /// The key at the end of the path; nil for an unknown key, a list
        /// element, or a whole country or route.
        var key: ScenarioKey?
        /// The top-level run setting the path lies in.
        var runSetting: String?
        /// Why an event may not set the path, or nil when it may.
        var fixedAtStart: String?
        /// Whether a sweep may not vary it: run settings and what makes up
        /// the lists of countries and routes.
        var fixedInSweep = false
    }

    static func facts(_ path: String) -> PathFacts {
        var facts = PathFacts()
        let comps = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // `events.<id>.set.<path>` names the model value the event sets there.
        if comps.count >= 4, comps[0] == "events", comps[2] == "set" {
            var inner = self.facts(comps[3...].joined(separator: "."))
            // Events are applied once, at load time: one cannot change another.
            inner.fixedAtStart = "names another event's value; events are fixed for the whole run"
            return inner
        }
        var section = top
        var i = 0
        while i < comps.count, let row = section.row(comps[i]) {
            let isLast = i == comps.count - 1
            switch row.event {
            case .runSetting where i == 0:
                facts.runSetting = row.name
                facts.fixedAtStart = "is fixed for the whole run"
                facts.fixedInSweep = true
            case .fixedAtStart(let why): facts.fixedAtStart = facts.fixedAtStart ?? why
            default: break
            }
            if row.fixedInSweep { facts.fixedInSweep = true }
            switch row.kind {
            case .collection(let element):
                // The collection itself or one element: adds or removes one.
                if i + 1 >= comps.count - 1 {
                    facts.fixedAtStart = facts.fixedAtStart ?? row.wholeFixed
                    facts.fixedInSweep = true
                    return facts
                }
                section = element
                i += 2
            case .section(let inner):
                if isLast {
                    facts.key = row
                    facts.fixedAtStart = facts.fixedAtStart ?? row.wholeFixed
                    return facts
                }
                section = inner
                i += 1
            default:
                if isLast { facts.key = row }
                return facts
            }
        }
        return facts
    }

    /// Whether a scenario must hold a value at this path (an overlay's
    /// `delete:` may not remove it).
    static func isRequired(_ path: String) -> Bool {
        let comps = path.split(separator: ".", omittingEmptySubsequences: false)
        // One assignment of an event: an event may set fewer values.
        if comps.count >= 4, comps[0] == "events", comps[2] == "set" { return false }
        let row = comps.count == 1 ? top.row(path) : facts(path).key
        if case .required? = row?.defaultValue { return true }
        return false
    }

    /// The schedule kinds and the keys of each, in table order.
    static let scheduleKinds: [(kind: String, keys: [String])] = schedule.rows.compactMap { row in
        row.scheduleKind == row.name ? (row.name, schedule.rows.filter { $0.scheduleKind == row.name }.map(\.name)) : nil
    }
}
