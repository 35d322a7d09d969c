import Foundation
import Testing
@testable import DeportSimCore
@testable import DeportSimIO
import DeportSimAnalysis

/// Monthly means of an independent implementation of docs/model.md against
/// this simulator's summary.csv for the same scenario (any seed).
///
/// The reference file (`month,country,metric,mean,sd,n`, n = 20,000
/// replications) comes with the two scenarios in Tests/Fixtures/conformance.
/// For every (month, country, metric) cell in both files:
///
///     z = (mean_sim - mean_ref) / sqrt(sd_sim^2 / n_sim + sd_ref^2 / n_ref)
///
/// (z = 0 when both standard errors are 0 and the means agree to 1e-9,
/// infinite when they differ). Two implementations of the same model give
/// |z| mostly below 3; with several hundred cells a maximum of 3 to 4 is
/// normal (Welch's two-sample statistic, normal by the central limit
/// theorem at these sample sizes). The simulator does not conform when a
/// metric of the reference is missing from the summary, when any |z| > 5,
/// or when more than 1% of the cells have |z| > 3.5. Metrics only the
/// simulator has are ignored.
struct ConformanceCheck {
    struct Cell {
        var month: String, country: String, metric: String
        var z: Double, simulated: Double, reference: Double
    }

    let cells: [Cell]
    let missingMetrics: [String]

    static let maxAbsZ = 5.0
    static let farZ = 3.5
    static let farShareAllowed = 0.01

    init(expected: String, summary: String, replications: Int) throws {
        var reference: [String: (mean: Double, sd: Double, n: Double)] = [:]
        var order: [(key: String, month: String, country: String, metric: String)] = []
        for row in try Self.rows(expected, columns: ["month", "country", "metric", "mean", "sd", "n"]) {
            let key = row[0] + "," + row[1] + "," + row[2]
            if reference[key] == nil { order.append((key, row[0], row[1], row[2])) }
            reference[key] = (try Self.number(row[3]), try Self.number(row[4]), try Self.number(row[5]))
        }
        var simulated: [String: (mean: Double, sd: Double)] = [:]
        var simulatedMetrics = Set<String>()
        for row in try Self.rows(summary, columns: ["period_start", "country", "metric", "mean", "sd"]) {
            simulated[String(row[0].prefix(7)) + "," + row[1] + "," + row[2]] = (try Self.number(row[3]), try Self.number(row[4]))
            simulatedMetrics.insert(row[2])
        }
        missingMetrics = Set(order.map(\.metric)).subtracting(simulatedMetrics).sorted()
        let n = Double(replications)
        cells = order.compactMap { k in
            guard let sim = simulated[k.key], let ref = reference[k.key] else { return nil }
            let standardError = (sim.sd * sim.sd / n + ref.sd * ref.sd / ref.n).squareRoot()
            let z = standardError == 0 ? (abs(sim.mean - ref.mean) < 1e-9 ? 0 : .infinity)
                : (sim.mean - ref.mean) / standardError
            return Cell(month: k.month, country: k.country, metric: k.metric, z: z, simulated: sim.mean, reference: ref.mean)
        }.sorted { abs($0.z) > abs($1.z) }
    }

    var maxAbsZ: Double { cells.first.map { abs($0.z) } ?? 0 }
    var farCells: Int { cells.filter { abs($0.z) > Self.farZ }.count }

    var conforms: Bool {
        missingMetrics.isEmpty && !cells.isEmpty && maxAbsZ <= Self.maxAbsZ
            && Double(farCells) <= Self.farShareAllowed * Double(cells.count)
    }

