import DeportSimAnalysis
import DeportSimCore
import Foundation

/// A result file written under a temporary name in its folder and renamed
/// into place when complete, so a file that exists is whole.
public final class AtomicFile {
    public let finalPath: String
    public let temporaryPath: String
    private var handle: FileHandle?
    private var buffer = Data()

    public init(_ path: String) throws {
        finalPath = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        InterruptCleanup.shared.add(temporaryFile: temporaryPath)
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let h = FileHandle(forWritingAtPath: temporaryPath) else {
            InterruptCleanup.shared.remove(temporaryFile: temporaryPath)
            throw DeportSimError.outputFailure(path: path, "cannot write the file")
        }
        handle = h
    }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 20 { flush() }
    }

    private func flush() {
        handle?.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Moves the finished file into place.
    public func commit() throws {
        flush()
        try handle?.synchronize()
        try handle?.close()
        handle = nil
        defer { InterruptCleanup.shared.remove(temporaryFile: temporaryPath) }
        if rename(temporaryPath, finalPath) != 0 {
            throw DeportSimError.outputFailure(path: finalPath, "cannot move the finished file into place")
        }
    }

    /// Removes the temporary file of an unfinished write.
    public func discard() {
        try? handle?.close()
        handle = nil
        unlink(temporaryPath)
        InterruptCleanup.shared.remove(temporaryFile: temporaryPath)
    }

    deinit { if handle != nil { discard() } }

    /// Writes a whole file at once.
    public static func write(_ text: String, to path: String) throws {
        let f = try AtomicFile(path)
        f.write(text)
        try f.commit()
    }
}

/// One CSV row with RFC 4180 quoting: a field is quoted only when it holds a
/// comma, a quote or a line break, and its quotes are doubled. (Numbers and
/// dates never need it; this runs once per field of every result row, where
/// a Foundation-backed writer cost most of a large `diff`.)
package func csvLine(_ fields: [String]) -> String {
    var out = ""
    for (i, field) in fields.enumerated() {
        if i > 0 { out += "," }
        if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            out += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        } else {
            out += field
        }
    }
    return out + "\n"
}

public enum ResultWriter {
    public static let summaryHeader = ["period_start", "period_end", "country", "metric", "mean", "sd", "p05", "p50", "p95"]

    public static func summaryCSV(_ summary: RunSummary) -> String {
        var out = ""
        writeSummary(summary) { out += $0 }
        return out
    }

    /// Streams summary.csv in pieces (a large run has millions of rows).
    public static func writeSummary(_ summary: RunSummary, to write: (String) -> Void) {
        write(csvLine(summaryHeader))
        let layout = summary.layout
        for p in layout.periods.indices {
            let prefix = "\(layout.periods[p].start),\(layout.periods[p].end),"
            var chunk = ""
            for r in 0...layout.allRow {
                let rowPrefix = prefix + layout.rowName(r) + ","
                for m in layout.metrics(row: r) {
                    let x = summary.row(period: p, row: r, metric: m)
                    chunk += rowPrefix + m.name + "," + formatNumber(x.mean) + "," + formatNumber(x.sd) + ","
                        + formatNumber(x.p05) + "," + formatNumber(x.p50) + "," + formatNumber(x.p95) + "\n"
                }
            }
            write(chunk)
        }
    }

    /// `replication,period_start,period_end,country,<metric columns>`; ALL
    /// rows carry the border-wide columns, country rows leave them empty.
    public static func replicationsHeader(_ layout: CellLayout) -> String {
        csvLine(["replication", "period_start", "period_end", "country"] + layout.allMetrics.map(\.name))
    }

    public static func replicationRows(_ output: ReplicationOutput, layout: CellLayout) -> String {
        var out = ""
        for p in layout.periods.indices {
            let period = layout.periods[p]
            for r in 0...layout.allRow {
                out += "\(output.replication),\(period.start),\(period.end),\(layout.rowName(r))"
                for m in layout.allMetrics {
                    if r != layout.allRow && m.isBorderWide { out += ","; continue }
                    out += "," + formatNumber(output.values[layout.cell(period: p, row: r, metric: m)])
                }
                out += "\n"
            }
        }
        return out
    }

    /// `date,share_active`: for each day, the share of replications in
    /// which the border-wide restriction rule was active (reports shade by it).
    public static func restrictionCSV(_ share: [Double], scenario: Scenario) -> String {
        var out = csvLine(["date", "share_active"])
        for (d, x) in share.enumerated() { out += "\(scenario.date(ofDay: d)),\(formatNumber(x))\n" }
        return out
    }

    /// Writes restriction.csv into `folder` when the scenario has the rule;
    /// returns the names of the files written.
    public static func writeRestriction(_ result: RunResult, scenario: Scenario, folder: String) throws -> [String] {
        guard scenario.hasRestrictionRule else { return [] }
        try AtomicFile.write(restrictionCSV(result.restrictionShare, scenario: scenario), to: folder + "/restriction.csv")
        return ["restriction.csv"]
    }

    public static let flightsHeader = ["replication", "date", "route", "countries", "seats", "boarded", "status", "boarded_by_country"]

    public static func flightRows(_ output: ReplicationOutput, scenario: Scenario) -> String {
        var out = ""
        for f in output.flights {
            let route = scenario.parameters.routes[f.routeIndex]
            let codes = route.countryIndices.map { scenario.parameters.countries[$0].code }
            let by = zip(codes, f.boardedByCountry).map { "\($0)=\($1)" }.joined(separator: ";")
            out += "\(output.replication),\(scenario.date(ofDay: f.day)),\(route.id),\(codes.joined(separator: ";")),\(f.seats),\(f.boarded),\(f.status.rawValue),\(by)\n"
        }
        return out
    }
}

/// JSON with sorted keys and no escaped slashes, for provenance files.
func jsonText(_ object: Any) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
}

/// Turns a resolved scenario tree into JSON-ready values.
func jsonValue(_ node: TreeNode) -> Any {
    switch node.value {
    case .scalar(_, true): return NSNull()
    case .scalar(let s, false):
        if let i = Int(s) { return i }
        if let d = Double(s), d.isFinite, s.rangeOfCharacter(from: .letters) == nil { return d }
        return s
    case .mapping(let entries):
        var d: [String: Any] = [:]
        for e in entries { d[e.key] = jsonValue(e.value) }
        return d
    case .sequence(let items): return items.map(jsonValue)
    }
}

package let deportsimVersion = "0.1.0"

/// The result files DeportSim's commands write into a results folder.
let knownResultFiles = ["summary.csv", "run.json", "replications.csv", "flights.csv", "restriction.csv",
                               "comparison.csv", "difference.csv", "calibrated.yaml", "report.html"]

/// Removes result files an earlier command left in `folder` that this one
/// does not write, so a folder never mixes two runs.
package func removeStaleResults(in folder: String, keeping: [String]) {
    for name in knownResultFiles where !keeping.contains(name) {
        let path = (folder as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Ensures an output folder exists (creating parents).
package func makeOutputFolder(_ path: String) throws {
    if !FileManager.default.fileExists(atPath: path) { InterruptCleanup.shared.add(createdFolder: path) }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw DeportSimError.outputFailure(path: path, "cannot create the output folder: \(error.localizedDescription)")
    }
}
