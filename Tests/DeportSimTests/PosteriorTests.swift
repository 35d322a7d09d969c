import Foundation
import Testing
@testable import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimIO
import GSLSupport

@Suite("Forecast scores")
struct ForecastScoreTests {
    @Test func intervalScoreIsWidthPlusTwoOverAlphaTimesTheMiss() {
        // [10, 20], alpha 0.1: width 10; a miss of 5 costs 2/0.1 x 5 = 100.
        #expect(ForecastScore.intervalScore(low: 10, high: 20, observed: 15, alpha: 0.1) == 10)
        #expect(ForecastScore.intervalScore(low: 10, high: 20, observed: 25, alpha: 0.1) == 110)
        #expect(ForecastScore.intervalScore(low: 10, high: 20, observed: 5, alpha: 0.1) == 110)
        #expect(ForecastScore.intervalScore(low: 10, high: 20, observed: 20, alpha: 0.1) == 10)
    }

    @Test func crpsOfASampleByHand() {
        // Sample {1, 2, 3}, y = 2: mean |X - y| = 2/3; sum over the 9 pairs
        // |x_i - x_j| = 8, halved over 9: 4/9; CRPS = 2/9. The integral
        // of (F(x) - 1{x >= 2})^2 over the steps gives the same:
        // (1/3)^2 on [1, 2) + (2/3 - 1)^2 on [2, 3) = 2/9.
        #expect(abs(ForecastScore.crps(sample: [3, 1, 2], observed: 2) - 2.0 / 9) < 1e-15)
        // One value: the absolute error.
        #expect(ForecastScore.crps(sample: [5], observed: 2) == 3)
        // {0, 10}, y = 0: mean |X - y| = 5, pairs 20 / (2 x 4) = 2.5: 2.5.
        #expect(ForecastScore.crps(sample: [0, 10], observed: 0) == 2.5)
    }

    @Test func coverageAndQuantiles() {
        #expect(ForecastScore.coverage([true, false, true, true]) == 0.75)
        #expect(ForecastScore.coverage([]).isNaN)
        #expect(ForecastScore.inside(low: 1, high: 2, observed: 2) && !ForecastScore.inside(low: 1, high: 2, observed: 2.5))
        // Type 7 on 1...5: position p (n - 1).
        let q = ForecastQuantiles(sample: [5, 4, 3, 2, 1])
        #expect(q.mean == 3 && q.p25 == 2 && q.p75 == 4)
        #expect(abs(q.p05 - 1.2) < 1e-12 && abs(q.p95 - 4.8) < 1e-12)
    }
}

@Suite("Backtest rules")
struct BacktestRuleTests {
    func target(_ period: String, _ value: Double = 1, metric: Metric = .encounters) -> Target {
        Target(metrics: [metric], country: "AAA", period: NamedPeriod(period)!, value: value, source: "", tolerance: 0.1,
               weight: 1, location: SourceLocation(file: "t", line: 0, column: 0))
    }

    @Test func splitNeverHandsTheCalibrationATargetAfterTheOrigin() {
        let origin = CivilDate(iso: "2024-07-01")!
        let all = ["2024-05", "2024-06", "2024-06-30", "2024-06-15..2024-07-15", "2024-07", "2024-07-01", "2024", "2024-08..2024-09"]
            .compactMap { NamedPeriod($0) == nil ? nil : target($0) } + [target("2024-08-01..2024-09-30")]
        let (known, forecast) = Backtest.split(all, origin: origin)
        #expect(known.allSatisfy { $0.period.last < origin })
        #expect(forecast.allSatisfy { $0.period.first >= origin })
        #expect(known.map(\.period.label) == ["2024-05", "2024-06", "2024-06-30"])
        #expect(forecast.map(\.period.label) == ["2024-07", "2024-07-01", "2024-08-01..2024-09-30"])
    }

