import DeportSimCore
import Foundation
import GSLSupport

/// The values one sweep parameter may take.
public enum SweepDomain: Sendable, Equatable {
    /// A list of values (grid and list designs; the other designs pick one
    /// of them with equal probability).
    case values([Double])
    /// The interval [low, high]; with `wholeNumbers` every whole number in
    /// low...high is equally likely (for keys such as `every_days`).
    case range(low: Double, high: Double, wholeNumbers: Bool)

    /// Maps a coordinate u in [0, 1) of the unit cube to a value.
    ///
    /// Lists and whole-number ranges cut [0, 1) into equal bins, one per
    /// value, so a Latin hypercube stays stratified over the values and the
    /// end values are as likely as the others (rounding low + u * (high -
    /// low) would give them half weight). Real ranges are rounded to six
    /// significant digits so that points.csv shows the exact value simulated.
    public func value(at u: Double) -> Double {
        switch self {
        case .values(let v):
            return v[min(Int(u * Double(v.count)), v.count - 1)]
        case .range(let low, let high, true):
            let span = high - low
            return low + min((u * (span + 1)).rounded(.down), span)
        case .range(let low, let high, false):
            return roundedToSignificantDigits(low + u * (high - low))
        }
    }
}

/// x with six significant digits (the text "%.6g" gives, read back).
func roundedToSignificantDigits(_ x: Double) -> Double {
    Double(String(format: "%.6g", x)) ?? x
}

/// One swept value: a scenario path and its domain.
public struct SweepParameter: Sendable, Equatable {
    public var path: String
    public var domain: SweepDomain
    public init(path: String, domain: SweepDomain) { self.path = path; self.domain = domain }
}

/// How the points of a sweep are chosen (docs/model.md, "Sweep spec").
public enum SweepDesignKind: String, CaseIterable, Sendable {
    /// Every combination of the listed values; the first parameter varies
    /// slowest, the last fastest (like nested loops in spec order).
    case grid
    /// Point i takes the i-th value of every parameter (the rows of a table).
    case list
    /// Independent uniform draws.
    case random
    /// McKay, Beckman & Conover (1979): each parameter's domain is cut into
    /// `points` equal strata and every stratum holds exactly one point.
    case latinHypercube = "latin_hypercube"
    /// GSL's Sobol sequence (`gsl_qrng_sobol`), from its first point (0.5, ..., 0.5).
    case sobol
    /// Saltelli's sample for Sobol indices (`SaltelliDesign`): `points` base
    /// rows, N (D + 2) points (N (2D + 2) with second order) in SALib's order.
    case saltelli
    /// Morris's elementary-effects trajectories (`MorrisDesign`): r (D + 1) points.
    case morris

    /// Whether the design needs `points` (grid and list derive the count;
    /// for saltelli it is the number of base rows N).
    public var takesPointCount: Bool { self == .random || self == .latinHypercube || self == .sobol || self == .saltelli }

    /// Whether a sweep of this design ends with a sensitivity analysis (sensitivity.csv).
    public var isSensitivityDesign: Bool { self == .saltelli || self == .morris }
}

/// A sweep design: the parameters and how their values are combined into
/// points. Pure: the same design gives the same points on any machine.
public struct SweepDesign: Sendable {
    public var kind: SweepDesignKind
    public var parameters: [SweepParameter]
    /// Points of random, latin_hypercube and sobol designs.
    public var pointCount: Int
    /// Seed of the random, latin_hypercube and morris draws and of the
    /// sensitivity analysis's bootstrap.
    public var seed: UInt64
    /// Saltelli: whether the BA points for second-order indices are included.
    public var secondOrder: Bool
    /// Morris: r, p and the optional M candidate trajectories.
    public var trajectories: Int
    public var levels: Int
    public var candidateTrajectories: Int?

    public init(kind: SweepDesignKind, parameters: [SweepParameter], pointCount: Int = 0, seed: UInt64 = 1,
                secondOrder: Bool = false, trajectories: Int = 0, levels: Int = 4, candidateTrajectories: Int? = nil) {
        self.kind = kind; self.parameters = parameters; self.pointCount = pointCount; self.seed = seed
        self.secondOrder = secondOrder; self.trajectories = trajectories; self.levels = levels
        self.candidateTrajectories = candidateTrajectories
    }

    /// The number of points the design yields, or `Int.max` when it is too
    /// large to count (a grid of 10 parameters x 100 values has 10^20): the
    /// spec reader refuses anything above its point limit, so no caller
    /// sees a wrapped or trapped product.
    public var count: Int {
        switch kind {
        case .grid: return parameters.reduce(1) { Self.product($0, $1.listValues.count) }
        case .list: return parameters.first?.listValues.count ?? 0
        case .random, .latinHypercube, .sobol: return pointCount
        case .saltelli:
            return Self.product(pointCount, Self.product(secondOrder ? 2 : 1, parameters.count) &+ 2)
        case .morris: return Self.product(trajectories, parameters.count &+ 1)
        }
    }

