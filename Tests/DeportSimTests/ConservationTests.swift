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

    init(_ s: Scenario) {
        initial = s.parameters.countries.map(\.initial.total)
        encounters = Array(repeating: 0, count: initial.count)
        exits = encounters
        beds = s.parameters.capacity.detentionBeds
    }

    mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay, flights: ArraySlice<FlightRecord>) {
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
        }
    }
}

/// A random but valid scenario exercising every mechanism: several
/// countries, negative binomial and Poisson encounters, deterrence, beds,
/// the detention limit, the restriction rule, all three schedule kinds with
/// multi-country routes, the daily cap, and events.
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
    border:
      other_encounters: { per_day: \(f(u(0, 3000))), distribution: negative_binomial, dispersion: \(f(u(1, 50))) }
      restrictions: { effective: 2024-02-01, activate_at: \(f(u(500, 3000))), deactivate_below: 400, deactivate_after_days: \(1 + rng.uniformInt(below: 20)), deactivate_delay_days: \(rng.uniformInt(below: 10)),
                      while_active: { encounter_multiplier: \(f(u(0.3, 1))), pathways: { expedited_removal: 0.7, notice_to_appear: 0.2, voluntary_return: 0.1 }, credible_fear_pass_rate: 0.2 } }
    countries:

    """
    for code in codes {
        let er = u(0, 1), nta = u(0, 1 - er)
        let nb = rng.bernoulli(0.5)
        yaml += """
          \(code):
            encounters: { per_day: \(f(u(0, 200))), distribution: \(nb ? "negative_binomial, dispersion: \(f(u(0.5, 40)))" : "poisson"), trend_per_year: \(f(u(-1, 1))) }
            deterrence: { elasticity: \(f(u(0, 10))), half_life_days: \(f(u(1, 60))), initial_removals_per_day: \(f(u(0, 5))) }
            pathways: { expedited_removal: \(f(er)), notice_to_appear: \(f(nta)), voluntary_return: \(f(1 - f2(er) - f2(nta))) }
            credible_fear: { claim_rate: \(f(u(0, 1))), pass_rate: \(f(u(0, 1))) }
            court: { mean_days: \(f(u(1, 2000))), order_rate: \(f(u(0, 1))) }
            at_large: { arrest_rate_per_year: \(f(u(0, 1))), departure_rate_per_year: \(f(u(0, 0.3))) }
            travel_documents: { mean_days: \(f(u(0.5, 60))), cooperation: \(f(u(0, 1))) }
            commercial_removals_per_day: \(f(u(0, 10)))
            initial: { pending: \(rng.uniformInt(below: 50000)), at_large: \(rng.uniformInt(below: 50000)), detained_awaiting: \(rng.uniformInt(below: 2000)), detained_ready: \(rng.uniformInt(below: 500)) }

        """
    }
    yaml += """
    routes:
      - { id: fixed, countries: [\(codes.joined(separator: ", "))], seats: \(1 + rng.uniformInt(below: 200)), min_load: \(f(u(0, 1))), cancel_probability: \(f(u(0, 0.5))), block_hours: 5, schedule: { dates: [2024-01-05, 2024-01-05, 2024-02-20] } }
      - { id: often, countries: [\(codes.last!)], seats: \(1 + rng.uniformInt(below: 200)), min_load: \(f(u(0, 1))), schedule: { every_days: \(1 + rng.uniformInt(below: 30)), first: 2023-12-20, jitter_days: \(rng.uniformInt(below: 5)) } }
      - { id: monthly, countries: [\(codes.reversed().joined(separator: ", "))], seats: 100, schedule: { per_month: \(f(u(0, 40))) } }
    events:
      - { date: 2024-02-10, set: { countries.\(codes[0]).travel_documents.cooperation: 0, capacity.detention_beds: \(rng.uniformInt(below: 500)) } }
      - { date: 2024-03-01, set: { countries.\(codes[0]).travel_documents.cooperation: 1, capacity.max_detention_days: 20, routes.monthly.seats: 10 } }
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
    }

    @Test(arguments: ["conf-one", "conf-three"])
    func conformanceScenariosConservePeople(name: String) throws {
        let s = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("\(name).yaml").path).scenario
        for rep in 0..<5 {
            var check = ConservationCheck(s)
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