    @Test func horizonCountsTheOriginsMonthAsOne() {
        let origin = CivilDate(iso: "2024-07-01")!
        #expect(Backtest.horizonMonths(origin: origin, period: NamedPeriod("2024-07")!) == 1)
        #expect(Backtest.horizonMonths(origin: origin, period: NamedPeriod("2024-12")!) == 6)
        #expect(Backtest.horizonMonths(origin: origin, period: NamedPeriod("2025-01")!) == 7)
        #expect(Backtest.horizonMonths(origin: CivilDate(iso: "2024-07-15")!, period: NamedPeriod("2024-08")!) == 2)
    }

    @Test func naiveCarriesTheLatestValueOfTheSameKindForward() {
        let known = [target("2024-04", 40), target("2024-06", 60), target("2024-05", 50), target("2024-01-01..2024-03-31", 300),
                     target("2024-06", 7, metric: .removals)]
        #expect(Backtest.naive(for: target("2024-09", 1), known: known) == 60)
        // Ranges match on their length: Jan-Mar 2024 and Apr-Jun are 91 days, Jul-Sep 92.
        #expect(Backtest.naive(for: target("2024-04-01..2024-06-30", 1), known: known) == 300)
        #expect(Backtest.naive(for: target("2024-07-01..2024-09-30", 1), known: known) == nil)
        #expect(Backtest.naive(for: target("2024-06", 1, metric: .removals), known: known) == 7)
        #expect(Backtest.naive(for: target("2024-06-30"), known: known) == nil)
        let row = Backtest.Row(origin: CivilDate(iso: "2024-07-01")!, target: target("2024-09", 100), sample: [90, 110, 130], naive: 60)
        #expect(row.horizonMonths == 3)
        #expect(abs(row.absErrorRatio - 10.0 / 40) < 1e-12)
    }
}

@Suite("Posterior calibration", .serialized)
struct PosteriorCalibrationTests {
    static let fits = ["countries.AAA.encounters.per_day=5..60", "countries.AAA.encounters.trend_per_year=-2..2"]
    static let months = ["2024-01", "2024-02", "2024-03"]

    /// 20 trials: a true parameter set drawn from the uniform prior, monthly
    /// encounters made from the model's mean at it with the observation
    /// model's log-normal error (sigma = the tolerance, 0.1), then the
    /// posterior from them. Drawing the truth from the prior makes the
    /// Bayesian 90% interval a 90% confidence interval on average over
    /// trials, so each parameter's count of covering trials is
    /// Binomial(20, 0.9): mean 18, sd sqrt(20 x 0.9 x 0.1) = 1.34.
    /// Requiring >= 14 (3 sd below) fails a correct sampler with
    /// probability P(X <= 13) = 1.1%; one that returned only its best draw,
    /// or the prior's spread cut in half, falls far below it. The model's
    /// mean is the same CRN mean the likelihood uses, so model error plays no part.
    @Test func ninetyPercentIntervalsCoverTheTruthInAboutNineTrialsOfTen() throws {
        let loaded = try scenario(oneCountry(days: 91).replacingOccurrences(of: "encounters: { per_day: 20 }", with: "encounters: { per_day: 20, trend_per_year: 0 }"))
        let parameters = try Self.fits.map { try FitParameter.parse($0, tree: loaded.tree) }
        let options = RunOptions(replications: 1, jobs: 1, period: .total, seed: 7)
        let build: @Sendable ([Double]) throws -> Scenario = { values in
            try ScenarioLoader.build(tree: try Calibration.tree(loaded.tree, parameters, values), file: "t").scenario
        }
        let probes = Self.months.map { m in
            Target(metrics: [.encounters], country: "AAA", period: NamedPeriod(m)!, value: 1, source: "model", tolerance: 0.1,
                   weight: 1, location: SourceLocation(file: "t", line: 0, column: 0))
        }
        let truthStream = RandomStream(seed: 2024)
        var covered = [0, 0]
        var sdRatios = [0.0, 0.0]
        let trials = 20
        for trial in 0..<trials {
            let truth = parameters.map { p in p.low + truthStream.uniform() * (p.high - p.low) }
            let means = Comparison.run(try build(truth), targets: probes, options: options).1.map(\.mean)
            let targets = zip(probes, means).map { t, m in
                var t = t
                t.value = (1 + m) * exp(truthStream.gaussian(sd: 0.1)) - 1
                return t
            }
            var settings = PosteriorSettings(draws: 40, seed: UInt64(100 + trial), jobs: 2)
            settings.movesPerGeneration = 2
            let posterior = try PosteriorSampler.sample(parameters, settings: settings, logLikelihood: { values in
                guard let s = try? build(values) else { return -.infinity }
                return ObservationModel.logLikelihood(Comparison.run(s, targets: targets, options: options).1)
            })
            #expect(posterior.reachedObservationModel)
            let summary = PosteriorSummary(posterior)
            for (i, p) in summary.parameters.enumerated() {
                if p.p05 <= truth[i] && truth[i] <= p.p95 { covered[i] += 1 }
                sdRatios[i] += p.sdRatio / Double(trials)
            }
        }
        print("posterior coverage trials: \(covered) of \(trials), mean sd ratios \(sdRatios)")
        #expect(covered.allSatisfy { $0 >= 14 }, "trials covering the truth: \(covered) of \(trials)")
        // Three months at 10% pin the level (posterior sd a small share of the prior's).
        #expect(sdRatios[0] < 0.5, "mean sd ratio of the level \(sdRatios[0])")
    }

