import DeportSimIO
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// A request's context: Hummingbird's, plus who sent it (for the per-client bound).
struct ExplorerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let client: String
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// `deportsim serve`: the explorer over HTTP. Every answer is made from the
/// scenario loaded at start; nothing is read from disk after that, and no
/// request names a file.
public struct ExplorerServer: Sendable {
    public let explorer: Explorer
    public let host: String
    public let port: Int
    let gate: SimulationGate
    /// The port actually bound (differs from `port` when that is 0).
    let boundPort = NIOLockedValueBox(0)

    public init(explorer: Explorer, host: String, port: Int) {
        self.explorer = explorer; self.host = host; self.port = port
        let l = explorer.limits
        gate = SimulationGate(workers: l.workers, queue: l.queue, perClient: l.perClient)
    }

    /// "127.0.0.1:8080", "[::1]:8080".
    static func authority(host: String, port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Host header values a browser sends for the bound address; anything
    /// else is a DNS-rebinding page or a proxy and is refused.
    func allowedAuthorities() -> Set<String> {
        let port = boundPort.withLockedValue { $0 }
        var hosts = [host]
        if host == "127.0.0.1" || host == "::1" { hosts += ["localhost", "127.0.0.1", "::1"] }
        return Set(hosts.map { Self.authority(host: $0, port: port) })
    }

    /// Runs until SIGINT or SIGTERM, then stops accepting, lets running
    /// requests finish and returns. `onRunning` gets the URL once bound.
    public func run(onRunning: @escaping @Sendable (String) -> Void) async throws {
        let router = Router(context: ExplorerContext.self)
        router.add(middleware: GuardMiddleware(server: self))
        addRoutes(router)
        var logger = Logger(label: "deportsim-serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? self.port
                self.boundPort.withLockedValue { $0 = port }
                onRunning("http://\(Self.authority(host: self.host, port: port))/")
            },
            logger: logger)
        try await app.runService()
    }

    // MARK: Routes

    func addRoutes(_ router: Router<ExplorerContext>) {
        let explorer = self.explorer
        router.get("/") { _, _ in
            Self.response(.ok, type: "text/html; charset=utf-8", ExplorerPage.html)
        }
        router.get("/api/controls") { _, _ in
            try Self.response(.ok, type: "application/json", String(decoding: explorer.controlsJSON(), as: UTF8.self))
        }
        router.post("/api/run") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: explorer.limits.maxBodyBytes)
            let parsed: ExplorerRequest
            do {
                parsed = try explorer.request(json: Data(body.readableBytesView))
            } catch let e as ExplorerInputError {
                return Self.inputError(e)
            }
            return try await self.simulate(client: context.client) {
                let variant = try explorer.variant(parsed)
                let started = Date()
                let result = explorer.difference(parsed, variant: variant)
                let json = try explorer.answerJSON(parsed, variant: variant, result: result, seconds: Date().timeIntervalSince(started))
                return Self.response(.ok, type: "application/json", String(decoding: json, as: UTF8.self))
            }
        }
        router.get("/api/overlay.yaml") { request, _ in
            do {
                let parsed = try explorer.request(query: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
                _ = try explorer.variant(parsed)
                return Self.response(.ok, type: "application/yaml; charset=utf-8", explorer.overlayYAML(parsed),
                                     download: "\(explorer.variantName).yaml")
            } catch let e as ExplorerInputError {
                return Self.inputError(e)
            }
        }
        router.get("/api/csv/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard file == "summary" || file == "difference" else {
                return Self.response(.notFound, type: "application/json", Self.errorJSON("no such download: \(file) (summary or difference)", path: ""))
            }
            let parsed: ExplorerRequest
            do {
                parsed = try explorer.request(query: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
            } catch let e as ExplorerInputError {
                return Self.inputError(e)
            }
            return try await self.simulate(client: context.client) {
                let variant = try explorer.variant(parsed)
                let text = file == "summary" ? explorer.summaryCSV(parsed, variant: variant)
                    : explorer.differenceCSV(explorer.difference(parsed, variant: variant))
                return Self.response(.ok, type: "text/csv; charset=utf-8", text, download: "\(file).csv")
            }
        }
    }

    /// Runs a simulation through the gate: 503 with Retry-After when busy
    /// or over time, 400 with the located message when the settings are bad.
    func simulate(client: String, _ work: @escaping @Sendable () throws -> Response) async throws -> Response {
        let deadline = Date().addingTimeInterval(explorer.limits.timeLimitSeconds)
        do {
            let outcome: Result<Response, ExplorerInputError> = try await gate.run(client: client, deadline: deadline) {
                do { return .success(try work()) } catch let e as ExplorerInputError { return .failure(e) } catch {
                    return .failure(ExplorerInputError(message: "error: \(error)", path: ""))
                }
            }
            switch outcome {
            case .success(let r): return r
            case .failure(let e): return Self.inputError(e)
            }
        } catch let busy as Busy {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.retryAfter] = "1"
            return Response(status: .serviceUnavailable, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: Self.errorJSON(busy.reason, path: ""))))
        }
    }

    // MARK: Responses

    static func response(_ status: HTTPResponse.Status, type: String, _ text: String, download: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        // The page and everything it needs are inline; it may talk only to this server.
        headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        if let download { headers[.contentDisposition] = "attachment; filename=\"\(download)\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func errorJSON(_ message: String, path: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: ["error": message, "path": path], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func inputError(_ e: ExplorerInputError) -> Response {
        response(.badRequest, type: "application/json", errorJSON(e.message, path: e.path))
    }
}

/// Refuses requests not addressed to the bound address (403: DNS
/// rebinding, other sites' pages) and answers errors as JSON.
struct GuardMiddleware: RouterMiddleware {
    typealias Context = ExplorerContext
    let server: ExplorerServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = server.allowedAuthorities()
        guard let authority = request.head.authority, allowed.contains(authority.lowercased()) else {
            return ExplorerServer.response(.forbidden, type: "application/json",
                                           ExplorerServer.errorJSON("refused: the Host header must name this server (\(allowed.sorted().joined(separator: ", ")))", path: ""))
        }
        if let origin = request.headers[.origin], !allowed.contains(where: { "http://\($0)" == origin.lowercased() }) {
            return ExplorerServer.response(.forbidden, type: "application/json",
                                           ExplorerServer.errorJSON("refused: requests from another origin (\(origin)) are not served", path: ""))
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.status == .contentTooLarge
                ? "request body larger than \(server.explorer.limits.maxBodyBytes) bytes (--max-body-bytes)" : (error.body ?? "\(error.status)")
            return ExplorerServer.response(error.status, type: "application/json", ExplorerServer.errorJSON(message, path: ""))
        }
    }
}
