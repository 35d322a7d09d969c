import Foundation

/// Runs replications over worker threads and hands their outputs to a
/// consumer in replication order, so whatever the number of workers the
/// consumer sees the same sequence (and writes the same bytes).
///
/// At most `2 * jobs` finished replications wait for their turn, so memory
/// does not grow with the replication count.
public enum ReplicationRunner {
    /// - Parameters:
    ///   - indices: the replication indices to run, in output order: a range
    ///     (`0..<replications`) takes no memory whatever the count.
    ///   - work: runs one replication on a worker's own `Simulator`.
    ///   - consume: called once per replication, in order, never concurrently.
    public static func run<Output, Indices: RandomAccessCollection<Int> & Sendable>(
        scenario: Scenario, generator: RandomGeneratorKind = .taus2, indices: Indices, jobs: Int,
        work: @escaping @Sendable (Simulator, Int) -> Output,
        consume: (Int, Output) -> Void
    ) {
        run(indices: indices, jobs: jobs, makeWorker: { Simulator(scenario: scenario, generator: generator) },
            work: work, consume: consume)
    }

    /// The general form: each worker thread gets its own `makeWorker()`
    /// (e.g. one `Simulator` per scenario of a comparison).
    public static func run<Worker, Output, Indices: RandomAccessCollection<Int> & Sendable>(
        indices: Indices, jobs: Int,
        makeWorker: @escaping @Sendable () -> Worker,
        work: @escaping @Sendable (Worker, Int) -> Output,
        consume: (Int, Output) -> Void
    ) {
        let jobs = max(1, min(jobs, indices.count))
        if jobs == 1 {
            let worker = makeWorker()
            for i in indices { consume(i, work(worker, i)) }
            return
        }
        let state = OrderedHandOff<Output>(count: indices.count, window: 2 * jobs)
        @Sendable func index(_ k: Int) -> Int { indices[indices.index(indices.startIndex, offsetBy: k)] }
        withoutActuallyEscaping(consume) { consume in
            let box = UncheckedBox(consume)
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in
                let worker = makeWorker()
                while let k = state.claim() {
                    let output = work(worker, index(k))
                    state.deliver(k, output) { k, out in box.value(index(k), out) }
                }
            }
        }
    }
}

/// Hands items produced out of order to a consumer in order.
final class OrderedHandOff<Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private var nextClaim = 0
    private var nextDeliver = 0
    private var waiting: [Int: Output] = [:]
    private let count: Int
    private let window: Int

    init(count: Int, window: Int) { self.count = count; self.window = window }

    /// The next position to compute, or nil when all are claimed. Blocks
    /// while the position is too far ahead of the consumer.
    func claim() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while nextClaim < count && nextClaim >= nextDeliver + window { condition.wait() }
        guard nextClaim < count else { return nil }
        let k = nextClaim
        nextClaim += 1
        return k
    }

    /// Whether a thread is inside `consume` (it then also hands over what
    /// others deliver meanwhile).
    private var consuming = false

    /// The consumer runs outside the lock, so other workers claim and
    /// deliver while it summarises; one thread at a time consumes, in order.
    func deliver(_ k: Int, _ output: Output, to consume: (Int, Output) -> Void) {
        condition.lock(); defer { condition.unlock() }
        waiting[k] = output
        guard !consuming else { return }
        consuming = true
        while let out = waiting.removeValue(forKey: nextDeliver) {
            let position = nextDeliver
            condition.unlock()
            consume(position, out)
            condition.lock()
            nextDeliver += 1
            condition.broadcast()
        }
        consuming = false
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
