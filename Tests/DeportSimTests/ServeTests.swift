import Foundation
import Testing
@testable import DeportSimIO
@testable import DeportSimServe

#if canImport(Glibc)
import Glibc
#endif

/// The explorer without HTTP: controls, request checks, common random numbers, the overlay.
@Suite struct ExplorerTests {
    let china = packageRoot.appendingPathComponent("Scenarios/china-2024.yaml").path

    func explorer() throws -> Explorer { try Explorer(baseline: try ScenarioLoader.load(file: china)) }

    @Test func defaultControlsAreThoseTheScenarioSets() throws {
        let loaded = try ScenarioLoader.load(file: china)
        let e = try Explorer(baseline: loaded)
        let paths = e.controls.map(\.path)
        // China's level is drawn from the posterior in every replication: a control would do nothing.
        #expect(loaded.scenario.drawsValue(at: "countries.CHN.encounters.border_patrol.per_day"))
        #expect(!paths.contains("countries.CHN.encounters.border_patrol.per_day"))
        #expect(paths.allSatisfy { !loaded.scenario.drawsValue(at: $0) })
        #expect(paths.contains("countries.CHN.travel_documents.mean_days"))
        #expect(paths.contains("border.other_encounters.border_patrol.per_day"))
        #expect(paths.contains("routes.china-charter.seats"))
        #expect(paths.contains("capacity.detention_beds"))
        #expect(paths.contains("border.restrictions.activate_at"))
        // The shipped scenario flies on dates, so there is no interval to change.
        #expect(!paths.contains("routes.china-charter.schedule.every_days"))
        let beds = try #require(e.controls.first { $0.path == "capacity.detention_beds" })
        #expect(beds.baseline == 941 && beds.step == 1 && beds.low <= 941 && beds.high >= 941)
        // An event sets cooperation on 2024-05-10: the control says so.
        let cooperation = try #require(e.controls.first { $0.path == "countries.CHN.travel_documents.cooperation" })
        #expect(cooperation.note.contains("2024-05-10"))
    }

    /// With Border Patrol and port streams (docs/model.md 5.3.1) each stream's
    /// level is a control, and the largest countries by their sum come first.
    @Test func twoStreamScenariosGetAControlPerStream() throws {
        let swb = try ScenarioLoader.load(file: packageRoot.appendingPathComponent("Scenarios/southwest-border-2024.yaml").path)
        let paths = try Explorer(baseline: swb).controls.map(\.path)
        #expect(paths.contains("countries.MEX.encounters.border_patrol.per_day"))
        #expect(paths.contains("countries.MEX.encounters.ports.per_day"))
        #expect(!paths.contains("countries.MEX.encounters.per_day"))
        let levels = paths.filter { $0.hasSuffix("border_patrol.per_day") }
        #expect(levels.first == "countries.MEX.encounters.border_patrol.per_day", "Mexico is the largest: \(levels)")
    }

    @Test func sweepSpecParametersBecomeControls() throws {
        let base = try ScenarioLoader.load(file: packageRoot.appendingPathComponent("Scenarios/sweeps/china-2024-charter-interval.yaml").path)
        let spec = try SweepSpecParser.load(file: packageRoot.appendingPathComponent("Scenarios/sweeps/china-charter.sweep.yaml").path,
                                            overrides: SweepOverrides(), scenario: base)
        let e = try Explorer(baseline: base, spec: spec)
        let every = try #require(e.controls.first { $0.path == "routes.china-charter.schedule.every_days" })
        #expect(every.low == 14 && every.high == 63 && every.step == 1)
        let wait = try #require(e.controls.first { $0.path == "countries.CHN.travel_documents.mean_days" })
        #expect(wait.low == 19 && wait.high == 76)
    }

    @Test func badValuesGetTheLocatedMessage() throws {
        let e = try explorer()
        let request = try e.request(settings: [("countries.CHN.travel_documents.cooperation", "1.5")], countries: "CHN", replications: "5")
        let error = try #require(throws: ExplorerInputError.self) { try e.variant(request) }
        #expect(error.message.hasPrefix("--set countries.CHN.travel_documents.cooperation=1.5: error:"))
        #expect(throws: ExplorerInputError.self) { try e.request(settings: [("end", "2030-01-01")], countries: nil, replications: nil) }
        #expect(throws: ExplorerInputError.self) { try e.request(settings: [], countries: "XXX", replications: nil) }
        #expect(throws: ExplorerInputError.self) { try e.request(settings: [], countries: nil, replications: "100000") }
        #expect(throws: ExplorerInputError.self) { try e.request(json: Data("[1]".utf8)) }
    }

