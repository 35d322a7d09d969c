import DeportSimAnalysis
import DeportSimCore
import Foundation

/// The sensitivity analysis of a finished saltelli or morris sweep folder,
/// as `sweep`, `merge` and `sensitivity` write it.
public struct SweepSensitivityReport: Sendable {
    public var kind: SweepDesignKind
    /// Swept parameter paths, in spec order.
    public var parameters: [String]
    public var replications: Int
    public var results: [SweepSensitivity.OutcomeResult]
    /// The Morris step delta in the unit cube (nil for Sobol).
    public var morrisDelta: Double?
}

extension SweepFiles {
    public static let sensitivityFiles = ["sensitivity.csv", "replication_noise.csv"]

    /// What sweep.json records of a saltelli or morris design beyond the
    /// points, so the analysis can be recomputed from the folder alone.
    static func designSettings(_ design: SweepDesign) -> [String: Any]? {
        switch design.kind {
        case .saltelli: return ["base_samples": design.pointCount, "second_order": design.secondOrder]
        case .morris:
            return ["trajectories": design.trajectories, "levels": design.levels,
                    "candidates": design.candidateTrajectories.map { $0 as Any } ?? NSNull()]
        default: return nil
        }
    }

    /// The design a sweep.json describes (parameters, seed, settings).
    static func design(meta: [String: Any], file: String) throws -> SweepDesign {
        let loc = SourceLocation(file: file, line: 0, column: 0)
        func bad(_ key: String, _ what: String) -> DeportSimError {
            DeportSimError.badInput(loc, key, "\(what) (not a finished deportsim sweep folder, or made by another version)")
        }
        guard let kindText = meta["design"] as? String, let kind = SweepDesignKind(rawValue: kindText) else {
            throw bad("design", "no design named")
        }
        guard kind.isSensitivityDesign else {
            throw DeportSimError.badInput(loc, "design", "a \(kind.rawValue) sweep has no sensitivity analysis; run a saltelli or morris design")
        }
        guard let list = meta["parameters"] as? [[String: Any]], let seed = (meta["seed"] as? UInt64) ?? (meta["seed"] as? NSNumber)?.uint64Value,
              let settings = meta["design_settings"] as? [String: Any] else {
            throw bad("design_settings", "parameters, seed or design_settings missing")
        }
        let parameters: [SweepParameter] = try list.map { p in
            guard let path = p["path"] as? String else { throw bad("parameters", "a parameter without a path") }
            if let values = p["values"] as? [Double] { return SweepParameter(path: path, domain: .values(values)) }
            guard let low = p["low"] as? Double, let high = p["high"] as? Double else { throw bad("parameters", "\(path) has neither values nor low and high") }
            return SweepParameter(path: path, domain: .range(low: low, high: high, wholeNumbers: p["whole_numbers"] as? Bool ?? false))
        }
        var design = SweepDesign(kind: kind, parameters: parameters, seed: seed)
        if kind == .saltelli {
            guard let n = settings["base_samples"] as? Int else { throw bad("design_settings", "base_samples missing") }
            design.pointCount = n
            design.secondOrder = settings["second_order"] as? Bool ?? false
        } else {
            guard let r = settings["trajectories"] as? Int, let p = settings["levels"] as? Int else {
                throw bad("design_settings", "trajectories or levels missing")
            }
            design.trajectories = r; design.levels = p
            design.candidateTrajectories = settings["candidates"] as? Int
        }
        return design
    }

