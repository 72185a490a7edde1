import CacheOps
import CLI
import RedisClient

/// `cachectl bench`: validates the plan (exit 64), refuses a database holding other keys
/// unless `--yes`, runs the load, cleans up `bench:` keys unless `--keep`, and prints a
/// table, CSV or JSON.
enum BenchCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let output = context.output
        if options[BenchOptions.csv] && output.json { throw context.usageError("--csv and --json exclude each other") }
        var plan = try makePlan(context)

        let control: RedisConnection
        do {
            control = try context.connect()
        } catch let error as RedisError {
            // redis-benchmark's -n is the request count; here, as in redis-cli, it is the database.
            guard case .server(let text) = error, text.hasPrefix("cannot use database"), options[GlobalOptions.db] != nil else {
                throw error
            }
            var failure = context.failure(error)
            failure.hint = "-n is the database (as in redis-cli); the request count is --requests"
            throw failure
        }
        plan.keyPrefix = control.config.keyPrefix
        if try Bench.isCluster(control) {
            throw Failure("\(control.endpoint) runs in cluster mode; bench drives a single server and does not follow "
                          + "cluster redirections", exitCode: .usage,
                          hint: "benchmark a standalone server or one primary outside the cluster")
        }
        if !options[BenchOptions.yes], let foreign = try Bench.findForeignKey(on: control, namespace: plan.namespace) {
            let namespace = quotedKey(plan.namespace)
            let keys = foreign.databaseSize == 1 ? "1 key" : "\(foreign.databaseSize) keys"
            throw Failure("database \(control.config.database) holds \(keys), not only \(namespace)* "
                          + "(found \(quotedKey(foreign.example))); refusing to benchmark it",
                          exitCode: .usage, hint: "use an empty database (--db N), or add --yes to run anyway")
        }
        output.debug("bench: \(plan.clients) connections on \(plan.threads) thread(s), pipeline \(plan.pipeline)")

        Signals.recordInterrupts()
        let progress = BenchProgressLine(enabled: showsProgress(context))
        let report: BenchReport
        do {
            report = try Bench.run(plan, config: control.config, control: control) { update in
                progress.show(update)
                return Signals.pending == nil
            }
        } catch {
            progress.clear()
            // An error reply leaves the server reachable: tidy up before reporting it. A lost
            // or refused connection (or a timeout) is reported at once.
            if error.category == .server && !options[BenchOptions.keep] {
                _ = try? Bench.deleteKeys(on: control, namespace: plan.namespace)
            }
            throw error
        }
        progress.clear()

        let deleted = options[BenchOptions.keep] ? nil : try Bench.deleteKeys(on: control, namespace: plan.namespace)
        // `-q` shortens the table to redis-benchmark -q's lines; it silences neither those
        // nor JSON and CSV, which scripts capture.
        if output.json {
            try output.result(BenchRenderer.json(report, keysDeleted: deleted).serialized())
        } else if options[BenchOptions.csv] {
            try output.result(BenchRenderer.csv(report))
        } else if output.quiet {
            try output.result(BenchRenderer.quiet(report))
        } else {
            try output.report(BenchRenderer.table(report, keysDeleted: deleted))
        }
        if let signal = Signals.pending { return Signals.exitCode(for: signal) }
        return .success
    }

    /// Reads and checks the options; every problem is a usage error (exit 64).
    static func makePlan(_ context: CommandContext) throws -> BenchPlan {
        let options = context.options
        do {
            typealias B = BenchOptions
            let tests = try options[B.tests].map { text throws(BenchPlanError) in try BenchTest.parseList(text) }
                ?? BenchTest.allCases
            if options.given(B.duration) && options.given(B.requests) {
                throw BenchPlanError.invalid("--requests and --duration exclude each other")
            }
            let length: BenchPlan.Length = options[B.duration].map { .duration($0) } ?? .requests(options[B.requests])
            var plan = BenchPlan(tests: tests, length: length)
            plan.clients = options[B.clients]
            plan.pipeline = options[B.pipeline]
            plan.dataSize = options[B.dataSize]
            plan.keyspace = options[B.keyspace]
            plan.threads = options[B.threads]
            plan.warmup = options[B.warmup]
            if let ratio = options[B.ratio] { plan.ratio = try BenchPlan.Ratio.parse(ratio) }
            let ttl = options[B.ttl]
            let seconds = ttl.components.seconds
            guard ttl == .seconds(seconds) else { throw BenchPlanError.invalid("--ttl must be whole seconds, at least 1s") }
            plan.cacheTTLSeconds = Int(seconds)
            try plan.validate()
            return plan
        } catch let error as BenchPlanError {
            if case .unknownTest(let name, let known) = error {
                let guess = Suggestion.best(for: name.lowercased(), among: known)
                throw context.usageError(error.description, hint: guess.map { "did you mean '\($0)'?" })
            }
            throw context.usageError(error.description)
        }
    }

    private static func showsProgress(_ context: CommandContext) -> Bool {
        let options = context.options
        if context.output.quiet || options[BenchOptions.noProgress] { return false }
        return options[BenchOptions.progress] || Terminal.isTTY(2)
    }
}