    @Test func theSamplerDoesNotDependOnTheNumberOfThreads() throws {
        let parameters = [FitParameter(path: "x", low: -5, high: 5, integer: false)]
        let ll: @Sendable ([Double]) -> Double = { v in -0.5 * (v[0] - 1) * (v[0] - 1) / 0.25 }
        let one = try PosteriorSampler.sample(parameters, settings: PosteriorSettings(draws: 200, seed: 3, jobs: 1), logLikelihood: ll)
        let two = try PosteriorSampler.sample(parameters, settings: PosteriorSettings(draws: 200, seed: 3, jobs: 2), logLikelihood: ll)
        #expect(one.draws == two.draws)
        // Normal(1, 0.5^2): 200 draws give the mean within 4 sd / sqrt(ESS); allow ESS ~ 50 for the duplicates.
        let s = PosteriorSummary(one).parameters[0]
        #expect(abs(s.mean - 1) < 4 * 0.5 / 50.0.squareRoot(), "mean \(s.mean)")
        #expect(abs(s.sd - 0.5) < 0.15, "sd \(s.sd)")
    }

    @Test func summaryFlagsUninformedAndTradingOffValues() throws {
        let parameters = [FitParameter(path: "a", low: 0, high: 1, integer: false), FitParameter(path: "b", low: 0, high: 1, integer: false),
                          FitParameter(path: "c", low: 0, high: 1, integer: false)]
        // a + b is pinned, not a or b; c is free.
        let ll: @Sendable ([Double]) -> Double = { v in -0.5 * pow((v[0] + v[1] - 1) / 0.02, 2) }
        let posterior = try PosteriorSampler.sample(parameters, settings: PosteriorSettings(draws: 300, seed: 11, jobs: 2), logLikelihood: ll)
        let summary = PosteriorSummary(posterior)
        #expect(!summary.parameters[2].informed, "c sd ratio \(summary.parameters[2].sdRatio)")
        #expect(summary.tradeOffs.contains { $0.0 == 0 && $0.1 == 1 && $0.2 < -0.8 }, "\(summary.correlation)")
        #expect(!summary.tradeOffs.contains { $0.1 == 2 })
    }
}

@Suite("Posterior checkpoints")
struct PosteriorCheckpointTests {
    static let parameters = [FitParameter(path: "a", low: -5, high: 5, integer: false), FitParameter(path: "b", low: 0, high: 10, integer: true)]
    /// A likelihood with a region the "scenario" rejects (-infinity), so checkpoints carry -infinity too.
    static let ll: @Sendable ([Double]) -> Double = { v in v[0] > 4 ? -.infinity : -0.5 * (pow((v[0] - 1) / 0.3, 2) + pow((v[1] - 6) / 2, 2)) }
    struct Stop: Error {}

