import Foundation
import GSLSupport
import Testing
@testable import DeportSimCore
@testable import DeportSimIO

/// Checks MODEL.md's identity every day for every country:
/// initial stocks + cumulative encounters = current stocks + cumulative exits.
struct ConservationCheck: DayObserver {
    var wantsFlights: Bool { false }
    let initial: [Int]
    var encounters: [Int]
    var exits: [Int]
    var violations: [String] = []
    var bedsExceeded = 0
    let beds: Int?

    /// The replication's own initial stocks: an uncertain input may draw them (docs/model.md 8.7).
    init(_ s: Scenario, replication: Int = 0) {
        let p = Simulator(scenario: s).replicationParameters(replication: replication).0
        initial = p.countries.map(\.initial.total)
        encounters = Array(repeating: 0, count: initial.count)
        exits = encounters
        beds = s.parameters.capacity.detentionBeds
    }

    /// Warm-up days change the stocks too: the identity runs from the
    /// first simulated day (docs/model.md 2.9).
    mutating func observeWarmup(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay) {
        check(day: day, countries)
        warmupDays += 1
    }

    var warmupDays = 0

    mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay, flights: ArraySlice<FlightRecord>) {
        check(day: day, countries)
        for flight in flights where flight.status == .suspended && flight.boarded != 0 {
            violations.append("day \(day): a suspended flight boarded \(flight.boarded)")
        }
    }

    private mutating func check(day: Int, _ countries: UnsafeBufferPointer<CountryDay>) {
        for c in 0..<countries.count {
            let d = countries[c]
            encounters[c] += d.encounters
            exits[c] += d.exits
            if initial[c] + encounters[c] != d.stockTotal + exits[c] {
                violations.append("day \(day) country \(c): \(initial[c]) + \(encounters[c]) != \(d.stockTotal) + \(exits[c])")
            }
            for x in [d.pending, d.atLarge, d.detainedAwaiting, d.detainedReady] where x < 0 {
                violations.append("day \(day) country \(c): negative stock")
            }
            // Pathway and court identities.
            if d.expeditedRemoval + d.noticeToAppear + d.voluntaryReturn != d.encounters
                || d.removalOrders + d.relief != d.courtDecisions || d.fearPassed > d.fearClaims || d.fearClaims > d.expeditedRemoval {
                violations.append("day \(day) country \(c): a split does not add up")
            }
            if d.encountersBorderPatrol + d.encountersPorts != d.encounters {
                violations.append("day \(day) country \(c): Border Patrol + ports != encounters")
            }
        }
    }
}