    /// a x b, saturating at `Int.max` instead of trapping.
    static func product(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : p
    }

    /// The saltelli design's sample (throws when its settings are out of range).
    public func saltelliDesign() throws -> SaltelliDesign {
        try SaltelliDesign(parameterCount: parameters.count, baseSamples: pointCount, secondOrder: secondOrder)
    }

    /// The morris design's trajectories (throws when its settings are out of range).
    public func morrisDesign() throws -> MorrisDesign {
        try MorrisDesign(parameterCount: parameters.count, trajectories: trajectories, levels: levels,
                         candidateTrajectories: candidateTrajectories, seed: seed)
    }

    /// A saltelli or morris design's points in the unit cube, the
    /// coordinates its analysis reads (nil for the other designs). points()
    /// maps them through each parameter's domain, so a whole-number or list
    /// parameter is simulated at the value of the bin its coordinate falls
    /// in while the analysis sees the coordinate.
    public func sensitivityUnitPoints() throws -> [[Double]]? {
        switch kind {
        case .saltelli: return try saltelliDesign().unitPoints()
        case .morris: return try morrisDesign().unitPoints()
        default: return nil
        }
    }

    /// The stream of the random and Latin hypercube draws, keyed
    /// "sweep-design" (Sensitivity.stream: seeded like the model's streams,
    /// so no model stream shares its sequence).
    public static func designStream(seed: UInt64) -> RandomStream {
        Sensitivity.stream(seed: seed, key: "sweep-design")
    }

    /// Morris levels that whole-number or list parameters cannot resolve:
    /// one message per parameter whose p levels 0, 1/(p-1), ..., 1 do not
    /// map to p equally spaced values (so some steps change the value less
    /// than others, or not at all: an elementary effect of 0). Empty for
    /// real ranges and for the other designs.
    public func morrisLevelWarnings() -> [String] {
        guard kind == .morris, levels >= 2 else { return [] }
        return parameters.compactMap { p in
            if case .range(_, _, false) = p.domain { return nil }
            let values = (0..<levels).map { p.domain.value(at: Double($0) / Double(levels - 1)) }
            let steps = zip(values.dropFirst(), values).map { $0 - $1 }
            guard let first = steps.first, steps.contains(where: { $0 != first }) else { return nil }
            let distinct = Set(values).count
            return "\(p.path): the \(levels) Morris levels map to \(values.map(formatNumber).joined(separator: ", "))"
                + (distinct < levels ? " (\(levels - distinct) repeated: steps between them have an elementary effect of 0)" : " (unequal steps)")
                + "; a whole-number range whose HIGH - LOW is a multiple of levels - 1 (\(levels - 1)), or a list of \(levels) values, maps them evenly"
        }
    }

    /// The points in design order: `points()[i][j]` is parameter j at point i.
    ///
    /// Draw order (part of the design's definition): random draws point by
    /// point, parameters in spec order; latin_hypercube draws, parameter by
    /// parameter, a Fisher-Yates permutation of the strata (i from n-1 down
    /// to 1, swap with a uniform index in 0...i) and then one uniform offset
    /// per point inside its stratum.
    public func points() -> [[Double]] {
        let d = parameters.count
        switch kind {
        case .grid:
            let lists = parameters.map(\.listValues)
            var out: [[Double]] = []
            out.reserveCapacity(count)
            for i in 0..<count {
                var rest = i
                var row = [Double](repeating: 0, count: d)
                for j in stride(from: d - 1, through: 0, by: -1) {
                    row[j] = lists[j][rest % lists[j].count]
                    rest /= lists[j].count
                }
                out.append(row)
            }
            return out
        case .list:
            let lists = parameters.map(\.listValues)
            return (0..<count).map { i in lists.map { $0[i] } }
        case .random:
            let rng = SweepDesign.designStream(seed: seed)
            return (0..<pointCount).map { _ in parameters.map { $0.domain.value(at: rng.uniform()) } }
        case .latinHypercube:
            let rng = SweepDesign.designStream(seed: seed)
            let n = pointCount
            var unit = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
            for j in 0..<d {
                var strata = Array(0..<n)
                for i in stride(from: n - 1, through: 1, by: -1) {
                    strata.swapAt(i, rng.uniformInt(below: i + 1))
                }
                for i in 0..<n { unit[i][j] = (Double(strata[i]) + rng.uniform()) / Double(n) }
            }
            return unit.map { u in zip(parameters, u).map { $0.domain.value(at: $1) } }
        case .sobol:
            guard let sequence = SobolSequence(dimension: d) else {
                preconditionFailure("Sobol dimension \(d) outside 1...\(SobolSequence.maxDimension); the spec check rejects it")
            }
            return (0..<pointCount).map { _ in zip(parameters, sequence.next()).map { $0.domain.value(at: $1) } }
        case .saltelli, .morris:
            guard let unit = try? sensitivityUnitPoints() else {
                preconditionFailure("\(kind.rawValue) settings out of range; the spec check rejects them")
            }
            return unit.map { u in zip(parameters, u).map { $0.domain.value(at: $1) } }
        }
    }
}