    @Test func aStreamPutBackInItsStateRepeatsItsDraws() throws {
        for kind in GSLGeneratorType.allCases {
            let a = RandomStream(kind: kind, seed: 99)
            _ = (0..<17).map { _ in a.uniform() }
            let saved = a.savedState
            let next = (0..<50).map { _ in a.gaussian(sd: 1) + a.uniform() }
            let b = RandomStream(kind: kind, seed: 1)
            try b.restore(saved)
            #expect((0..<50).map { _ in b.gaussian(sd: 1) + b.uniform() } == next, "\(kind)")
        }
        #expect(throws: RandomStreamStateMismatch.self) { try RandomStream(kind: .taus2).restore(RandomStream(kind: .mt19937).savedState) }
    }

    /// A sampler stopped after generation 1 (its checkpoint callback throws),
    /// its checkpoint written and read back as the file holds it, then
    /// resumed, ends with the draws, records and counts of an uninterrupted
    /// run, bit for bit, and hands on the same checkpoints.
    @Test func aStoppedSamplerResumesToTheSameResult() throws {
        let settings = PosteriorSettings(draws: 60, seed: 8, jobs: 2)
        var straightStates: [PosteriorCheckpoint] = []
        let straight = try PosteriorSampler.sample(Self.parameters, settings: settings, logLikelihood: Self.ll,
                                                   checkpoint: { straightStates.append($0) })
        #expect(straight.generations.count >= 3 && straightStates.count == straight.generations.count + 1)
        #expect(straightStates.last!.finished && !straightStates.dropLast().contains(where: \.finished))
        #expect(straightStates[0].logLikelihoods.contains(-.infinity))

        var stoppedAt: PosteriorCheckpoint?
        #expect(throws: Stop.self) {
            _ = try PosteriorSampler.sample(Self.parameters, settings: settings, logLikelihood: Self.ll, checkpoint: { state in
                if state.generation == 1 { stoppedAt = state; throw Stop() }
            })
        }
        // Through the file's JSON: every double (and -infinity) comes back to the bit.
        let text = try PosteriorCheckpointFile.encoder.encode(try #require(stoppedAt))
        let saved = try PosteriorCheckpointFile.decoder.decode(PosteriorCheckpoint.self, from: text)
        #expect(saved == stoppedAt && saved == straightStates[1])
        #expect(saved.particles.flatMap { $0 }.map(\.bitPattern) == stoppedAt!.particles.flatMap { $0 }.map(\.bitPattern))

        var resumedStates: [PosteriorCheckpoint] = []
        let resumed = try PosteriorSampler.sample(Self.parameters, settings: settings, resumingFrom: saved, logLikelihood: Self.ll,
                                                  checkpoint: { resumedStates.append($0) })
        #expect(resumed.draws == straight.draws && resumed.logLikelihoods == straight.logLikelihoods)
        #expect(resumed.generations == straight.generations)
        #expect(resumed.evaluations == straight.evaluations && resumed.acceptanceRate == straight.acceptanceRate)
        #expect(resumedStates == Array(straightStates.dropFirst(2)))

        // A finished checkpoint gives the posterior without a single evaluation.
        let counter = Counter()
        let again = try PosteriorSampler.sample(Self.parameters, settings: settings, resumingFrom: straightStates.last!,
                                                logLikelihood: { v in counter.add(); return Self.ll(v) })
        #expect(again.draws == straight.draws && counter.value == 0)
    }

