import Crypto
import DeportSimAnalysis
import DeportSimCore
import Foundation
import GSLSupport

/// A sweep checked and ready to run: every point's scenario is built before
/// anything is written, so a bad spec leaves no folder behind.
public struct SweepPlan: Sendable {
    public let loaded: LoadedScenario
    public let spec: SweepSpec
    public let shard: SweepShard
    /// The --out folder; a shard of several writes to its subfolder.
    public let root: String
    public let tasks: [SweepRunner.Task]
    public var folder: String { shard.count == 1 ? root : root + "/" + shard.folderName }
    public var runCount: Int { tasks.count * spec.replications }
    /// Names the sweep in journals and provenance; shards of one sweep share it.
    var identity: String {
        SHA256.hash(data: Data("scenario \(loaded.resolvedSHA256)\nspec \(spec.sha256)\nshard \(shard)\n".utf8)).hex
    }
}

/// Writes and resumes sweeps, and merges shards (README, "Sweeps").
public enum SweepFiles {
    public static let csvFiles = ["points.csv", "outcomes.csv", "outcomes_summary.csv"]
    static let summaryHeader = ["point", "outcome", "mean", "sd", "p05", "p50", "p95"]

    /// Builds and checks the scenario of each of this shard's points, over
    /// `jobs` threads (about 2 ms a point, so it matters for large designs).
    /// The first bad point in point order is reported, whatever the thread
    /// count. Each shard checks only its own points: a bad value at a point
    /// of another shard stops that shard, and merge then reports the gap.
    public static func plan(loaded: LoadedScenario, spec: SweepSpec, shard: SweepShard, root: String,
                            jobs: Int = 1) throws -> SweepPlan {
        let mine = spec.points.indices.filter(shard.contains)
        var tasks: [SweepRunner.Task] = []
        var firstError: Error?
        // The ordered runner hands the points back in point order, so the
        // first bad one is the same whatever the thread count.
        ReplicationRunner.run(indices: Array(mine), jobs: jobs, makeWorker: {},
                              work: { _, point in Result { try spec.scenario(point: point, base: loaded) } },
                              consume: { point, built in
                                  guard firstError == nil else { return }
                                  switch built {
                                  case .success(let scenario): tasks.append(SweepRunner.Task(point: point, scenario: scenario))
                                  case .failure(let error): firstError = error
                                  }
                              })
        if let firstError { throw firstError }
        return SweepPlan(loaded: loaded, spec: spec, shard: shard, root: root, tasks: tasks)
    }

    public enum Outcome: Sendable {
        /// The folder already holds this sweep's finished results.
        case alreadyComplete
        /// Points run now and points taken from the journal of an earlier, killed run.
        case finished(ran: Int, resumed: Int)
    }

    /// Runs the points of a plan that the folder's journal lacks, then
    /// writes the CSV files and sweep.json (last) under temporary names.
    /// With `replacing`, a finished sweep of another scenario, spec or shard
    /// in the folder is deleted first (`sweep --force`); the same sweep is
    /// still complete, and an unfinished one still resumes.
    public static func execute(_ plan: SweepPlan, jobs: Int, started: Date = Date(), replacing: Bool = false,
                               memoryBudgetBytes: Int = QuantileMethod.defaultMemoryBudgetBytes,
                               progress: (_ done: Int, _ total: Int) -> Void = { _, _ in },
                               sensitivity: (SweepSensitivityReport) -> Void = { _ in }) throws -> Outcome {
        let folder = plan.folder
        let metaPath = folder + "/sweep.json"
        if FileManager.default.fileExists(atPath: metaPath) {
            let meta = try readJSON(metaPath)
            if meta["sweep_id"] as? String == plan.identity {
                try? FileManager.default.removeItem(atPath: folder + "/.partial")
                return .alreadyComplete
            }
            guard replacing else {
                throw DeportSimError.badInput(SourceLocation(file: metaPath, line: 0, column: 0), "",
                                 "the folder already holds the finished results of another sweep (other scenario, spec or shard); "
                                 + "use --force to replace them, or another --out")
            }
            try removeFinishedSweep(folder)
        }
        try makeOutputFolder(folder)
        let journal = try SweepJournal(folder: folder, identity: plan.identity)
        removeStaleTemporaries(folder)

        let spec = plan.spec
        let todo = plan.tasks.filter { journal.records[$0.point] == nil }
        let resumed = plan.tasks.count - todo.count
        let outcomeSpecs = spec.outcomeSpecs(in: plan.loaded.scenario)
        let alreadyDone = resumed * spec.replications
        let method = QuantileMethod.choose(cells: spec.outcomes.count, replications: spec.replications, budgetBytes: memoryBudgetBytes)
        progress(alreadyDone, plan.runCount)
        try SweepRunner.run(tasks: todo, replications: spec.replications, seed: spec.seed, outcomes: outcomeSpecs,
                            generator: spec.generator, jobs: jobs,
                            progress: { progress(alreadyDone + $0, plan.runCount) },
                            pointDone: { point, values in
                                try journal.append(point: point, payload: payload(point: point, spec: spec, values: values, method: method))
                            })

        let records = plan.tasks.map { journal.records[$0.point]! }
        try writeCSVs(folder: folder, spec: spec, records: records)
        var meta = provenance(plan: plan, started: started, jobs: jobs, quantileMethod: method)
        meta["resumed_points"] = resumed
        if let settings = designSettings(spec.design) { meta["design_settings"] = settings }
        // A shard holds only some points; merge analyses the whole design.
        if plan.shard.count == 1, let report = try writeSensitivity(folder: folder, meta: meta, metaFile: metaPath) { sensitivity(report) }
        try AtomicFile.write(try jsonText(meta), to: metaPath)
        journal.remove()
        return .finished(ran: todo.count, resumed: resumed)
    }