extension SweepParameter {
    /// The values of a list domain (a range has none).
    public var listValues: [Double] {
        if case .values(let v) = domain { return v }
        return []
    }
}

/// A deterministic slice of a sweep's points: shard K of N (0 <= K < N)
/// runs the points p with p mod N == K. Dealing points out in turn, rather
/// than in blocks, spreads slow regions of a design (a grid's last
/// parameter, say) over all shards.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    public init(index: Int, count: Int) { self.index = index; self.count = count }
    public static let whole = SweepShard(index: 0, count: 1)
    public func contains(point: Int) -> Bool { point % count == index }
    public var description: String { "\(index)/\(count)" }
    /// The subfolder a shard writes to (a whole sweep writes to the folder itself).
    public var folderName: String { "shard-\(index)-of-\(count)" }
}

/// Runs the replications of sweep points over worker threads.
public enum SweepRunner {
    /// One point to run: its index in the design and its scenario.
    public struct Task: Sendable {
        public var point: Int
        public var scenario: Scenario
        public init(point: Int, scenario: Scenario) { self.point = point; self.scenario = scenario }
    }

    /// Runs every (point, replication) of `tasks`, parallel over `jobs`
    /// threads. With many points (at least 4 per thread) a worker runs a
    /// point's replications together, so each point's simulator is set up
    /// once (set-up is a real share of a short point); with few, single
    /// replications are dealt out, so a sweep of few points still uses every
    /// core. Replication r of point p draws from the streams of (seed, p, r)
    /// (StreamSeed), so a point's values do not depend on which other points
    /// run, where, on how many threads, or on how they were dealt out.
    ///
    /// - Parameters:
    ///   - pointDone: called once per task, in task order, never
    ///     concurrently, with the outcome values of each replication in order.
    ///   - progress: replications finished so far (called in order too).
    public static func run(tasks: [Task], replications: Int, seed: UInt64?, outcomes: [OutcomeSpec],
                           generator: RandomGeneratorKind = .taus2, jobs: Int,
                           progress: (Int) -> Void = { _ in },
                           pointDone: (Int, [[Double]]) throws -> Void) throws {
        let total = tasks.count * replications
        guard total > 0 else { return }
        let block = tasks.count >= 4 * jobs ? replications : 1
        var rows: [[Double]] = []
        // After a throw from pointDone (a full disk, say) the replications
        // still claimed are skipped, not run, and their results dropped.
        var failure: Error? = nil
        let stop = StopFlag()
        ReplicationRunner.run(
            indices: 0..<(total / block), jobs: jobs,
            makeWorker: { SweepWorker(tasks: tasks, generator: generator) },
            work: { worker, b -> [[Double]]? in
                guard !stop.isSet else { return nil }
                return (b * block ..< (b + 1) * block).map { k in
                    var recorder = OutcomeRecorder(outcomes: outcomes)
                    let task = k / replications
                    worker.simulator(for: task).run(replication: k % replications, point: tasks[task].point, seed: seed,
                                                    observer: &recorder)
                    return recorder.values
                }
            },
            consume: { b, values in
                guard failure == nil, let values else { return }
                rows.append(contentsOf: values)
                let done = (b + 1) * block
                progress(done)
                guard done % replications == 0 else { return }
                do {
                    try pointDone(tasks[done / replications - 1].point, rows)
                } catch {
                    failure = error
                    stop.set()
                }
                rows.removeAll(keepingCapacity: true)
            })
        if let failure { throw failure }
    }
}

/// One worker thread's simulator, rebuilt when the worker moves on to the
/// next sweep point (a worker claims replications in order).
private final class SweepWorker {
    let tasks: [SweepRunner.Task]
    let generator: RandomGeneratorKind
    private var current: (task: Int, simulator: Simulator)?

    init(tasks: [SweepRunner.Task], generator: RandomGeneratorKind) { self.tasks = tasks; self.generator = generator }

    func simulator(for task: Int) -> Simulator {
        if let current, current.task == task { return current.simulator }
        let simulator = Simulator(scenario: tasks[task].scenario, generator: generator)
        current = (task, simulator)
        return simulator
    }
}

/// Set once by the consumer, read by every worker.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
