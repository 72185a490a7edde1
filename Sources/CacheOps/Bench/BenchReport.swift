/// What one test measured, all threads merged.
public struct BenchTestResult: Sendable, Equatable {
    public struct Outcome: Sendable, Equatable {
        public var name: String
        public var count: Int
    }

    public var test: BenchTest
    /// Requests (commands) answered while measuring.
    public var requests: Int
    /// From the start of measuring to the last reply, in nanoseconds.
    public var elapsedNs: UInt64
    public var latency: LatencyHistogram
    /// What the replies meant (hits and misses, locks acquired…), per workload.
    public var outcomes: [Outcome]
    /// Stopped early by SIGINT/SIGTERM: the figures cover what ran.
    public var interrupted: Bool

    public var requestsPerSecond: Double {
        elapsedNs == 0 ? 0 : Double(requests) / (Double(elapsedNs) / 1e9)
    }
}

/// A whole run: the plan as it ran and one result per test that ran.
public struct BenchReport: Sendable, Equatable {
    public var plan: BenchPlan
    public var results: [BenchTestResult]
    /// A signal stopped the run; later tests did not run.
    public var interrupted: Bool
}

/// Published while a test runs, for a progress line.
public struct BenchProgress: Sendable, Equatable {
    public var test: BenchTest
    /// Requests answered so far (all threads).
    public var completed: Int
    /// `-n`, or nil in duration mode.
    public var target: Int?
    /// Seconds since the test started (warm-up included).
    public var elapsedSeconds: Double
}
