import DeportSimCore
import Foundation
import GSLSupport

/// One parameter to fit: a path and its bounds.
public struct FitParameter: Sendable {
    public var path: String
    public var low: Double
    public var high: Double
    /// Whole numbers only (the scenario holds an integer there).
    public var integer: Bool

    public init(path: String, low: Double, high: Double, integer: Bool) {
        self.path = path; self.low = low; self.high = high; self.integer = integer
    }

    /// Bounds are kept by fitting u in (-inf, inf) with x = low + (high - low) / (1 + e^-u).
    public func value(_ u: Double) -> Double {
        let x = low + (high - low) / (1 + exp(-u))
        return integer ? x.rounded() : x
    }

    public func unconstrained(_ x: Double) -> Double {
        let t = min(max((x - low) / (high - low), 1e-6), 1 - 1e-6)
        return log(t / (1 - t))
    }

    /// Where the simplex starts: the scenario's value when it lies inside
    /// the bounds (not on them, where the bound map is flat), else the middle.
    public func start(from current: Double?) -> (u: Double, note: String?) {
        if let x = current, x > low, x < high { return (unconstrained(x), nil) }
        let middle = (low + high) / 2
        let found = current.map { formatNumber($0) } ?? "none"
        return (0, "\(path): the scenario's value (\(found)) is not inside \(formatNumber(low))..\(formatNumber(high)); starting from \(formatNumber(middle))")
    }
}

public enum Calibration {
    /// Weighted sum of squared relative errors of simulated means; a
    /// reported value below 1 in size is scaled by 1 instead (so a reported 0 counts absolute error).
    public static func loss(_ rows: [ComparisonRow]) -> Double {
        rows.reduce(0) { acc, r in
            let scale = max(abs(r.target.value), 1)
            let e = (r.mean - r.target.value) / scale
            return acc + r.target.weight * e * e
        }
    }

    /// The loss of one set of fitted values: the scenario built from them
    /// run with `options` and held against `targets`.
    public static func loss(values: [Double], targets: [Target], options: RunOptions,
                            scenario: ([Double]) throws -> Scenario) throws -> Double {
        loss(Comparison.run(try scenario(values), targets: targets, options: options).1)
    }

    /// Fits `parameters` with GSL's Nelder-Mead simplex (Nelder & Mead 1965,
    /// gsl_multimin_fminimizer_nmsimplex2), minimizing `loss(values:...)`.
    /// Every evaluation runs the same replications with the same seed
    /// (common random numbers), so the loss changes only through the values.
    ///
    /// - Parameters:
    ///   - start: where the simplex starts, in fitted u units (`FitParameter.start`).
    ///   - scenario: builds the scenario holding the given values (in scenario units).
    ///   - iteration: called after each iteration with its values in scenario units.
    /// - Throws: the last error of `scenario` when no evaluation gave a finite loss.
    public static func fit(_ parameters: [FitParameter], start: [Double], targets: [Target], options: RunOptions,
                           sizeTolerance: Double, maxIterations: Int,
                           scenario: ([Double]) throws -> Scenario,
                           iteration: (CalibrationIteration) -> Void = { _ in }) throws -> CalibrationFit {
        var evaluations = 0
        var lastError: Error?
        return try withoutActuallyEscaping(scenario) { scenario in
            let objective: ([Double]) -> Double = { u in
                evaluations += 1
                do {
                    return try loss(values: values(parameters, u), targets: targets, options: options, scenario: scenario)
                } catch {
                    lastError = error
                    return .infinity
                }
            }
            let fit = NelderMead.minimize(objective, start: start, steps: Array(repeating: 1, count: start.count),
                                          sizeTolerance: sizeTolerance, maxIterations: maxIterations) { it in
                iteration(CalibrationIteration(iteration: it.iteration, loss: it.value, simplexSize: it.size,
                                               values: values(parameters, it.x)))
            }
            if let lastError, !fit.value.isFinite || fit.value == .greatestFiniteMagnitude { throw lastError }
            return CalibrationFit(values: values(parameters, fit.x), loss: fit.value, iterations: fit.iterations,
                                  evaluations: evaluations, converged: fit.converged)
        }
    }

    /// Scenario values of a point in u units.
    static func values(_ parameters: [FitParameter], _ u: [Double]) -> [Double] { zip(parameters, u).map { $0.value($1) } }
}

/// One step of the simplex, as `calibrate` prints it.
public struct CalibrationIteration: Sendable {
    public let iteration: Int
    public let loss: Double
    /// GSL's simplex size: mean distance of the vertices to their centre, in u units.
    public let simplexSize: Double
    /// The best vertex, in scenario units.
    public let values: [Double]
}

/// The result of `Calibration.fit`.
public struct CalibrationFit: Sendable {
    /// Fitted values in scenario units, in the order of the parameters.
    public let values: [Double]
    public let loss: Double
    public let iterations: Int
    public let evaluations: Int
    /// False when it stopped at `maxIterations`.
    public let converged: Bool
}
