import DeportSimAnalysis
import DeportSimCore
import Foundation

/// What a run records of its uncertain inputs (docs/model.md 11):
/// `parameters.csv` and the `uncertain` entry of run.json.
public enum UncertaintyOutput {
    /// `replication,<path>...[,draw]`.
    public static func parametersHeader(_ u: Uncertainty) -> String {
        csvLine(["replication"] + u.columnPaths + (u.sample == nil ? [] : ["draw"]))
    }

    public static func parametersRow(_ output: ReplicationOutput, _ u: Uncertainty) -> String {
        guard let draw = output.uncertain else { return "" }
        let sampleDraw = draw.sampleRow.map { [String(u.sample!.draws[$0])] } ?? []
        return csvLine([String(output.replication)] + draw.values.map(formatNumber) + sampleDraw)
    }

    static func json(_ u: Uncertainty) -> [String: Any] {
        var object: [String: Any] = ["inputs": u.inputs.map { ["path": $0.path, "distribution": distribution($0.distribution)] }]
        if let s = u.sample {
            object["from"] = ["file": s.file, "sha256": s.sha256, "rows": s.rows.count, "paths": s.targets.map(\.path),
                              "rows_used_by": s.rowRule]
        }
        return object
    }

    /// A distribution as the scenario format writes it (log-normals by median and sd_log).
    static func distribution(_ d: InputDistribution) -> [String: Any] {
        switch d {
        case .uniform(let a, let b): return ["uniform": [a, b]]
        case .uniformWhole(let a, let b): return ["uniform": [a, b]]
        case .normal(let m, let sd): return ["normal": ["mean": m, "sd": sd]]
        case .lognormal(let median, let s): return ["lognormal": ["median": median, "sd_log": s]]
        case .beta(let m, let sd): return ["beta": ["mean": m, "sd": sd]]
        case .triangular(let a, let c, let b): return ["triangular": [a, c, b]]
        case .choice(let v, let w): return ["choice": ["values": v, "weights": w]]
        }
    }
}
