#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution of one uncertain input (docs/model.md 8.7), with its
/// parameters checked by the loader.
public enum InputDistribution: Sendable, Equatable {
    case uniform(low: Double, high: Double)
    /// A uniform whole number in low...high, for whole-number keys.
    case uniformWhole(low: Int, high: Int)
    case normal(mean: Double, sd: Double)
    /// exp(N(ln median, sdLog^2)); `{p05, p95}` is converted by the loader.
    case lognormal(median: Double, sdLog: Double)
    case beta(mean: Double, sd: Double)
    case triangular(low: Double, mode: Double, high: Double)
    /// `values[i]` with probability weights[i] / sum(weights).
    case choice(values: [Double], weights: [Double])

    /// The 95th percentile of a standard normal, for `lognormal: {p05, p95}`.
    public static let normalQuantile95 = 1.6448536269514722

    /// The closed-form mean (docs/model.md 8.7).
    public var mean: Double {
        switch self {
        case .uniform(let a, let b): return (a + b) / 2
        case .uniformWhole(let a, let b): return Double(a + b) / 2
        case .normal(let m, _), .beta(let m, _): return m
        case .lognormal(let median, let s): return median * exp(s * s / 2)
        case .triangular(let a, let c, let b): return (a + b + c) / 3
        case .choice(let v, let w):
            let total = w.reduce(0, +)
            return zip(v, w).map { $0 * $1 }.reduce(0, +) / total
        }
    }

    /// The closed-form variance (docs/model.md 8.7).
    public var variance: Double {
        switch self {
        case .uniform(let a, let b): return (b - a) * (b - a) / 12
        case .uniformWhole(let a, let b): let n = Double(b - a + 1); return (n * n - 1) / 12
        case .normal(_, let sd), .beta(_, let sd): return sd * sd
        case .lognormal(let median, let s): return (exp(s * s) - 1) * median * median * exp(s * s)
        case .triangular(let a, let c, let b): return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case .choice(let v, let w):
            let total = w.reduce(0, +), m = mean
            return zip(v, w).map { ($0 - m) * ($0 - m) * $1 }.reduce(0, +) / total
        }
    }

    /// The smallest and largest values a draw can take (infinite when unbounded).
    public var support: (lower: Double, upper: Double) {
        switch self {
        case .uniform(let a, let b), .triangular(let a, _, let b): return (a, b)
        case .uniformWhole(let a, let b): return (Double(a), Double(b))
        case .normal: return (-.infinity, .infinity)
        case .lognormal: return (0, .infinity)
        case .beta: return (0, 1)
        case .choice(let v, let w):
            let used = zip(v, w).filter { $0.1 > 0 }.map(\.0)
            return (used.min() ?? 0, used.max() ?? 0)
        }
    }

    /// The two shape parameters of `gsl_ran_beta` with this mean and sd.
    public var betaShapes: (a: Double, b: Double)? {
        guard case .beta(let m, let sd) = self else { return nil }
        let k = m * (1 - m) / (sd * sd) - 1
        return (m * k, (1 - m) * k)
    }
}

