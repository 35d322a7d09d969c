import Dispatch
import Foundation

/// Why a simulation was not run: the server answers 503 with Retry-After.
struct Busy: Error, Sendable {
    var reason: String
}

/// Admits simulations: at most `workers` run at once, at most `queue` wait
/// for a worker, and one client (remote address) has at most `perClient`
/// running or waiting. Simulations run on their own threads, never on
/// the server's event loops, and a request gets its answer or 503 within
/// the time limit. A simulation whose request timed out still finishes
/// (within the replication and run-length caps) and holds its worker until
/// then, so the number of simulations in progress never exceeds the bound.
actor SimulationGate {
    let workers: Int
    let queueLimit: Int
    let perClient: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var perClientCount: [String: Int] = [:]
    private let threads = DispatchQueue(label: "deportsim.serve.simulations", attributes: .concurrent)

    init(workers: Int, queue: Int, perClient: Int) {
        self.workers = max(1, workers); queueLimit = max(0, queue); self.perClient = max(1, perClient)
    }

    /// For tests and the load test's figures.
    var inProgress: Int { running + waiting.count }

    private func enter(client: String) async throws {
        if perClientCount[client, default: 0] >= perClient {
            throw Busy(reason: "this client already has \(perClient == 1 ? "a simulation" : "\(perClient) simulations") in progress; try again when it is done")
        }
        if running >= workers && waiting.count >= queueLimit {
            throw Busy(reason: "all \(workers) workers are busy and \(waiting.count) requests wait; try again shortly")
        }
        perClientCount[client, default: 0] += 1
        if running < workers { running += 1; return }
        // The finishing simulation hands its worker straight to the first waiter.
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave(client: String) {
        let n = perClientCount[client, default: 1] - 1
        perClientCount[client] = n > 0 ? n : nil
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs `work` on a simulation thread once admitted; nil when the time
    /// limit (counted from `deadline`) passed first.
    nonisolated func run<T: Sendable>(client: String, deadline: Date, _ work: @escaping @Sendable () -> T) async throws -> T {
        try await enter(client: client)
        let remaining = deadline.timeIntervalSinceNow
        if remaining <= 0 {
            await leave(client: client)
            throw Busy(reason: "the request waited longer than the time limit for a worker; try again shortly")
        }
        let answer: T? = await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = ResumeOnce(continuation)
            threads.async {
                let value = work()
                once.resume(value)
                Task { await self.leave(client: client) }
            }
            threads.asyncAfter(deadline: .now() + remaining) { once.resume(nil) }
        }
        guard let answer else {
            throw Busy(reason: "the simulation did not finish within the time limit; ask for fewer replications")
        }
        return answer
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T?, Never>?
    init(_ c: CheckedContinuation<T?, Never>) { continuation = c }
    func resume(_ value: T?) {
        lock.lock(); let c = continuation; continuation = nil; lock.unlock()
        c?.resume(returning: value)
    }
}
