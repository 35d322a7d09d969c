// Throughput benchmark: simulated country-days per second, on 1 and 2
// worker threads, with and without the monthly period recorder.
//
//     python3 Benchmarks/make_scenario.py > /tmp/bench.yaml
//     swift run -c release deportsim-benchmark /tmp/bench.yaml [replications per thread]
//
// Release builds only: debug builds are 10-30x slower.
import DeportSimCore
import DeportSimIO
import Dispatch
import Foundation
import GSLSupport

/// Observes nothing: the pure cost of the model's day step.
struct Discard: DayObserver {
    var wantsFlights: Bool { false }
    mutating func observe(day: Int, countries: UnsafeBufferPointer<CountryDay>, border: BorderDay, flights: ArraySlice<FlightRecord>) {}
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: deportsim-benchmark SCENARIO [replications per thread] [generator]\n".utf8))
    exit(2)
}
let perThread = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
let generator = arguments.count > 3 ? RandomGeneratorKind(rawValue: arguments[3]) ?? .taus2 : .taus2
let loaded: LoadedScenario
do { loaded = try ScenarioLoader.load(file: arguments[1]) } catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8)); exit(2)
}
let scenario = loaded.scenario
let countryDays = Double(scenario.dayCount * scenario.parameters.countries.count)
let calendar = PeriodCalendar(kind: .month, start: scenario.start, end: scenario.end)
let layout = CellLayout(periods: calendar.periods, countryCodes: scenario.parameters.countries.map(\.code))
print("scenario \(scenario.name): \(scenario.parameters.countries.count) countries x \(scenario.dayCount) days x \(scenario.parameters.routes.count) routes; generator \(generator.rawValue); \(perThread) replications per thread")

func measure(threads: Int, record: Bool) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let sim = Simulator(scenario: scenario, generator: generator)
        for k in 0..<perThread {
            if record {
                var r = PeriodRecorder(layout: layout, calendar: calendar)
                sim.run(replication: t * perThread + k, observer: &r)
            } else {
                var d = Discard()
                sim.run(replication: t * perThread + k, observer: &d)
            }
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return countryDays * Double(threads * perThread) / seconds
}

// One unmeasured replication first: page faults, caches and clock ramp-up
// would otherwise fall on the first configuration measured.
_ = measure(threads: 1, record: false)

var single = 0.0
for threads in [1, 2] {
    for record in [false, true] {
        let rate = measure(threads: threads, record: record)
        if threads == 1 && !record { single = rate }
        let note = threads == 2 && !record ? String(format: "  (%.2fx one thread)", rate / single) : ""
        print(String(format: "%d thread%@, %@: %.3f million country-days/s%@", threads, threads == 1 ? "" : "s",
                     record ? "monthly recorder" : "model only      ", rate / 1e6, note))
    }
}