    /// Recomputes the sensitivity analysis of a finished (or merged) sweep folder and rewrites its files.
    public static func recomputeSensitivity(folder: String) throws -> SweepSensitivityReport {
        let metaPath = folder + "/sweep.json"
        guard FileManager.default.fileExists(atPath: metaPath) else {
            let sharded = !shardSubfolders(folder).isEmpty
            throw DeportSimError.badInput(SourceLocation(file: folder, line: 0, column: 0), "",
                                          sharded ? "a folder of shards: merge them first (deportsim merge \(folder))"
                                                  : "no sweep.json: not a finished sweep folder (run or resume its sweep first)")
        }
        let meta = try readJSON(metaPath)
        if let shard = meta["shard"] as? [String: Any], let count = shard["count"] as? Int, count > 1 {
            throw DeportSimError.badInput(SourceLocation(file: metaPath, line: 0, column: 0), "shard",
                                          "this folder holds one shard of \(count); merge the shards first and analyse the merged folder")
        }
        _ = try design(meta: meta, file: metaPath)  // says why a folder of another design has no analysis
        guard let report = try writeSensitivity(folder: folder, meta: meta, metaFile: metaPath) else {
            throw DeportSimError.badInput(SourceLocation(file: metaPath, line: 0, column: 0), "design", "not a saltelli or morris sweep")
        }
        return report
    }

    /// Computes the analysis of a saltelli or morris sweep from the
    /// folder's points.csv and outcomes.csv (so a single run, a merge of
    /// shards and a later `deportsim sensitivity` read the same numbers and
    /// write the same bytes) and writes sensitivity.csv and
    /// replication_noise.csv under temporary names. Nil for other designs.
    @discardableResult
    static func writeSensitivity(folder: String, meta: [String: Any], metaFile: String) throws -> SweepSensitivityReport? {
        guard let kindText = meta["design"] as? String, SweepDesignKind(rawValue: kindText)?.isSensitivityDesign == true else { return nil }
        let design = try design(meta: meta, file: metaFile)
        guard let replications = meta["replications"] as? Int, replications >= 1 else {
            throw DeportSimError.badInput(SourceLocation(file: metaFile, line: 0, column: 0), "replications", "missing")
        }
        try checkPoints(folder + "/points.csv", design: design)
        let (outcomes, values) = try readOutcomes(folder + "/outcomes.csv", points: design.count, replications: replications)
        let results: [SweepSensitivity.OutcomeResult]
        do {
            results = try SweepSensitivity.analyse(design: design, outcomes: outcomes, replications: replications, values: values)
        } catch let e as SensitivityError {
            throw DeportSimError.badInput(SourceLocation(file: metaFile, line: 0, column: 0), "", e.description)
        }
        let report = SweepSensitivityReport(kind: design.kind, parameters: design.parameters.map(\.path), replications: replications,
                                            results: results, morrisDelta: design.kind == .morris ? try design.morrisDesign().delta : nil)
        try AtomicFile.write(sensitivityCSV(report, secondOrder: design.secondOrder), to: folder + "/" + sensitivityFiles[0])
        try AtomicFile.write(noiseCSV(report), to: folder + "/" + sensitivityFiles[1])
        return report
    }