/// What values a scenario key takes (section 8), for uncertain inputs.
public struct ValueDomain: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// In [0, 1]: probabilities and shares.
        case probability
        /// Above 0.
        case positive
        /// At or above 0.
        case nonNegative
        /// Any number within the bounds.
        case real
    }
    public var kind: Kind
    /// Bounds of 6.3 (or of the key), inclusive.
    public var lower: Double
    public var upper: Double
    /// Whether the key holds whole numbers (seats, beds, days).
    public var whole: Bool

    public static let probability = ValueDomain(kind: .probability, lower: 0, upper: 1, whole: false)
    public static func positive(max: Double = .infinity) -> ValueDomain { ValueDomain(kind: .positive, lower: 0, upper: max, whole: false) }
    public static func nonNegative(max: Double = .infinity) -> ValueDomain { ValueDomain(kind: .nonNegative, lower: 0, upper: max, whole: false) }
    public static func real(_ lower: Double, _ upper: Double) -> ValueDomain { ValueDomain(kind: .real, lower: lower, upper: upper, whole: false) }
    public static func whole(min: Int) -> ValueDomain { ValueDomain(kind: .nonNegative, lower: Double(min), upper: 9e15, whole: true) }

    /// Why `distribution` may not be used on a key of this domain, or nil.
    public func refusal(for distribution: InputDistribution) -> String? {
        if whole {
            switch distribution {
            case .uniformWhole: break
            case .choice(let values, _) where values.allSatisfy { $0 == $0.rounded() }: break
            case .choice: return "is a whole-number key: choice values must be whole numbers"
            case .uniform: return "is a whole-number key: give uniform whole-number bounds"
            default: return "is a whole-number key: use uniform with whole bounds or choice of whole values"
            }
        }
        let (lo, hi) = distribution.support
        switch (kind, distribution) {
        case (.probability, .normal), (.probability, .lognormal):
            return "is a probability or share in [0, 1], but a \(distribution.name) distribution can leave [0, 1]: use beta"
        case (.positive, .normal), (.nonNegative, .normal):
            return "must stay \(kind == .positive ? "above" : "at or above") 0, but a normal distribution can go below 0: use lognormal"
        case (.probability, .beta), (_, .lognormal), (.real, .normal):
            break
        default:
            let low = kind == .positive ? "above 0" : "at least \(lower.formatted)"
            if kind == .positive ? !(lo > 0) : !(lo >= lower) { return "takes values \(low), but the distribution reaches \(lo.formatted)" }
            if !(hi <= upper) { return "takes values up to \(upper.formatted), but the distribution reaches \(hi.formatted)" }
            return nil
        }
        // Unbounded supports: their centre must lie inside the bounds (draws beyond are clamped, 6.3).
        let centre: Double = if case .lognormal(let median, _) = distribution { median } else { distribution.mean }
        if !(centre >= lower && centre <= upper) {
            return "takes values from \(lower.formatted) to \(upper.formatted), but the distribution is centred at \(centre.formatted)"
        }
        return nil
    }

    /// A drawn value inside the bounds (6.3: normal and log-normal draws beyond a bound are clamped).
    public func clamped(_ x: Double) -> Double {
        let v = min(max(x, lower), upper)
        return whole ? v.rounded() : v
    }
}

extension InputDistribution {
    /// The distribution's name in the scenario format.
    public var name: String {
        switch self {
        case .uniform, .uniformWhole: "uniform"
        case .normal: "normal"
        case .lognormal: "lognormal"
        case .beta: "beta"
        case .triangular: "triangular"
        case .choice: "choice"
        }
    }
}

