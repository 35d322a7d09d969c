import ArgumentParser
import DeportSimAnalysis
import DeportSimIO
import DeportSimServe
import Foundation

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "An interactive what-if explorer in the browser.",
        discussion: """
        Serves a page on which sliders change the scenario; each change runs \
        the baseline and the variant with common random numbers (as `diff`) \
        and redraws the charts and the whole-run difference table. The first \
        line on stdout is `serving http://HOST:PORT/`. Only the loaded \
        scenario is ever read; requests whose Host or Origin is not this \
        address are refused (403). Simulations are bounded: --workers run at \
        once, --queue wait, one per client; beyond, or past --time-limit, \
        503 with Retry-After. Ctrl-C or SIGTERM stops it gracefully.
        """)

    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String

    @Option(help: "A sweep spec whose `parameters` become the controls (default: encounter levels, documents, charters, beds, rule thresholds).")
    var controls: String?

    @Option(help: "Port (0: any free port; the first line says which).")
    var port: Int = 8080

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a value of the baseline (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: "Largest replications a request may ask for.")
    var maxReplications: Int = ExplorerLimits().maxReplications

    @Option(help: "Longest scenario, in days.")
    var maxDays: Int = ExplorerLimits().maxDays

    @Option(help: "Simulations running at once (default: the number of cores).")
    var workers: Int = ExplorerLimits().workers

    @Option(help: "Simulations waiting for a worker before 503.")
    var queue: Int = ExplorerLimits().queue

    @Option(help: "Simulations one client address may have in progress.")
    var perClient: Int = ExplorerLimits().perClient

    @Option(help: "Seconds a request may take before 503.")
    var timeLimit: Double = ExplorerLimits().timeLimitSeconds

    @Option(help: "Largest request body in bytes (beyond: 413).")
    var maxBodyBytes: Int = ExplorerLimits().maxBodyBytes

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535, found \(port)") }
        for (name, value) in [("--max-replications", maxReplications), ("--max-days", maxDays), ("--workers", workers),
                              ("--per-client", perClient), ("--max-body-bytes", maxBodyBytes)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, found \(value)")
        }
        if queue < 0 { throw ValidationError("--queue must be at least 0, found \(queue)") }
        if !(timeLimit > 0) { throw ValidationError("--time-limit must be more than 0 seconds, found \(timeLimit)") }
    }

    func run() throws {
        let loaded = try ScenarioLoader.load(file: scenario, overrides: overrides)
        let spec = try controls.map { try SweepSpecParser.load(file: $0, overrides: SweepOverrides(), scenario: loaded) }
        var limits = ExplorerLimits()
        limits.maxReplications = maxReplications; limits.defaultReplications = min(limits.defaultReplications, maxReplications)
        limits.maxDays = maxDays; limits.workers = workers; limits.queue = queue; limits.perClient = perClient
        limits.timeLimitSeconds = timeLimit; limits.maxBodyBytes = maxBodyBytes
        let server = ExplorerServer(explorer: try Explorer(baseline: loaded, spec: spec, limits: limits), host: host, port: port)
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task.detached {
            do {
                try await server.run { url in
                    FileHandle.standardOutput.write(Data("serving \(url)\n".utf8))
                }
            } catch {
                failure.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = failure.get() {
            throw DeportSimError.badInput(SourceLocation(file: "--host \(host) --port \(port)", line: 0, column: 0), "",
                                          "cannot serve: \(error)")
        }
        FileHandle.standardError.write(Data("stopped\n".utf8))
    }
}

/// Carries the server task's error to the waiting command.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func set(_ e: Error) { lock.lock(); error = e; lock.unlock() }
    func get() -> Error? { lock.lock(); defer { lock.unlock() }; return error }
}
