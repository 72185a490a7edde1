import RESP
import RedisClient

/// `cachectl bench`: the load generator. Opens `-c` connections, spreads them over
/// `--threads` event-loop threads, runs each test in turn on all of them, and returns
/// what was measured. Prints nothing: `observe` receives progress (and can ask for a
/// clean stop), and the caller renders the report.
public enum Bench {
    /// Runs every test of `plan`. `control` is an ordinary connection for set-up (loading
    /// the scripts); the load goes through `plan.clients` new connections made with
    /// `config`. `observe` is called on this thread about every 20 ms while a test runs;
    /// returning false stops sending, lets the requests in flight finish, and ends the
    /// run with the partial figures (SIGINT).
    public static func run(_ plan: BenchPlan, config: ConnectionConfig, control: RedisConnection,
                           observe: (BenchProgress) -> Bool) throws(RedisError) -> BenchReport {
        var scripts: [LuaScript] = []
        if plan.tests.contains(.lock) { scripts += LockWorkload.scripts }
        if plan.tests.contains(.ratelimit) { scripts += RateLimitWorkload.scripts }
        for script in scripts {
            // Loaded up front so that EVALSHA never meets NOSCRIPT in the middle of a run.
            try control.load(script)
        }

        var benchConfig = config
        benchConfig.clientName = "cachectl-bench"
        // Every connection goes where the control connection went: through Sentinel that
        // is the primary found once, not a new question to the sentinels per connection.
        benchConfig.endpoint = control.config.endpoint
        benchConfig.sentinel = nil
        var groups: [[PipelinedConnection]] = []
        for count in connectionsPerThread(plan) {
            var group: [PipelinedConnection] = []
            for _ in 0..<count {
                let connection = try PipelinedConnection.connect(benchConfig)
                connection.replyBudget = replyBudget(plan)
                group.append(connection)
            }
            groups.append(group)
        }

        var results: [BenchTestResult] = []
        for (number, test) in plan.tests.enumerated() {
            let result = try run(test, number: number, plan: plan, replyTimeout: config.replyTimeout,
                                 groups: &groups, observe: observe)
            results.append(result)
            if result.interrupted { return BenchReport(plan: plan, results: results, interrupted: true) }
        }
        return BenchReport(plan: plan, results: results, interrupted: false)
    }

    /// The largest reply a bench command can get is a GET of one `-d` value; the scripts
    /// answer a few integers. Anything bigger is a broken peer, not a measurement.
    static func replyBudget(_ plan: BenchPlan) -> RESPBudget {
        RESPBudget(maxBytes: max(64 << 10, plan.dataSize + 4096), maxElements: 64)
    }

    /// `-c` spread as evenly as possible over `--threads`.
    static func connectionsPerThread(_ plan: BenchPlan) -> [Int] {
        (0..<plan.threads).map { plan.clients / plan.threads + ($0 < plan.clients % plan.threads ? 1 : 0) }
    }

    /// `-n` split in proportion to each thread's connections, so every thread finishes at
    /// about the same time.
    static func requestShares(_ total: Int, connections: [Int]) -> [Int] {
        let all = connections.reduce(0, +)
        var shares = connections.map { total / all * $0 }
        var rest = total - shares.reduce(0, +)
        // The remainder goes one request at a time, round robin over threads with connections.
        var i = 0
        while rest > 0 {
            if connections[i] > 0 {
                shares[i] += 1
                rest -= 1
            }
            i = (i + 1) % connections.count
        }
        return shares
    }

    private static func run(_ test: BenchTest, number: Int, plan: BenchPlan, replyTimeout: Duration,
                            groups: inout [[PipelinedConnection]], observe: (BenchProgress) -> Bool) throws(RedisError) -> BenchTestResult {
        switch test {
        case .ping, .set, .get, .incr:
            return try execute(test, number: number, plan: plan, replyTimeout: replyTimeout, groups: &groups,
                               observe: observe) { _ in SingleCommandWorkload(test, plan: plan) }
        case .mixed:
            return try execute(test, number: number, plan: plan, replyTimeout: replyTimeout, groups: &groups,
                               observe: observe) { _ in MixedWorkload(plan: plan) }
        case .getorset:
            return try execute(test, number: number, plan: plan, replyTimeout: replyTimeout, groups: &groups,
                               observe: observe) { _ in GetOrSetWorkload(plan: plan) }
        case .lock:
            return try execute(test, number: number, plan: plan, replyTimeout: replyTimeout, groups: &groups,
                               observe: observe) { LockWorkload(plan: plan, thread: $0) }
        case .ratelimit:
            return try execute(test, number: number, plan: plan, replyTimeout: replyTimeout, groups: &groups,
                               observe: observe) { _ in RateLimitWorkload(plan: plan) }
        }
    }