    /// The verdict and the cells furthest off: consecutive months of one
    /// metric far off point at a semantic difference, not at noise.
    var report: String {
        var lines = ["\(cells.count) cells compared; max |z| \(String(format: "%.2f", maxAbsZ)); \(farCells) above \(Self.farZ)"]
        for c in cells.prefix(8) {
            let z = String(format: "%+7.2f", c.z)
            let cell = c.month + " " + padLeft(c.country, 4) + " " + pad(c.metric, 22)
            let values = "simulated " + String(format: "%12.2f", c.simulated) + "  reference " + String(format: "%12.2f", c.reference)
            lines.append("  z \(z)  \(cell) \(values)")
        }
        if !missingMetrics.isEmpty { lines.append("metrics missing from the summary: " + missingMetrics.joined(separator: ", ")) }
        lines.append(conforms ? "conforms" : "DOES NOT CONFORM")
        return lines.joined(separator: "\n")
    }

    /// The named columns of a header-first CSV whose fields hold no commas or quotes.
    static func rows(_ text: String, columns: [String]) throws -> [[String]] {
        let lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        let positions = try columns.map { name in
            guard let i = header.firstIndex(of: name) else { throw CheckError("no column \(name) in \(header)") }
            return i
        }
        return try lines.dropFirst().map { line in
            if line.contains("\"") { throw CheckError("quoted field in '\(line)'") }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else { throw CheckError("expected \(header.count) fields in '\(line)'") }
            return positions.map { fields[$0] }
        }
    }

    static func number(_ text: String) throws -> Double {
        guard let x = Double(text) else { throw CheckError("expected a number, found '\(text)'") }
        return x
    }

    struct CheckError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

@Suite("Conformance with the reference implementation")
struct ConformanceTests {
    static let replications = 2000

    @Test(arguments: ["conf-one", "conf-three"])
    func agreesWithTheReference(name: String) throws {
        let loaded = try ScenarioLoader.load(file: conformanceFolder.appendingPathComponent("\(name).yaml").path)
        let result = runScenario(loaded.scenario, options: RunOptions(replications: Self.replications, jobs: 2, period: .month))
        let expected = try String(contentsOf: conformanceFolder.appendingPathComponent("\(name).expected.csv"), encoding: .utf8)
        let check = try ConformanceCheck(expected: expected, summary: ResultWriter.summaryCSV(result.summary),
                                         replications: Self.replications)
        #expect(check.conforms, "\(name):\n\(check.report)")
        // Every month, country and metric of the reference was compared.
        #expect(check.cells.count == expected.split(whereSeparator: \.isNewline).count - 1)
    }

    /// The reference as a summary of its own: identical means conform; a
    /// metric moved by 6 of its standard errors, or left out, does not.
    @Test func checkRejectsAShiftedOrMissingMetric() throws {
        let expected = try String(contentsOf: conformanceFolder.appendingPathComponent("conf-three.expected.csv"), encoding: .utf8)
        let n = 20000
        func summary(shifting metric: String = "", by standardErrors: Double = 0, dropping dropped: String = "") throws -> String {
            var out = "period_start,period_end,country,metric,mean,sd,p05,p50,p95\n"
            for r in try ConformanceCheck.rows(expected, columns: ["month", "country", "metric", "mean", "sd"]) where r[2] != dropped {
                let mean = try ConformanceCheck.number(r[3]), sd = try ConformanceCheck.number(r[4])
                // Shifted by k standard errors of the difference (sd sqrt(2/n)).
                let shifted = r[2] == metric ? mean + standardErrors * sd * (2.0 / Double(n)).squareRoot() : mean
                out += "\(r[0])-01,\(r[0])-28,\(r[1]),\(r[2]),\(shifted),\(sd),0,0,0\n"
            }
            return out
        }
        let same = try ConformanceCheck(expected: expected, summary: try summary(), replications: n)
        #expect(same.conforms && same.maxAbsZ == 0, "\(same.report)")
        let shifted = try ConformanceCheck(expected: expected, summary: try summary(shifting: "book_ins", by: 6), replications: n)
        #expect(!shifted.conforms, "\(shifted.report)")
        #expect(shifted.cells.first?.metric == "book_ins")
        #expect(shifted.report.contains("book_ins"))
        let missing = try ConformanceCheck(expected: expected, summary: try summary(dropping: "relief"), replications: n)
        #expect(!missing.conforms && missing.missingMetrics == ["relief"], "\(missing.report)")
    }
}