    /// Deletes a finished sweep's files from `folder`, sweep.json last, so a
    /// folder killed halfway is no longer taken for a finished sweep.
    static func removeFinishedSweep(_ folder: String) throws {
        for name in csvFiles + sensitivityFiles + ["report.html", "sweep.json"] {
            let path = folder + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw DeportSimError.outputFailure(path: path, "cannot remove the other sweep's file (\(OutputPath.reason(error)))")
            }
        }
    }

    /// A point's lines of points.csv, outcomes.csv and outcomes_summary.csv,
    /// in that order (1 + replications + outcomes lines).
    static func payload(point: Int, spec: SweepSpec, values: [[Double]], method: QuantileMethod) -> String {
        var text = "\(point)," + spec.points[point].map(exactNumber).joined(separator: ",") + "\n"
        let summary = RunningSummary(cellCount: spec.outcomes.count, method: method, replications: values.count)
        for (r, row) in values.enumerated() {
            text += "\(point),\(r)," + row.map(formatNumber).joined(separator: ",") + "\n"
            for (i, x) in row.enumerated() { summary.add(x, cell: i) }
        }
        for (i, o) in spec.outcomes.enumerated() {
            let q = summary.quantiles(cell: i)
            text += "\(point),\(o.name)," + [summary.mean(cell: i), summary.sd(cell: i), q.p05, q.p50, q.p95]
                .map(formatNumber).joined(separator: ",") + "\n"
        }
        return text
    }

    static func headers(spec: SweepSpec) -> [String] {
        [csvLine(["point"] + spec.parameters.map(\.path)),
         csvLine(["point", "replication"] + spec.outcomes.map(\.name)),
         csvLine(summaryHeader)]
    }

    /// Writes the three CSV files from point payloads in point order.
    static func writeCSVs(folder: String, spec: SweepSpec, records: [String]) throws {
        let files = try csvFiles.map { try AtomicFile(folder + "/" + $0) }
        for (f, h) in zip(files, headers(spec: spec)) { f.write(h) }
        for record in records {
            let lines = record.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            files[0].write(lines[lines.startIndex] + "\n")
            for line in lines.dropFirst().prefix(spec.replications) { files[1].write(line + "\n") }
            for line in lines.dropFirst(1 + spec.replications) { files[2].write(line + "\n") }
        }
        for f in files { try f.commit() }
    }

    /// AtomicFile leaves `.NAME.tmp-PID` behind when its process is killed.
    static func removeStaleTemporaries(_ folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix(".") && name.range(of: #"\.tmp-[0-9]+$"#, options: .regularExpression) != nil {
            unlink(folder + "/" + name)
        }
    }

    static func provenance(plan: SweepPlan, started: Date, jobs: Int, quantileMethod: QuantileMethod) -> [String: Any] {
        let spec = plan.spec, loaded = plan.loaded
        let parameters: [[String: Any]] = spec.parameters.map { p in
            switch p.domain {
            case .values(let v): return ["path": p.path, "values": v]
            case .range(let lo, let hi, let whole): return ["path": p.path, "low": lo, "high": hi, "whole_numbers": whole]
            }
        }
        let outcomes: [[String: Any]] = spec.outcomes.map {
            ["name": $0.name, "metric": $0.metrics.map(\.name), "country": $0.country,
             "period": $0.period?.label ?? "run", "statistic": $0.statistic.rawValue]
        }
        var meta = Provenance.fields(loaded: loaded, seed: spec.seed, replications: spec.replications, generator: spec.generator,
                                     jobs: jobs, started: started, seconds: Date().timeIntervalSince(started),
                                     files: csvFiles + (spec.design.kind.isSensitivityDesign && plan.shard.count == 1 ? sensitivityFiles : []),
                                     quantileMethod: quantileMethod)
        let sweep: [String: Any] = [
            "sweep_id": plan.identity,
            "spec_file": spec.file, "spec_sha256": spec.sha256, "spec": spec.canonicalText.split(separator: "\n").map(String.init),
            "design": spec.design.kind.rawValue, "points_total": spec.points.count, "parameters": parameters, "outcomes": outcomes,
            "carry_into_events": spec.carryIntoEvents,
            // The report shows what the sweep asks, and says when the scenario's
            // description is a base's it inherits (an overlay that gives none).
            "sweep_description": spec.description,
            "scenario_description_file": loaded.tree["description"]?.location.file ?? "",
            "shard": ["index": plan.shard.index, "count": plan.shard.count], "points_in_shard": plan.tasks.map(\.point).count,
        ]
        meta.merge(sweep) { _, new in new }
        return meta
    }

    static func readJSON(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "", "cannot read this sweep.json (not a deportsim sweep file)")
        }
        return object
    }
}