    @Test func unchangedSettingsGiveZeroDifferences() throws {
        let e = try explorer()
        let request = try e.request(settings: [], countries: "CHN", replications: "4")
        let result = e.difference(request, variant: try e.variant(request))
        #expect(result.totalRows.allSatisfy { $0.differenceMean == 0 && $0.differenceP05 == 0 && $0.differenceP95 == 0 })
        let json = try JSONSerialization.jsonObject(with: try e.answerJSON(request, variant: try e.variant(request), result: result, seconds: 0)) as! [String: Any]
        let countries = json["countries"] as! [[String: Any]]
        // One modelled country: its charts only, no duplicate ALL section.
        #expect(countries.map { $0["code"] as! String } == ["CHN"])
        let charts = countries[0]["charts"] as! [[String: Any]]
        #expect(charts.count >= 7 && (charts[0]["levels_svg"] as! String).hasPrefix("<svg"))
    }

    @Test func overlayReproducesTheVariant() throws {
        let e = try explorer()
        let request = try e.request(settings: [("routes.china-charter.seats", "200"), ("capacity.detention_beds", "1500")],
                                    countries: nil, replications: "3")
        let folder = temporaryFolder("explorer-overlay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("overlay.yaml").path
        try e.overlayYAML(request).write(toFile: file, atomically: true, encoding: .utf8)
        let overlay = try ScenarioLoader.load(file: file)
        #expect(overlay.scenario.parameters.routes[0].seats == 200)
        #expect(overlay.scenario.parameters.capacity.detentionBeds == 1500)
        #expect(overlay.resolvedSHA256 == (try e.variant(request)).resolvedSHA256)
    }
}

/// The built `deportsim serve` over loopback: limits, refusals, a load test, shutdown.
@Suite(.serialized) struct ServeEndToEndTests {
    /// Starts the server on a free port; returns the process and its port.
    func start(_ extra: [String] = []) throws -> (Process, Int, URL) {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("deportsim")
        let p = Process()
        p.executableURL = FileManager.default.fileExists(atPath: exe.path) ? exe : packageRoot.appendingPathComponent(".build/debug/deportsim")
        p.arguments = ["serve", "Scenarios/china-2024.yaml", "--port", "0"] + extra
        p.currentDirectoryURL = packageRoot
        let out = Pipe()
        let errFile = temporaryFolder("serve-err").appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: errFile.path)
        try p.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let match = text.firstMatch(of: /^serving http:\/\/127\.0\.0\.1:(\d+)\/$/), let port = Int(match.1) else {
            p.terminate()
            throw ServeTestError(message: "first line was '\(text)'; stderr: \(String(decoding: FileManager.default.contents(atPath: errFile.path) ?? Data(), as: UTF8.self))")
        }
        return (p, port, errFile)
    }

    @Test func refusalsAndDownloads() throws {
        let (server, port, _) = try start()
        defer { server.terminate(); server.waitUntilExit() }
        let host = "127.0.0.1:\(port)"
        #expect(try http(port, "GET / HTTP/1.1\r\nHost: \(host)\r\n").status == 200)
        let page = try http(port, "GET / HTTP/1.1\r\nHost: \(host)\r\n").body
        #expect(page.contains("<script>") && !page.contains("src=\"http"))
        // DNS rebinding: another name for this address, or a page of another origin.
        #expect(try http(port, "GET / HTTP/1.1\r\nHost: attacker.example:\(port)\r\n").status == 403)
        #expect(try http(port, "GET /api/controls HTTP/1.1\r\nHost: \(host)\r\nOrigin: http://attacker.example\r\n").status == 403)
        // No files: a path outside the routes is 404, whatever it names.
        #expect(try http(port, "GET /../../etc/passwd HTTP/1.1\r\nHost: \(host)\r\n").status == 404)
        #expect(try http(port, "GET /Scenarios/china-2024.yaml HTTP/1.1\r\nHost: \(host)\r\n").status == 404)
        // Bodies are bounded.
        let big = "{\"settings\": {\"x\": \"" + String(repeating: "a", count: 70_000) + "\"}}"
        #expect(try http(port, "POST /api/run HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nContent-Length: \(big.utf8.count)\r\n", body: big).status == 413)
        // A bad value: 400 with the CLI's located message.
        let bad = "{\"settings\": {\"capacity.detention_beds\": -5}, \"replications\": 2}"
        let answer = try http(port, "POST /api/run HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nContent-Length: \(bad.utf8.count)\r\n", body: bad)
        #expect(answer.status == 400 && answer.body.contains("--set capacity.detention_beds=-5: error: capacity.detention_beds"))
        // A download runs a simulation: 503 (busy, or over the time limit on
        // a loaded machine) is the server's documented answer, so ask again.
        var csv = try http(port, "GET /api/csv/difference?capacity.detention_beds=1500&replications=2 HTTP/1.1\r\nHost: \(host)\r\n")
        for _ in 0..<20 where csv.status == 503 {
            Thread.sleep(forTimeInterval: 1)
            csv = try http(port, "GET /api/csv/difference?capacity.detention_beds=1500&replications=2 HTTP/1.1\r\nHost: \(host)\r\n")
        }
        #expect(csv.status == 200 && csv.body.contains("variant,period_start,period_end,country,metric"), "status \(csv.status): \(csv.body.prefix(300))")
        let overlay = try http(port, "GET /api/overlay.yaml?capacity.detention_beds=1500 HTTP/1.1\r\nHost: \(host)\r\n")
        #expect(overlay.status == 200 && overlay.body.contains("detention_beds: 1500"))
    }