    /// points.csv must hold the design's points, in its order: the analysis
    /// reads each point's outputs by its position in the design.
    static func checkPoints(_ path: String, design: SweepDesign) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "", "cannot read the file")
        }
        let rows = text.split(separator: "\n")
        let expected = design.points()
        guard rows.count == expected.count + 1 else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "",
                                          "\(rows.count - 1) points; the \(design.kind.rawValue) design of sweep.json has \(expected.count)")
        }
        for (p, point) in expected.enumerated() where rows[p + 1] != "\(p)," + point.map(exactNumber).joined(separator: ",") {
            throw DeportSimError.badInput(SourceLocation(file: path, line: p + 2, column: 1), "point",
                                          "point \(p) differs from the \(design.kind.rawValue) design sweep.json describes; the file was changed")
        }
    }

    /// The outcome names and `values[point][replication][outcome]` of outcomes.csv.
    static func readOutcomes(_ path: String, points: Int, replications: Int) throws -> ([String], [[[Double]]]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "", "cannot read the file")
        }
        let rows = text.split(separator: "\n")
        guard let header = rows.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              header.count > 2, header[0] == "point", header[1] == "replication" else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 1, column: 1), "", "expected the header point,replication,<outcomes>")
        }
        guard rows.count == 1 + points * replications else {
            throw DeportSimError.badInput(SourceLocation(file: path, line: 0, column: 0), "",
                                          "\(rows.count - 1) rows; \(points) points x \(replications) replications need \(points * replications)")
        }
        var values = [[[Double]]](repeating: [], count: points)
        for (i, row) in rows.dropFirst().enumerated() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            let loc = SourceLocation(file: path, line: i + 2, column: 1)
            guard fields.count == header.count, Int(fields[0]) == i / replications, Int(fields[1]) == i % replications else {
                throw DeportSimError.badInput(loc, "", "expected point \(i / replications), replication \(i % replications) and \(header.count - 2) outcomes")
            }
            values[i / replications].append(try fields.dropFirst(2).map { field in
                switch field {
                case "NA": return .nan
                case "Inf": return .infinity
                case "-Inf": return -.infinity
                default:
                    guard let x = Double(field) else { throw DeportSimError.badInput(loc, "", "expected a number, found '\(field)'") }
                    return x
                }
            })
        }
        return (Array(header.dropFirst(2)), values)
    }

    /// sensitivity.csv: one row per outcome and parameter (README,
    /// "Sensitivity analysis"); with second order, pair rows follow.
    static func sensitivityCSV(_ report: SweepSensitivityReport, secondOrder: Bool) -> String {
        let sobolHeader = ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
        let header = report.kind == .morris ? ["outcome", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"]
            : sobolHeader + (secondOrder ? ["parameter_2", "S2", "S2_conf"] : [])
        var lines = [csvLine(header)]
        let na = "NA"
        for result in report.results {
            for (i, path) in report.parameters.enumerated() {
                var fields = [result.outcome, path]
                switch result.indices {
                case .sobol(let s): fields += [s.firstOrder[i], s.firstOrderConfidence[i], s.totalOrder[i], s.totalOrderConfidence[i]].map(formatNumber)
                case .morris(let m): fields += [m.mu[i], m.muStar[i], m.sigma[i], m.muStarConfidence[i]].map(formatNumber)
                case nil: fields += Array(repeating: na, count: 4)
                }
                if secondOrder { fields += ["", "", ""] }
                lines.append(csvLine(fields))
            }
            guard secondOrder else { continue }
            let d = report.parameters.count
            let pairs = (0..<d).flatMap { i in ((i + 1)..<max(i + 1, d)).map { (i, $0) } }
            for (k, (i, j)) in pairs.enumerated() {
                var fields = [result.outcome, report.parameters[i], "", "", "", "", report.parameters[j]]
                if case .sobol(let s) = result.indices {
                    fields += [formatNumber(s.secondOrder[k].value), formatNumber(s.secondOrder[k].confidenceHalfWidth)]
                } else {
                    fields += [na, na]
                }
                lines.append(csvLine(fields))
            }
        }
        return lines.joined()
    }

    /// replication_noise.csv: per outcome, the replication noise in the point means.
    static func noiseCSV(_ report: SweepSensitivityReport) -> String {
        var lines = [csvLine(["outcome", "replications", "mean_within_point_variance", "noise_variance_of_means",
                              "between_point_variance", "noise_share",
                              "replications_for_\(Int((100 * SweepSensitivity.noiseShareLimit).rounded()))_percent"])]
        for r in report.results {
            let n = r.noise
            let noise = n.meanWithinPointVariance.map { $0 / Double(n.replications) }
            lines.append(csvLine([r.outcome, String(n.replications), n.meanWithinPointVariance.map(formatNumber) ?? "NA",
                                  noise.map(formatNumber) ?? "NA", formatNumber(n.betweenPointVariance),
                                  n.share.map(formatNumber) ?? "NA", n.replicationsForLimit.map(String.init) ?? "NA"]))
        }
        return lines.joined()
    }
}