// MARK: merge

extension SweepFiles {
    /// The shard folders named by the arguments of `deportsim merge`: a
    /// folder holding sweep.json, or a folder whose `shard-K-of-N`
    /// subfolders do.
    static func shardFolders(_ inputs: [String]) throws -> [String] {
        var folders: [String] = []
        for input in inputs {
            let loc = SourceLocation(file: input, line: 0, column: 0)
            // A folder of shards may also hold an earlier merge's sweep.json: its shards count.
            let subs = shardSubfolders(input)
            if subs.isEmpty, FileManager.default.fileExists(atPath: input + "/sweep.json") { folders.append(input); continue }
            if subs.isEmpty {
                throw DeportSimError.badInput(loc, "", FileManager.default.fileExists(atPath: input)
                                 ? "no sweep results here (no sweep.json and no shard-K-of-N folders)" : "no such folder")
            }
            for s in subs {
                let dir = input + "/" + s
                if !FileManager.default.fileExists(atPath: dir + "/sweep.json") {
                    throw DeportSimError.badInput(SourceLocation(file: dir, line: 0, column: 0), "",
                                     "shard not finished (no sweep.json): run its sweep command again to finish it, then merge")
                }
                folders.append(dir)
            }
        }
        return folders
    }

    static func shardSubfolders(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.range(of: #"^shard-[0-9]+-of-[0-9]+$"#, options: .regularExpression) != nil }
            .sorted { $0.split(separator: "-").compactMap { Int($0) }.lexicographicallyPrecedes($1.split(separator: "-").compactMap { Int($0) }) }
    }

    /// Combines shard outputs into the files a single run writes, byte for
    /// byte. Refuses shards of different scenarios or specs, a point in two
    /// shards, and a point in none. Returns the folder written and the point count.
    public static func merge(inputs: [String], out: String?, started: Date = Date(),
                             sensitivity: (SweepSensitivityReport) -> Void = { _ in }) throws -> (folder: String, points: Int, shards: [String]) {
        let folders = try shardFolders(inputs)
        let target: String
        if let out { target = out }
        else if inputs.count == 1, !shardSubfolders(inputs[0]).isEmpty { target = inputs[0] }
        else {
            throw DeportSimError.badInput(nil, "", "give --out DIR for the merged files (they go to the folder itself only when it is the one argument and holds shard-K-of-N folders)")
        }
        let standardTarget = URL(fileURLWithPath: target).standardizedFileURL.path
        if folders.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == standardTarget }) {
            throw DeportSimError.badInput(SourceLocation(file: target, line: 0, column: 0), "", "--out must not be one of the shard folders being merged")
        }

        let metas = try folders.map { try readJSON($0 + "/sweep.json") }
        let first = metas[0]
        for (dir, meta) in zip(folders, metas).dropFirst() {
            for (key, what) in [("resolved_scenario_sha256", "scenario"), ("spec_sha256", "sweep spec")]
            where (meta[key] as? String) != (first[key] as? String) {
                throw DeportSimError.badInput(SourceLocation(file: dir + "/sweep.json", line: 0, column: 0), key,
                                 "this shard comes from another \(what) than \(folders[0]) (\(meta[key] as? String ?? "none") vs \(first[key] as? String ?? "none")); all shards must come from the same scenario and spec")
            }
        }
        guard let total = first["points_total"] as? Int, let replications = first["replications"] as? Int,
              let outcomeCount = (first["outcomes"] as? [Any])?.count else {
            throw DeportSimError.badInput(SourceLocation(file: folders[0] + "/sweep.json", line: 0, column: 0), "", "points_total, replications or outcomes missing")
        }
        // Counts from a file sized what follows: checked like the flags that set them.
        if !(1...Limits.sweepPoints).contains(total) || !(1...Limits.replications).contains(replications) {
            throw DeportSimError.badInput(SourceLocation(file: folders[0] + "/sweep.json", line: 0, column: 0), "",
                                          "expected points_total from 1 to \(thousands(Double(Limits.sweepPoints))) and replications from 1 to "
                                          + "\(thousands(Double(Limits.replications))), found \(total) and \(replications)")
        }