    @Test func aCheckpointThatDoesNotFitIsRefused() throws {
        var first: PosteriorCheckpoint?
        _ = try? PosteriorSampler.sample(Self.parameters, settings: PosteriorSettings(draws: 20, seed: 1, jobs: 1), logLikelihood: Self.ll,
                                         checkpoint: { first = $0; throw Stop() })
        let state = try #require(first)
        for (settings, message) in [(PosteriorSettings(draws: 30, seed: 1, jobs: 1), "20 particles"),
                                    (PosteriorSettings(draws: 20, seed: 1, jobs: 1), "unit coordinates")] {
            var bad = state
            if message == "unit coordinates" { bad.particles[3][1] = 1.5 }
            do {
                _ = try PosteriorSampler.sample(Self.parameters, settings: settings, resumingFrom: bad, logLikelihood: Self.ll)
                Issue.record("accepted a checkpoint that does not fit (\(message))")
            } catch let e as PosteriorError {
                #expect(e.description.contains(message), "\(e)")
            }
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }
}

@Suite("Backtest and calibrate commands", .serialized)
struct BacktestCommandTests {
    /// A tiny scenario file with monthly targets; `late` sets the reported
    /// values of the months from July on.
    func files(_ dir: URL, late: Double) throws -> (scenario: URL, targets: URL) {
        let s = dir.appendingPathComponent("tiny.yaml")
        try (oneCountry(days: 274) + "\nseed: 5\nreplications: 30\n").write(to: s, atomically: true, encoding: .utf8)
        let t = dir.appendingPathComponent("targets-\(late).yaml")
        let lines = (1...9).map { m -> String in
            let value = m >= 7 ? late : 620
            return "  - { metric: encounters, country: AAA, period: 2024-0\(m), value: \(value), source: test }"
        }
        try ("targets:\n" + lines.joined(separator: "\n") + "\n").write(to: t, atomically: true, encoding: .utf8)
        return (s, t)
    }

    func backtest(_ s: URL, _ t: URL, out: URL, origins: [String] = ["2024-07-01"]) throws -> (status: Int32, out: String, err: String) {
        try runTool(["backtest", s.path, "--targets", t.path, "--fit", "countries.AAA.encounters.per_day=5..60",
                     "--posterior", "20", "-r", "2", "--forecast-replications", "20", "--out", out.path] + origins.flatMap { ["--origin", $0] })
    }