    /// Runs one test on one thread per connection group and merges what they measured.
    private static func execute<W: BenchWorkload>(
        _ test: BenchTest, number: Int, plan: BenchPlan, replyTimeout: Duration,
        groups: inout [[PipelinedConnection]], observe: (BenchProgress) -> Bool, workload: (Int) -> W
    ) throws(RedisError) -> BenchTestResult {
        let signals = BenchSignals()
        let target: Int?
        let shares: [Int?]
        var durationNs: UInt64?
        switch plan.length {
        case .requests(let n):
            target = n
            shares = requestShares(n, connections: groups.map(\.count))
        case .duration(let d):
            target = nil
            shares = groups.map { _ in nil }
            durationNs = nanoseconds(d)
        }
        var handoffs: [WorkerHandoff<W>] = []
        var progress: [WorkerProgress] = []
        for (t, group) in groups.enumerated() {
            let limits = BenchWorker<W>.Limits(requests: shares[t], durationNs: durationNs,
                                                warmupNs: nanoseconds(plan.warmup), replyTimeoutNs: nanoseconds(replyTimeout))
            let p = WorkerProgress()
            let seed = 0x5EED_0000 &+ UInt64(number) << 32 &+ UInt64(t)
            handoffs.append(WorkerHandoff(BenchWorker(index: t, connections: group, workload: workload(t),
                                                      pipeline: plan.pipeline, limits: limits, signals: signals,
                                                      progress: p, seed: seed)))
            progress.append(p)
        }
        groups = []
        var threads: [WorkerThread] = []
        var spawnError: RedisError?
        for handoff in handoffs {
            do {
                threads.append(try WorkerThread.spawn { handoff.run() })
            } catch {
                spawnError = error
                signals.abort.store(true, ordering: .relaxed)
                break
            }
        }

        let start = MonotonicClock.nanoseconds()
        var finished = spawnError != nil
        while !finished {
            pause(.milliseconds(20))
            finished = progress.prefix(threads.count).allSatisfy { $0.finished.load(ordering: .acquiring) }
            let completed = progress.reduce(0) { $0 + $1.completed.load(ordering: .relaxed) }
            let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
            if !observe(BenchProgress(test: test, completed: completed, target: target, elapsedSeconds: elapsed)) {
                signals.drain.store(true, ordering: .relaxed)
            }
        }
        for thread in threads { thread.join() }
        groups = handoffs.map(\.worker.connections)
        if let spawnError { throw spawnError }

        var histogram = LatencyHistogram()
        var outcomes = BenchOutcomes()
        var requests = 0
        var first = UInt64.max, last: UInt64 = 0
        for handoff in handoffs {
            let r = handoff.result
            if let failure = r.failure { throw failure }
            histogram.merge(r.histogram)
            outcomes.merge(r.outcomes)
            requests += r.completed
            first = min(first, r.measureStart)
            last = max(last, r.lastReply)
        }
        let names = handoffs.first?.worker.outcomeNames ?? []
        return BenchTestResult(test: test, requests: requests, elapsedNs: last > first ? last - first : 0,
                               latency: histogram,
                               outcomes: names.enumerated().map { .init(name: $1, count: outcomes[$0]) },
                               interrupted: signals.drain.load(ordering: .relaxed))
    }

    static func nanoseconds(_ d: Duration) -> UInt64 {
        let c = d.components
        guard c.seconds >= 0 else { return 0 }
        return UInt64(c.seconds) &* 1_000_000_000 &+ UInt64(c.attoseconds / 1_000_000_000)
    }
}

/// Moves one worker to its thread and back. Between `spawn` and `join` only the worker's
/// thread touches `worker` and `result`, and `join` orders those accesses before the
/// supervisor's, which is what the unchecked conformance relies on.
final class WorkerHandoff<W: BenchWorkload>: @unchecked Sendable {
    var worker: BenchWorker<W>
    var result = WorkerResult()

    init(_ worker: BenchWorker<W>) {
        self.worker = worker
    }

    func run() {
        result = worker.run()
    }
}
