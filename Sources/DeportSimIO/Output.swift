import DeportSimAnalysis
import DeportSimCore
import Foundation

/// A result file written under a temporary name in its folder and renamed
/// into place when complete, so a file that exists is whole.
public final class AtomicFile {
    public let finalPath: String
    public let temporaryPath: String
    private var handle: FileHandle?
    /// Written out in pieces of about 1 MiB.
    private var buffer: [UInt8] = []

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

    public func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count > 1 << 20 { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { handle?.write(Data($0)) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Moves the finished file into place. A result file (`isResult`) is
    /// removed again when the command then fails; a checkpoint is not.
    public func commit(isResult: Bool = true) throws {
        flush()
        try handle?.synchronize()
        try handle?.close()
        handle = nil
        defer { InterruptCleanup.shared.remove(temporaryFile: temporaryPath) }
        if rename(temporaryPath, finalPath) != 0 {
            let reason = errno == EISDIR ? "a folder of that name is in the way" : String(cString: strerror(errno)).lowercased()
            unlink(temporaryPath)
            throw DeportSimError.outputFailure(path: finalPath, "cannot put the finished file in place: \(reason)")
        }
        if isResult { InterruptCleanup.shared.add(committedFile: finalPath) }
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
    public static func write(_ text: String, to path: String, isResult: Bool = true) throws {
        let f = try AtomicFile(path)
        f.write(text)
        try f.commit(isResult: isResult)
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

    public static func summaryCSV(_ summary: RunSummary, threads: Int = 1) -> String {
        var out: [UInt8] = []
        writeSummary(summary, threads: threads) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Streams summary.csv in pieces of one period each (a large run has
    /// millions of rows), in order. Periods are formatted `4 x threads` at
    /// a time in parallel, so the bytes do not depend on `threads`.
    public static func writeSummary(_ summary: RunSummary, threads: Int = 1, to write: ([UInt8]) -> Void) {
        summary.statistics.finish(threads: threads)
        write(Array(csvLine(summaryHeader).utf8))
        let text = SummaryText(summary)
        let periods = summary.layout.periods.count
        let group = threads > 1 ? 4 * threads : 1
        var chunks = [[UInt8]](repeating: [], count: group)
        for start in stride(from: 0, to: periods, by: group) {
            let count = min(group, periods - start)
            if count == 1 {
                write(text.rows(period: start))
                continue
            }
            chunks.withUnsafeMutableBufferPointer { slots in
                let out = UncheckedSlots(slots)
                DispatchQueue.concurrentPerform(iterations: count) { i in out.slots[i] = text.rows(period: start + i) }
            }
            for i in 0..<count { write(chunks[i]) }
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

/// The rows of summary.csv, one period at a time; the texts that repeat
/// (dates, country codes, metric names) are made once.
private struct SummaryText: @unchecked Sendable {
    let summary: RunSummary
    let rowNames: [[UInt8]]
    let metricNames: [[UInt8]]
    let metricsOfRow: [[Metric]]

    init(_ summary: RunSummary) {
        self.summary = summary
        let layout = summary.layout
        rowNames = (0...layout.allRow).map { Array((layout.rowName($0) + ",").utf8) }
        metricNames = Metric.allCases.map { Array(($0.name + ",").utf8) }
        metricsOfRow = (0...layout.allRow).map { layout.metrics(row: $0) }
    }

    func rows(period p: Int) -> [UInt8] {
        let layout = summary.layout
        let statistics = summary.statistics
        let prefix = Array("\(layout.periods[p].start),\(layout.periods[p].end),".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((layout.periodStride) * 64)
        for r in 0...layout.allRow {
            for m in metricsOfRow[r] {
                let cell = layout.cell(period: p, row: r, metric: m)
                let q = statistics.quantiles(cell: cell)
                out.append(contentsOf: prefix)
                out.append(contentsOf: rowNames[r])
                out.append(contentsOf: metricNames[m.rawValue])
                appendNumber(statistics.mean(cell: cell), to: &out); out.append(0x2C)
                appendNumber(statistics.sd(cell: cell), to: &out); out.append(0x2C)
                appendNumber(q.p05, to: &out); out.append(0x2C)
                appendNumber(q.p50, to: &out); out.append(0x2C)
                appendNumber(q.p95, to: &out); out.append(0x0A)
            }
        }
        return out
    }
}

/// Slots that worker threads fill, each its own.
private struct UncheckedSlots<T>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<T>
    init(_ slots: UnsafeMutableBufferPointer<T>) { self.slots = slots }
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
let knownResultFiles = ["summary.csv", "summary_total.csv", "run.json", "replications.csv", "flights.csv", "restriction.csv",
                               "comparison.csv", "difference.csv", "difference_total.csv", "calibrated.yaml", "report.html"]

/// Removes result files an earlier command left in `folder` that this one
/// does not write, so a folder never mixes two runs.
package func removeStaleResults(in folder: String, keeping: [String]) {
    for name in knownResultFiles where !keeping.contains(name) {
        let path = (folder as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Ensures an output folder exists (creating parents). A part of the path
/// that is a file, not a folder, is bad input named in the analyst's words.
package func makeOutputFolder(_ path: String) throws {
    try OutputPath.checkFolder(path)
    if !FileManager.default.fileExists(atPath: path) { InterruptCleanup.shared.add(createdFolder: path) }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw DeportSimError.outputFailure(path: path, "cannot create the output folder (\(OutputPath.reason(error)))")
    }
}

/// Checks on output paths made before anything is written.
package enum OutputPath {
    /// Throws when `folder`, or a folder above it, exists as something other than a folder.
    package static func checkFolder(_ folder: String) throws {
        var prefix = URL(fileURLWithPath: folder).standardizedFileURL
        var below = ""
        while prefix.path != "/" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: prefix.path, isDirectory: &isFolder) {
                if isFolder.boolValue { return }
                let what = prefix.path == URL(fileURLWithPath: folder).standardizedFileURL.path ? "" : " (so it cannot hold \(below))"
                throw DeportSimError.outputFailure(path: folder, "cannot create the output folder: '\(prefix.path)' is a file, not a folder\(what)")
            }
            below = below.isEmpty ? prefix.lastPathComponent : prefix.lastPathComponent + "/" + below
            prefix = prefix.deletingLastPathComponent()
        }
    }

    /// Throws when the file `path` would replace a folder, or its folder is missing.
    package static func checkFile(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw DeportSimError.outputFailure(path: path, "cannot write the file: this is a folder; give a file name, such as \((path as NSString).appendingPathComponent("report.html"))")
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder) {
            throw DeportSimError.outputFailure(path: path, "cannot write the file: the folder '\(parent)' does not exist")
        }
        if !isFolder.boolValue { throw DeportSimError.outputFailure(path: path, "cannot write the file: '\(parent)' is a file, not a folder") }
    }

    /// The reason of a failed file operation in words, without Foundation's domain and code.
    package static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code))).lowercased()
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))).lowercased() }
        switch ns.code {
        case NSFileWriteNoPermissionError: return "no permission"
        case NSFileWriteOutOfSpaceError: return "the disk is full"
        default: return "the system refused it"
        }
    }
}