    /// The forecasts (and the posterior) are the same whatever the months
    /// after the origin say: the calibration never reads them.
    @Test func backtestNeverUsesATargetAfterItsOrigin() throws {
        let dir = temporaryFolder()
        let a = try files(dir, late: 620), b = try files(dir, late: 99_999)
        let ra = try backtest(a.scenario, a.targets, out: dir.appendingPathComponent("a"))
        let rb = try backtest(b.scenario, b.targets, out: dir.appendingPathComponent("b"))
        #expect(ra.status == 0 && rb.status == 0, "\(ra.err)\(rb.err)")
        let pa = try String(contentsOf: dir.appendingPathComponent("a/posterior-2024-07-01.csv"), encoding: .utf8)
        let pb = try String(contentsOf: dir.appendingPathComponent("b/posterior-2024-07-01.csv"), encoding: .utf8)
        #expect(pa == pb)
        func forecasts(_ folder: String) throws -> [[String]] {
            let lines = try String(contentsOf: dir.appendingPathComponent(folder + "/backtest.csv"), encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(lines[0] == Backtest.header)
            return lines.dropFirst().map { Array($0[0..<5]) + Array($0[6..<11]) }   // all but reported and the scores
        }
        let fa = try forecasts("a"), fb = try forecasts("b")
        #expect(fa == fb && fa.count == 3)
        #expect(fa.map { $0[4] } == ["1", "2", "3"])
        let summary = try String(contentsOf: dir.appendingPathComponent("a/backtest_summary.csv"), encoding: .utf8)
        #expect(summary.hasPrefix(Backtest.summaryHeader.joined(separator: ",")) && summary.contains("\nall,3,"))
    }

    /// `calibrate --posterior` killed by SIGINT after a generation, then by
    /// SIGTERM after a later one, resumes from its checkpoint and ends with
    /// the files of an uninterrupted run (all but the dates and wall times
    /// they record); a checkpoint of another calibration is refused, naming
    /// what differs; the checkpoint is gone once the results are written.
    @Test func anInterruptedPosteriorCalibrationResumesToTheSameFiles() throws {
        let dir = temporaryFolder()
        let f = try files(dir, late: 620)
        func arguments(_ out: URL, _ extra: [String] = []) -> [String] {
            ["calibrate", f.scenario.path, "--targets", f.targets.path, "--fit", "countries.AAA.encounters.per_day=5..60",
             "--set", "countries.AAA.encounters.trend_per_year=0", "--fit", "countries.AAA.encounters.trend_per_year=-1..1",
             "--posterior", "60", "-r", "2", "--jobs", "1", "--out", out.path] + extra
        }
        let reference = dir.appendingPathComponent("reference"), resumed = dir.appendingPathComponent("resumed")
        let straight = try runTool(arguments(reference))
        #expect(straight.status == 0 || straight.status == 1, "\(straight.err)")
        let checkpoint = resumed.appendingPathComponent("posterior-checkpoint.json")
        func state() -> (generation: Int, finished: Bool)? {
            guard let data = FileManager.default.contents(atPath: checkpoint.path),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let s = json["state"] as? [String: Any], let g = s["generation"] as? Int, let done = s["finished"] as? Bool else { return nil }
            return (g, done)
        }
        var generations: [Int] = []
        for signal in [SIGINT, SIGTERM] {
            let before = state()?.generation ?? 0
            let pid = try DeportSimBinary.spawn(arguments(resumed))
            let deadline = Date().addingTimeInterval(300)
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 && (state()?.generation ?? 0) <= before && Date() < deadline { usleep(2_000) }
            kill(pid, signal)
            waitpid(pid, &status, 0)
            // Killed by the signal, or exited 128 + signal after its clean-up.
            let killed = status & 0x7f == signal || (status & 0x7f == 0 && (status >> 8) & 0xff == 128 + signal)
            #expect(killed, "the calibration ended before it could be killed (wait status \(status))")
            let now = try #require(state(), "no checkpoint after the kill")
            #expect(now.generation > before && !now.finished, "checkpoint \(now) after generation \(before)")
            generations.append(now.generation)
        }
        // Another seed: refused, the checkpoint kept.
        let other = try runTool(arguments(resumed, ["--seed", "6"]))
        #expect(other.status == 2, "\(other.out)\(other.err)")
        #expect(other.err.contains("posterior-checkpoint.json: error: this folder holds the checkpoint of another posterior calibration: "
                                   + "seed differs (checkpoint: 5; this command: 6); finish it with the command that made it"), "\(other.err)")
        #expect(other.err.contains("pass --fresh to start over"))
        #expect(state() != nil)