        let fileBytes = folders.flatMap { dir in csvFiles.map { dir + "/" + $0 } }.reduce(0) { sum, path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return MemoryEstimate.sum([sum, size])
        }
        try MemoryCheck.require(MemoryEstimate(mergedFileBytes: fileBytes, points: total, replications: replications, outcomes: outcomeCount),
                                scenarioFile: folders[0] + "/sweep.json", what: "the merge", advice: MemoryCheck.mergeAdvice)
        // Every point's lines, and which folder gave them.
        var owner = [Int?](repeating: nil, count: total)
        var lines = [[Substring]](repeating: [], count: 3 * total)
        var headers: [String]? = nil
        for (k, dir) in folders.enumerated() {
            var theseHeaders: [String] = []
            for (f, name) in csvFiles.enumerated() {
                let path = dir + "/" + name
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "", "cannot read the file")
                }
                var rows = text.split(separator: "\n")
                theseHeaders.append(rows.isEmpty ? "" : String(rows.removeFirst()))
                for (i, row) in rows.enumerated() {
                    guard let p = Int(row.prefix { $0 != "," }), p >= 0, p < total else {
                        throw DeportSimError.badInput(SourceLocation(file: path, line: i + 2, column: 1), "point", "expected a point from 0 to \(total - 1)")
                    }
                    if f == 0 {
                        if let o = owner[p] {
                            throw DeportSimError.badInput(SourceLocation(file: path, line: i + 2, column: 1), "point",
                                             "point \(p) is in both \(folders[o]) and \(dir); give each shard once")
                        }
                        owner[p] = k
                    } else if owner[p] != k {
                        throw DeportSimError.badInput(SourceLocation(file: path, line: i + 2, column: 1), "point", "point \(p) is not in this shard's points.csv")
                    }
                    lines[3 * p + f].append(row)
                }
            }
            if let h = headers, h != theseHeaders {
                throw DeportSimError.badInput(SourceLocation(file: dir, line: 0, column: 0), "", "its CSV headers differ from \(folders[0])'s")
            }
            headers = theseHeaders
        }
        let missing = owner.indices.filter { owner[$0] == nil }
        if !missing.isEmpty {
            let shardCounts = Set(metas.compactMap { ($0["shard"] as? [String: Any])?["count"] as? Int })
            var hint = ""
            if shardCounts.count == 1, let n = shardCounts.first, n > 1 {
                let absent = Set(missing.map { $0 % n }).sorted().map { "\($0)/\(n)" }
                hint = "; missing shard\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", "))"
            }
            throw DeportSimError.badInput(nil, "", "\(missing.count) of \(total) points are in no shard given (points \(missing.prefix(10).map(String.init).joined(separator: ", "))\(missing.count > 10 ? ", ..." : ""))\(hint)")
        }
        for p in 0..<total where lines[3 * p].count != 1 || lines[3 * p + 1].count != replications || lines[3 * p + 2].count != outcomeCount {
            throw DeportSimError.badInput(SourceLocation(file: folders[owner[p]!], line: 0, column: 0), "", "point \(p) has incomplete rows")
        }

        try makeOutputFolder(target)
        for (f, name) in csvFiles.enumerated() {
            let file = try AtomicFile(target + "/" + name)
            file.write(headers![f] + "\n")
            for p in 0..<total { for line in lines[3 * p + f] { file.write(line + "\n") } }
            try file.commit()
        }
        var meta = first
        for key in ["shard", "points_in_shard", "resumed_points", "jobs", "wall_time_seconds", "start_time", "command_line"] {
            meta.removeValue(forKey: key)
        }
        meta["merged_from"] = zip(folders, metas).map { dir, m in ["folder": dir, "shard": m["shard"] ?? NSNull(), "sweep_id": m["sweep_id"] ?? NSNull()] }
        meta["sweep_id"] = "merged"
        meta["command_line"] = CommandLine.arguments
        meta["start_time"] = ISO8601DateFormatter().string(from: started)
        if let report = try writeSensitivity(folder: target, meta: meta, metaFile: folders[0] + "/sweep.json") {
            meta["files"] = csvFiles + sensitivityFiles
            sensitivity(report)
        }
        try AtomicFile.write(try jsonText(meta), to: target + "/sweep.json")
        return (target, total, folders)
    }
}
