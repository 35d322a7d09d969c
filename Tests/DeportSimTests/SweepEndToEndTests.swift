import Foundation
import Testing

/// The built `deportsim`, run as a user would.
enum DeportSimBinary {
    static var path: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path,
            Bundle.main.bundleURL.deletingLastPathComponent().path,
            SweepFixtures.root + "/.build/debug",
        ].map { $0 + "/deportsim" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLURM_") }.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    /// Starts the binary with SIGINT and SIGTERM at their default actions and
    /// unblocked (a test runner may hand its children SIGINT ignored, as
    /// shells do for background jobs, or blocked), its output to /dev/null.
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        // Test threads (libdispatch's) block signals, and a mask is inherited.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attr, argv, environ)
        if status != 0 { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let (p, out, err) = try start(arguments, environment: environment)
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite("Sweep end to end", .serialized)
final class SweepEndToEndTests {
    let scratch: String
    static let files = ["points.csv", "outcomes.csv", "outcomes_summary.csv"]

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("deportsim-sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        #expect(FileManager.default.isExecutableFile(atPath: DeportSimBinary.path), "build deportsim first: \(DeportSimBinary.path)")
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    func sweep(_ out: String, _ extra: [String] = [], env: [String: String] = [:]) throws -> DeportSimBinary.Result {
        try DeportSimBinary.run(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--out", out] + extra, environment: env)
    }

    func bytes(_ folder: String) -> [Data?] { Self.files.map { FileManager.default.contents(atPath: folder + "/" + $0) } }

    @Test func shardsMergeToTheSingleRunsBytes() throws {
        let single = scratch + "/single", sharded = scratch + "/sharded"
        let r = try sweep(single, ["--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(bytes(single).allSatisfy { $0 != nil })
        let header = try String(contentsOfFile: single + "/outcomes.csv", encoding: .utf8).split(separator: "\n")
        #expect(header.first == "point,replication,removals_may_jun,encounters_apr,peak_detained,exits")
        #expect(header.count == 1 + 12 * 3)
        // Shard 0 by flag, shards 1 and 2 as Slurm array tasks 1 and 2 of --array=1-3.
        #expect(try sweep(sharded, ["--shard", "0/3", "--jobs", "1"]).status == 0)
        for id in [2, 3] {
            let r = try sweep(sharded, [], env: ["SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: sharded + "/shard-2-of-3/sweep.json"))
        let m = try DeportSimBinary.run(["merge", sharded])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(bytes(sharded) == bytes(single))
        // A sweep of other shard counts merges to the same bytes too.
        let pair = scratch + "/pair"
        for k in 0..<2 { #expect(try sweep(pair, ["--shard", "\(k)/2"]).status == 0) }
        #expect(try DeportSimBinary.run(["merge", pair + "/shard-1-of-2", pair + "/shard-0-of-2", "--out", scratch + "/pair-merged"]).status == 0)
        #expect(bytes(scratch + "/pair-merged") == bytes(single))
    }

    @Test func mergeRefusesMissingDuplicateAndMismatchedShards() throws {
        let dir = scratch + "/shards"
        for k in 0..<3 { #expect(try sweep(dir, ["--shard", "\(k)/3"]).status == 0) }
        let missing = try DeportSimBinary.run(["merge", dir + "/shard-0-of-3", dir + "/shard-2-of-3", "--out", scratch + "/m1"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("4 of 12 points are in no shard given (points 1, 4, 7, 10); missing shard 1/3"), "\(missing.stderr)")
        let duplicate = try DeportSimBinary.run(["merge", dir, dir + "/shard-1-of-3", "--out", scratch + "/m2"])
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("point 1 is in both \(dir)/shard-1-of-3 and \(dir)/shard-1-of-3"), "\(duplicate.stderr)")
        let other = scratch + "/other"
        #expect(try sweep(other, ["--shard", "1/3", "--seed", "6"]).status == 0)
        let mismatch = try DeportSimBinary.run(["merge", dir + "/shard-0-of-3", other + "/shard-1-of-3", dir + "/shard-2-of-3", "--out", scratch + "/m3"])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("error: spec_sha256: this shard comes from another sweep spec"), "\(mismatch.stderr)")
        let unfinished = scratch + "/unfinished/shard-0-of-2"
        try FileManager.default.createDirectory(atPath: unfinished, withIntermediateDirectories: true)
        let partial = try DeportSimBinary.run(["merge", scratch + "/unfinished"])
        #expect(partial.status == 2 && partial.stderr.contains("shard not finished"), "\(partial.stderr)")
        for m in ["m1", "m2", "m3"] { #expect(!FileManager.default.fileExists(atPath: scratch + "/" + m)) }
    }

    /// Kills a sweep with SIGKILL and another with SIGINT mid-run, tears the
    /// journal's last record, and checks that the restarted sweep finishes
    /// with the bytes of an uninterrupted run.
    @Test func aKilledSweepResumesToTheSameBytes() throws {
        let extra = ["--points", "150", "--replications", "4", "--jobs", "1"]
        let reference = scratch + "/reference", resumed = scratch + "/resumed"
        #expect(try sweep(reference, extra + ["--jobs", "2"]).status == 0)
        let journal = resumed + "/.partial/journal"
        func recordCount() -> Int {
            (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n").filter { $0.hasPrefix("@ ") }.count ?? 0
        }
        var killedAt: [Int] = []
        for signal in [SIGKILL, SIGINT] {
            let pid = try DeportSimBinary.spawn(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--out", resumed] + extra)
            let before = recordCount()
            let deadline = Date().addingTimeInterval(60)
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 && recordCount() < before + 5 && Date() < deadline { usleep(2_000) }
            kill(pid, signal)
            waitpid(pid, &status, 0)
            // Killed by the signal: not exited normally.
            // Killed by the signal, or (SIGINT) exited 128 + 2 after removing its temporary files.
            let killed = status & 0x7f == signal || (signal == SIGINT && status & 0x7f == 0 && (status >> 8) & 0xff == 128 + SIGINT)
            #expect(killed, "the sweep ended before it could be killed (wait status \(status))")
            #expect(!FileManager.default.fileExists(atPath: resumed + "/sweep.json"))
            killedAt.append(recordCount())
        }
        #expect(killedAt[1] > killedAt[0], "the second run resumed and added points: \(killedAt)")
        // A torn record, as a kill in the middle of a write leaves it.
        let h = try #require(FileHandle(forWritingAtPath: journal))
        h.seekToEndOfFile()
        h.write(Data("@ 149 400 deadbeef\n149,3.5,".utf8))
        try h.close()
        let r = try DeportSimBinary.run(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--out", resumed] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(killedAt[1]) resumed from an earlier run"), "\(r.stdout)")
        #expect(bytes(resumed) == bytes(reference))
        #expect(!FileManager.default.fileExists(atPath: resumed + "/.partial"))
        let again = try DeportSimBinary.run(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--out", resumed] + extra)
        #expect(again.status == 0 && again.stdout.contains("already complete"), "\(again.stdout)")
    }

    @Test func aBadSpecExitsWithStatus2AndWritesNothing() throws {
        let out = scratch + "/bad"
        let r = try DeportSimBinary.run(["sweep", SweepFixtures.scenario, "--vary", "countries.VNM.court.order_rate=0.9..0.1", "--out", out])
        #expect(r.status == 2)
        #expect(r.stderr == "--vary countries.VNM.court.order_rate=0.9..0.1: error: parameters.countries.VNM.court.order_rate: expected LOW <= HIGH in LOW..HIGH, found '0.9..0.1' (LOW > HIGH)\n", "\(r.stderr)")
        let shard = try DeportSimBinary.run(["sweep", SweepFixtures.scenario, SweepFixtures.spec, "--shard", "3/3", "--out", out])
        #expect(shard.status == 2 && shard.stderr.contains("--shard expects K/N with 0 <= K < N"), "\(shard.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
