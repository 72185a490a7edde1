import RedisClient
import Synchronization

/// Flags one test's threads share with each other and with the supervising thread.
final class BenchSignals: Sendable {
    /// Stop at once: a thread failed, and its result says why.
    let abort = Atomic<Bool>(false)
    /// Stop sending and finish what is in flight: the user interrupted.
    let drain = Atomic<Bool>(false)
}

/// What one thread publishes while it runs, for the progress line.
final class WorkerProgress: Sendable {
    let completed = Atomic<Int>(0)
    let finished = Atomic<Bool>(false)
}

/// What one thread measured in one test.
struct WorkerResult: Sendable {
    var histogram = LatencyHistogram()
    var outcomes = BenchOutcomes()
    var completed = 0
    /// When measuring began and when the last measured reply arrived (monotonic ns).
    var measureStart: UInt64 = 0
    var lastReply: UInt64 = 0
    var failure: RedisError?
}