extension Double {
    /// Whole numbers without ".0", for messages.
    fileprivate var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

/// Sets one scenario value in a parameter set: resolved from a path once,
/// when the scenario is loaded, so a replication sets its drawn values
/// without reading the scenario again.
public struct ParameterSetter: Sendable {
    let set: @Sendable (inout ModelParameters, Double) -> Void
    public init(_ set: @escaping @Sendable (inout ModelParameters, Double) -> Void) { self.set = set }
    public func callAsFunction(_ p: inout ModelParameters, _ value: Double) { set(&p, value) }
}

/// A path that an uncertain input may set: its domain, its setter, and
/// what an event must set to override it.
public struct UncertainTarget: Sendable {
    public var path: String
    public var domain: ValueDomain
    public var setter: ParameterSetter
    /// The pathway set holding a share (`countries.CHN.pathways`), nil for other keys: only one share of a set may be uncertain.
    public var shareSet: String?
    /// An event overrides the drawn value when it sets this path (the share set for a pathway share).
    public var overridePath: String { shareSet ?? path }
    /// For the value an event sets (`events.<id>.set.<path>`): the event's
    /// date and the path it sets; the draw then replaces that value from
    /// the event's date, not the value in force at the start (docs/model.md 8.7).
    public var event: (date: CivilDate, path: String)?
    public init(path: String, domain: ValueDomain, setter: ParameterSetter, shareSet: String?,
                event: (date: CivilDate, path: String)? = nil) {
        self.path = path; self.domain = domain; self.setter = setter; self.shareSet = shareSet; self.event = event
    }
}

/// One uncertain input of the scenario's `uncertain:` mapping.
public struct UncertainInput: Sendable {
    public var target: UncertainTarget
    public var distribution: InputDistribution
    public init(target: UncertainTarget, distribution: InputDistribution) { self.target = target; self.distribution = distribution }
    public var path: String { target.path }
}

/// Parameter sets read from a file (`uncertain: { from: FILE }`), such as
/// the posterior sample `calibrate --posterior` writes.
public struct ParameterSample: Sendable {
    public var file: String
    public var sha256: String
    public var targets: [UncertainTarget]
    /// The file's `draw` of each row.
    public var draws: [Int]
    /// One value per target, per row.
    public var rows: [[Double]]
    /// Row weights when the file has a `weight` column: rows are then drawn
    /// with these probabilities; without, replication r takes row r mod N.
    public var weights: [Double]?
    public init(file: String, sha256: String, targets: [UncertainTarget], draws: [Int], rows: [[Double]], weights: [Double]?) {
        self.file = file; self.sha256 = sha256; self.targets = targets; self.draws = draws; self.rows = rows; self.weights = weights
    }
    public var rowRule: String { weights == nil ? "replication mod rows" : "weighted draw" }
}

/// A scenario's uncertain inputs: independent distributions, a sample
/// file, or both (docs/model.md 8.7).
public struct Uncertainty: Sendable {
    public var inputs: [UncertainInput]
    public var sample: ParameterSample?
    /// Per column (`columnPaths`), per entry of `Scenario.changes`: whether
    /// the drawn value is set in that snapshot too (false from the first
    /// event that sets the path).
    public var appliesToChange: [[Bool]]

    public init(inputs: [UncertainInput] = [], sample: ParameterSample? = nil, appliesToChange: [[Bool]] = []) {
        self.inputs = inputs; self.sample = sample; self.appliesToChange = appliesToChange
    }

    public var isEmpty: Bool { inputs.isEmpty && sample == nil }
    public var targets: [UncertainTarget] { inputs.map(\.target) + (sample?.targets ?? []) }
    /// The paths in column order: the mapping's, then the file's.
    public var columnPaths: [String] { targets.map(\.path) }

    /// Sets a replication's drawn values (in column order) in the values in
    /// force at the start and in each event snapshot the events leave them
    /// in; then keeps every encounter process within the peak bound of 6.3.
    public func apply(_ values: [Double], to parameters: inout ModelParameters, changes: inout [ModelParameters], years: Double) {
        for (j, target) in targets.enumerated() {
            if target.event == nil { target.setter(&parameters, values[j]) }
            for k in changes.indices where appliesToChange[j][k] { target.setter(&changes[k], values[j]) }
        }
        parameters.limitEncounterPeaks(years: years)
        for k in changes.indices { changes[k].limitEncounterPeaks(years: years) }
    }
}

/// Bounds of docs/model.md 6.3 that drawn values must keep.
public enum ModelBounds {
    /// The largest daily mean an encounter process may reach over the run.
    public static let maxMeanPerDay = 1e7
    /// The cap on a daily mean after the monthly shock (5.3.2).
    public static let maxShockedMeanPerDay = 1e8
}

extension EncounterProcess {
    /// Lowers `perDay` so that per_day x the largest seasonality factor x
    /// exp(max(0, trend) x years) stays at most 10^7 (6.3).
    mutating func limitPeak(years: Double) {
        let growth = (seasonality.max() ?? 1) * exp(max(0, trendPerYear) * years)
        if perDay * growth > ModelBounds.maxMeanPerDay { perDay = growth.isFinite ? ModelBounds.maxMeanPerDay / growth : 0 }
    }
}

extension ModelParameters {
    mutating func limitEncounterPeaks(years: Double) {
        for i in countries.indices { countries[i].encounters.limitPeak(years: years) }
        border.otherEncounters?.limitPeak(years: years)
    }
}