/// A random but valid scenario exercising every mechanism: several
/// countries, negative binomial and Poisson encounters, deterrence, beds,
/// the detention limit, the restriction rule, all three schedule kinds with
/// multi-country routes, the daily cap, and events; and the mechanisms of
/// issue 12: a warm-up, initial age profiles, Border Patrol and port
/// streams, what the rule counts, its ramp, per-country effects, and routes
/// suspended by events.
func randomScenarioYAML(seed: UInt64) -> String {
    let rng = RandomStream(seed: seed)
    func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.uniform() }
    func f(_ x: Double) -> String { String(format: "%.4f", x) }
    let n = 1 + rng.uniformInt(below: 4)
    let codes = Array(["AAA", "BBB", "CCC", "DDD"].prefix(n))
    var yaml = """
    start: 2024-01-01
    end: 2024-\(String(format: "%02d", 3 + rng.uniformInt(below: 8)))-15
    capacity: { detention_beds: \(rng.bernoulli(0.7) ? String(rng.uniformInt(below: 3000)) : "null"), max_detention_days: \(rng.bernoulli(0.7) ? String(1 + rng.uniformInt(below: 120)) : "null"), charter_flights_per_day: \(rng.uniformInt(below: 3)) }
    costs: { detention_bed_day: 150, charter_flight_hour: 9000, commercial_removal: 1500 }
    warmup_days: \(rng.bernoulli(0.6) ? rng.uniformInt(below: 90) : 0)
    border:
      other_encounters: \(rng.bernoulli(0.5) ? "{ per_day: \(f(u(0, 3000))), distribution: negative_binomial, dispersion: \(f(u(1, 50))) }"
                           : "{ border_patrol: { per_day: \(f(u(0, 2000))) }, ports: { per_day: \(f(u(0, 1000))), distribution: negative_binomial, dispersion: \(f(u(1, 50))) } }")
      restrictions: { effective: 2024-02-01, activate_at: \(f(u(500, 3000))), deactivate_below: 400, deactivate_after_days: \(1 + rng.uniformInt(below: 20)), deactivate_delay_days: \(rng.uniformInt(below: 10)),
                      counts: \(["all", "border_patrol", "ports"][rng.uniformInt(below: 3)]), ramp_days: \(rng.uniformInt(below: 20)),
                      while_active: { encounter_multiplier: \(f(u(0.3, 1))), pathways: { expedited_removal: 0.7, notice_to_appear: 0.2, voluntary_return: 0.1 }, credible_fear_pass_rate: 0.2 } }
    countries:

    """
    for code in codes {
        let er = u(0, 1), nta = u(0, 1 - er)
        let nb = rng.bernoulli(0.5)
        let process = "{ per_day: \(f(u(0, 200))), distribution: \(nb ? "negative_binomial, dispersion: \(f(u(0.5, 40)))" : "poisson"), trend_per_year: \(f(u(-1, 1))) }"
        let encounters = rng.bernoulli(0.5) ? process : "{ border_patrol: \(process), ports: { per_day: \(f(u(0, 80))), seasonality: [\((0..<12).map { _ in f(u(0.5, 1.5)) }.joined(separator: ", "))] } }"
        let er2 = u(0, 1)
        let restriction = rng.bernoulli(0.5) ? "restriction: { encounter_multiplier: \(f(u(0, 2))), pathways: { expedited_removal: \(f(er2)), notice_to_appear: \(f(1 - f2(er2))), voluntary_return: 0 } }" : "restriction: { encounter_multiplier: \(f(u(0, 2))) }"
        let awaiting = rng.uniformInt(below: 2000)
        let awaitingAge = switch rng.uniformInt(below: 3) {
        case 0: "detained_awaiting: \(awaiting), detained_awaiting_age: steady_state"
        case 1: "detained_awaiting_age: [[1, \(awaiting)], [\(2 + rng.uniformInt(below: 200)), \(rng.uniformInt(below: 300))]]"
        default: "detained_awaiting: \(awaiting)"
        }
        yaml += """
          \(code):
            encounters: \(encounters)
            \(restriction)
            deterrence: { elasticity: \(f(u(0, 10))), half_life_days: \(f(u(1, 60))), initial_removals_per_day: \(f(u(0, 5))) }
            pathways: { expedited_removal: \(f(er)), notice_to_appear: \(f(nta)), voluntary_return: \(f(1 - f2(er) - f2(nta))) }
            credible_fear: { claim_rate: \(f(u(0, 1))), pass_rate: \(f(u(0, 1))) }
            court: { mean_days: \(f(u(1, 2000))), order_rate: \(f(u(0, 1))) }
            at_large: { arrest_rate_per_year: \(f(u(0, 1))), departure_rate_per_year: \(f(u(0, 0.3))) }
            travel_documents: { mean_days: \(f(u(0.5, 60))), cooperation: \(f(u(0, 1))) }
            commercial_removals_per_day: \(f(u(0, 10)))
            initial: { pending: \(rng.uniformInt(below: 50000)), at_large: \(rng.uniformInt(below: 50000)), \(awaitingAge), detained_ready: \(rng.uniformInt(below: 500)) }

        """
    }
    yaml += """
    routes:
      - { id: fixed, countries: [\(codes.joined(separator: ", "))], seats: \(1 + rng.uniformInt(below: 200)), min_load: \(f(u(0, 1))), cancel_probability: \(f(u(0, 0.5))), block_hours: 5, schedule: { dates: [2024-01-05, 2024-01-05, 2024-02-20] } }
      - { id: often, countries: [\(codes.last!)], seats: \(1 + rng.uniformInt(below: 200)), min_load: \(f(u(0, 1))), suspended: \(rng.bernoulli(0.3)), schedule: { every_days: \(1 + rng.uniformInt(below: 30)), first: 2023-12-20, jitter_days: \(rng.uniformInt(below: 5)) } }
      - { id: monthly, countries: [\(codes.reversed().joined(separator: ", "))], seats: 100, schedule: { per_month: \(f(u(0, 40))) } }
    events:
      - { date: 2024-02-10, set: { countries.\(codes[0]).travel_documents.cooperation: 0, capacity.detention_beds: \(rng.uniformInt(below: 500)), routes.fixed.suspended: true, routes.monthly.suspended: true } }
      - { date: 2024-03-01, set: { countries.\(codes[0]).travel_documents.cooperation: 1, capacity.max_detention_days: 20, routes.monthly.seats: 10, routes.monthly.suspended: false } }
    """
    return yaml
}

private func f2(_ x: Double) -> Double { Double(String(format: "%.4f", x))! }

@Suite("Conservation of people")
struct ConservationTests {
    @Test(arguments: 0..<40)
    func randomScenarioConservesPeople(seed: Int) throws {
        let s = try scenario(randomScenarioYAML(seed: UInt64(seed) &* 7919 &+ 11), file: "random-\(seed).yaml").scenario
        var check = ConservationCheck(s)
        Simulator(scenario: s).run(replication: seed, observer: &check)
        #expect(check.violations.isEmpty, "\(check.violations.prefix(3))")
        #expect(check.warmupDays == s.warmupDays)
    }

    /// The generator does reach the new mechanisms (a test of the test).
    @Test func randomScenariosUseWarmUpAndTwoStreams() throws {
        let scenarios = try (0..<40).map { try scenario(randomScenarioYAML(seed: UInt64($0) &* 7919 &+ 11)).scenario }
        #expect(scenarios.contains { $0.warmupDays > 0 } && scenarios.contains { $0.warmupDays == 0 })
        #expect(scenarios.contains { $0.parameters.countries.contains { $0.portEncounters != nil } })
        #expect(scenarios.contains { $0.parameters.border.otherPortEncounters != nil })
        #expect(scenarios.contains { $0.parameters.countries.contains { $0.initial.detainedAwaitingAge == .steadyState } })
        #expect(scenarios.contains { $0.parameters.routes.contains(where: \.suspended) })
    }

    @Test(arguments: ["conf-one", "conf-three"])
    func conformanceScenariosConservePeople(name: String) throws {
        let s = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("\(name).yaml").path).scenario
        for rep in 0..<5 {
            var check = ConservationCheck(s, replication: rep)
            Simulator(scenario: s).run(replication: rep, observer: &check)
            #expect(check.violations.isEmpty, "\(check.violations.prefix(3))")
        }
    }

    @Test func shippedScenariosConservePeople() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Scenarios").path)
            .filter { $0.hasSuffix(".yaml") }
        for file in files {
            let s = try ScenarioLoader.load(file: packageRoot.appendingPathComponent("Scenarios/\(file)").path).scenario
            var check = ConservationCheck(s)
            Simulator(scenario: s).run(replication: 0, observer: &check)
            #expect(check.violations.isEmpty, "\(file): \(check.violations.prefix(3))")
        }
    }
}