        let r = try runTool(arguments(resumed))
        #expect(r.status == straight.status, "\(r.err)")
        #expect(r.out.contains("resuming from generation \(generations[1]) (\(checkpoint.path))"), "\(r.out)")
        func generationLines(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.hasPrefix("generation ") } }
        #expect(generationLines(r.out) == generationLines(straight.out) && !generationLines(r.out).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: checkpoint.path))
        for name in ["posterior.csv", "posterior_summary.csv", "posterior_correlation.csv", "comparison.csv", "summary.csv"] {
            #expect(FileManager.default.contents(atPath: resumed.appendingPathComponent(name).path)
                    == FileManager.default.contents(atPath: reference.appendingPathComponent(name).path), "\(name)")
        }
        // The files that record when and how long: the same but for those lines.
        for (name, varying) in [("calibrated.yaml", "# Calibrated by"), ("posterior_diagnostics.json", "\"wall_time_seconds\"")] {
            func lines(_ folder: URL) throws -> [Substring] {
                try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").filter { !$0.contains(varying) }
            }
            #expect(try lines(resumed) == lines(reference), "\(name)")
        }
    }

    /// An unreadable checkpoint is refused (exit 2) unless --fresh, which starts over and leaves no checkpoint.
    @Test func freshStartsOverFromABrokenCheckpoint() throws {
        let dir = temporaryFolder()
        let f = try files(dir, late: 620)
        let out = dir.appendingPathComponent("cal")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let checkpoint = out.appendingPathComponent("posterior-checkpoint.json")
        try "{\"format\": \"deportsim posterior checkpoint v1\", \"state\": ".write(to: checkpoint, atomically: true, encoding: .utf8)
        let arguments = ["calibrate", f.scenario.path, "--targets", f.targets.path, "--fit", "countries.AAA.encounters.per_day=5..60",
                         "--posterior", "20", "-r", "2", "--out", out.path]
        let refused = try runTool(arguments)
        #expect(refused.status == 2 && refused.err.contains("cannot read this posterior checkpoint") && refused.err.contains("--fresh"), "\(refused.err)")
        #expect(FileManager.default.fileExists(atPath: checkpoint.path))
        let fresh = try runTool(arguments + ["--fresh"])
        #expect(fresh.status == 0 || fresh.status == 1, "\(fresh.err)")
        #expect(!fresh.out.contains("resuming") && !FileManager.default.fileExists(atPath: checkpoint.path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("posterior.csv").path))
    }

    @Test func badOriginsAreLocatedInputErrors() throws {
        let dir = temporaryFolder()
        let f = try files(dir, late: 620)
        for (origin, message) in [("2024-13-01", "expected a date"), ("2023-12-01", "after the run's first day"),
                                  ("2024-01-15", "no target's period ends before"), ("2024-09-15", "no target's period starts on or after")] {
            let r = try backtest(f.scenario, f.targets, out: dir.appendingPathComponent("x"), origins: [origin])
            #expect(r.status == 2, "\(origin): \(r.err)")
            #expect(r.err.contains("--origin \(origin)") && r.err.contains(message), "\(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }

    @Test func calibrateExitsWith1WhenItsComparisonFailsAndRecordsRoles() throws {
        let dir = temporaryFolder()
        let f = try files(dir, late: 620)
        // The check target (role: check) is far off: not fitted, so it fails.
        let t = dir.appendingPathComponent("roles.yaml")
        try """
        targets:
          - { metric: encounters, country: AAA, period: 2024-01, value: 620, source: test }
          - { metric: encounters, country: AAA, period: 2024-02, value: 580, source: test, role: fit }
          - { metric: encounters, country: AAA, period: 2024-03, value: 5000, source: test, role: check }
        """.write(to: t, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("cal")
        let r = try runTool(["calibrate", f.scenario.path, "--targets", t.path, "--fit", "countries.AAA.encounters.per_day=5..60",
                             "--posterior", "20", "-r", "2", "--out", out.path])
        #expect(r.status == 1, "\(r.out)\(r.err)")
        #expect(r.out.contains("fitted: 2 targets") && r.out.contains("check (not fitted): 1 target"))
        #expect(r.out.contains("90% intervals include: simulation noise + parameter uncertainty"))
        let csv = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0].hasSuffix(",pass,role,pass_by"))
        #expect(csv[1].hasSuffix(",fit,interval") || csv[1].hasSuffix(",fit,tolerance"))
        #expect(csv[3].hasSuffix(",false,check,"))
        let posterior = try String(contentsOf: out.appendingPathComponent("posterior.csv"), encoding: .utf8).split(separator: "\n")
        #expect(posterior[0] == "draw,countries.AAA.encounters.per_day,log_likelihood" && posterior.count == 21)
        // The overlay still loads from a copy of the folder elsewhere (absolute base path first).
        let moved = temporaryFolder().appendingPathComponent("moved")
        try FileManager.default.copyItem(at: out, to: moved)
        let check = try runTool(["check", moved.appendingPathComponent("calibrated.yaml").path])
        #expect(check.status == 0, "\(check.err)")
        let overlay = try String(contentsOf: moved.appendingPathComponent("calibrated.yaml"), encoding: .utf8)
        #expect(overlay.contains("uncertain: { from: \"posterior.csv\" }"))
        #expect(overlay.contains("Check targets, not fitted (role: check):"))
    }
}
