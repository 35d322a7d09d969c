import Testing
@testable import DeportSimIO

/// The scenario tables decide what events, sweeps and `--fit` may set.
@Suite("Scenario key tables")
struct ScenarioKeysTests {
    @Test("events: what is fixed at the start, and why", arguments: [
        ("seed", "is fixed for the whole run"),
        ("output.period", "is fixed for the whole run"),
        ("countries", "would add or remove countries or routes, which are fixed at the start"),
        ("countries.CHN", "would add or remove countries or routes, which are fixed at the start"),
        ("routes.r1", "would add or remove countries or routes, which are fixed at the start"),
        ("border", "names a whole section; set its values one by one"),
        ("border.restrictions", "names a whole section; set its values one by one"),
        ("countries.CHN.initial", "is an initial stock, fixed at the start"),
        ("countries.CHN.initial.pending", "is an initial stock, fixed at the start"),
        ("countries.CHN.deterrence.initial_removals_per_day", "is fixed at the start"),
        ("countries.CHN.encounters.distribution", "a distribution is fixed at the start"),
        ("border.other_encounters.distribution", "a distribution is fixed at the start"),
        ("routes.r1.countries.0", "route ids and countries are fixed at the start"),
        ("routes.r1.schedule", "schedule dates, every_days, first and jitter_days are drawn at the start of a replication"),
        ("routes.r1.schedule.dates.2", "schedule dates, every_days, first and jitter_days are drawn at the start of a replication"),
        ("routes.r1.schedule.jitter_days", "schedule dates, every_days, first and jitter_days are drawn at the start of a replication"),
    ])
    func fixed(path: String, reason: String) {
        #expect(TreePaths.fixedAtStartReason(path) == reason)
    }

    @Test("events may set model values", arguments: [
        "capacity.detention_beds", "border.restrictions.while_active.pathways.expedited_removal",
        "countries.CHN.encounters", "countries.CHN.encounters.seasonality.5", "routes.r1.schedule.per_month",
        "routes.r1.seats", "countries.CHN.deterrence.elasticity",
    ])
    func settable(path: String) {
        #expect(TreePaths.fixedAtStartReason(path) == nil)
    }

    @Test("sweeps may not vary run settings or what makes up the lists of countries and routes")
    func sweeps() {
        for path in ["start", "seed", "countries", "countries.CHN", "routes.r1", "routes.r1.id", "routes.r1.countries.0"] {
            #expect(ScenarioKeys.facts(path).fixedInSweep, "\(path)")
        }
        for path in ["routes.r1.schedule.every_days", "countries.CHN.initial.pending", "capacity.detention_beds"] {
            #expect(!ScenarioKeys.facts(path).fixedInSweep, "\(path)")
        }
    }

    @Test("whole numbers come from the table, wherever the key sits")
    func wholeNumbers() {
        #expect(TreePaths.isWholeNumber("capacity.detention_beds"))
        #expect(TreePaths.isWholeNumber("border.restrictions.deactivate_after_days"))
        #expect(TreePaths.isWholeNumber("replications"))
        #expect(!TreePaths.isWholeNumber("costs.detention_bed_day"))
        #expect(!TreePaths.isWholeNumber("countries.CHN.encounters.seasonality.5"))
        #expect(TreePaths.runSetting(of: "output.period") == "output")
        #expect(TreePaths.runSetting(of: "capacity.detention_beds") == nil)
    }

    @Test("schedule kinds and their keys")
    func scheduleKinds() {
        #expect(ScenarioKeys.scheduleKinds.map(\.kind) == ["dates", "every_days", "per_month"])
        #expect(ScenarioKeys.scheduleKinds[1].keys == ["every_days", "first", "jitter_days"])
    }
}