    /// 50 clients at once, 2 requests each: every request is answered 200
    /// or refused 503, none is lost, and the server's memory stays bounded.
    @Test(.timeLimit(.minutes(3))) func fiftyConcurrentClients() throws {
        let (server, port, _) = try start(["--workers", "2", "--queue", "4", "--max-replications", "50"])
        defer { server.terminate(); server.waitUntilExit() }
        let body = "{\"settings\": {\"capacity.detention_beds\": 1200}, \"countries\": [\"CHN\"], \"replications\": 20}"
        let request = "POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        let codes = StatusList()
        var threads: [Thread] = []
        let group = DispatchGroup()
        for _ in 0..<50 {
            group.enter()
            let t = Thread {
                for _ in 0..<2 {
                    let code = (try? http(port, request, body: body).status) ?? -1
                    codes.append(code)
                }
                group.leave()
            }
            t.stackSize = 1 << 20
            threads.append(t)
        }
        threads.forEach { $0.start() }
        #expect(group.wait(timeout: .now() + 150) == .success)
        let all = codes.all
        #expect(all.count == 100)
        #expect(all.allSatisfy { $0 == 200 || $0 == 503 }, "statuses: \(Dictionary(grouping: all, by: { $0 }).mapValues(\.count))")
        #expect(all.contains(200) && all.contains(503))
        // Resident memory of the server after the burst (Linux /proc).
        if let status = try? String(contentsOfFile: "/proc/\(server.processIdentifier)/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
           let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
            #expect(kb < 400_000, "server RSS \(kb) kB")
        }
        // Still serving after the burst.
        #expect(try http(port, request, body: body).status == 200)
    }

    @Test func stopsGracefullyOnSIGTERM() throws {
        let (server, _, _) = try start()
        kill(server.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while server.isRunning && Date() < deadline { usleep(50_000) }
        #expect(!server.isRunning)
        if !server.isRunning { #expect(server.terminationStatus == 0) } else { server.terminate() }
    }
}

/// Statuses gathered from the client threads.
final class StatusList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int] = []
    func append(_ code: Int) { lock.lock(); list.append(code); lock.unlock() }
    var all: [Int] { lock.lock(); defer { lock.unlock() }; return list }
}

struct ServeTestError: Error, CustomStringConvertible { var message: String; var description: String { message } }

/// One HTTP/1.1 exchange over a fresh loopback connection (Connection:
/// close), so the test controls every header, Host included.
func http(_ port: Int, _ head: String, body: String = "") throws -> (status: Int, body: String) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServeTestError(message: "socket failed") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw ServeTestError(message: "connect failed") }
    let bytes = Array((head + "Connection: close\r\n\r\n" + body).utf8)
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { break }   // the server may answer 413 and close before reading it all
        sent += n
    }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let line = text.split(separator: "\r\n").first, let code = Int(line.split(separator: " ").dropFirst().first ?? "") else {
        throw ServeTestError(message: "no status line in '\(text.prefix(200))'")
    }
    let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (code, bodyText)
}
