import CacheOps
import CLI
import RedisClient

/// `cachectl health`: exit 0 when every check holds, 1 on any breach; with `--watch`,
/// one sample per interval until interrupted or `--count` samples.
enum HealthCommand {
    enum Format { case table, json, prometheus }

    static func run(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let request = try makeRequest(context)
        let format: Format = options[HealthOptions.prometheus] ? .prometheus : (context.output.json ? .json : .table)
        if options[HealthOptions.prometheus] && context.output.json {
            throw context.usageError("--json and --prometheus are two output formats: choose one")
        }
        let count = options[HealthOptions.count]
        let watchEvery = options[HealthOptions.watch]
        if count != nil && watchEvery == nil { throw context.usageError("--count goes with --watch") }
        let config = try context.resolveConfig()
        context.output.debug("connecting to \(config)")
        if config.tls?.insecure == true {
            context.output.warn("--insecure: the server's TLS certificate is not verified")
        }
        guard let every = watchEvery else {
            // Ctrl-C during --interval ends the wait and the command (130), not the process.
            if request.interval != nil { Signals.recordInterrupts() }
            var session = HealthSession(config: config, request: request)
            let outcome = session.sample()
            if let signal = Signals.pending {
                throw Failure("interrupted during --interval; no sample was judged", exitCode: Signals.exitCode(for: signal))
            }
            return try emit(outcome, format: format, context: context)
        }
        if request.interval != nil {
            throw context.usageError("--watch measures rates between its own samples; leave out --interval")
        }
        return try watch(HealthSession(config: config, request: request), every: every, count: count, format: format, context: context)
    }

    private static func makeRequest(_ context: CommandContext) throws -> HealthRequest {
        let options = context.options
        // Ranges (samples 1 to 10000, percentages 0 to 100...) are checked by the table.
        let lag = options[HealthOptions.maxLag]
        let thresholds = HealthThresholds(maxLatencyMs: options[HealthOptions.maxLatencyMs],
                                          minHitRatePercent: options[HealthOptions.minHitRate],
                                          maxMemoryPercent: options[HealthOptions.maxMemoryPct],
                                          minReplicas: options[HealthOptions.minReplicas],
                                          maxReplicationLagSeconds: Double(lag.components.seconds)
                                              + Double(lag.components.attoseconds) / 1e18,
                                          strict: options[HealthOptions.strict])
        return HealthRequest(samples: options[HealthOptions.samples], thresholds: thresholds,
                             interval: options[HealthOptions.interval], slowlogEntries: options[HealthOptions.slowlog])
    }

    /// Prints one outcome in `format` and returns its exit code. stderr is the same in
    /// every format: each warning, breach and error on a line of its own.
    private static func emit(_ outcome: HealthOutcome, format: Format, context: CommandContext) throws(Failure) -> ExitCode {
        let output = context.output
        let text = document(outcome, format: format, color: output.color)
        if format == .table {
            if !text.isEmpty { try output.report(text) }
        } else {
            try output.result(text)
        }
        StderrLines(outcome).write(to: output)
        return exitCode(outcome)
    }

    private static func document(_ outcome: HealthOutcome, format: Format, color: Bool) -> String {
        switch (outcome, format) {
        case (.report(let r), .json): return HealthJSON.document(r).serialized()
        case (.report(let r), .prometheus): return HealthPrometheus.render(r)
        case (.report(let r), .table): return HealthRenderer.table(r, color: color)
        case (.failure(let f), .json): return HealthJSON.failure(f).serialized()
        case (.failure(let f), .prometheus): return HealthPrometheus.failure(f)
        // Said once, on stderr: a table would only repeat it.
        case (.failure, .table): return ""
        }
    }

    private static func exitCode(_ outcome: HealthOutcome) -> ExitCode {
        switch outcome {
        case .report(let report): return report.healthy ? .success : .no
        case .failure(let failure): return failure.exitCode
        }
    }

    // MARK: Watch

    private static func watch(_ start: HealthSession, every: Duration, count: Int?, format: Format,
                              context: CommandContext) throws(Failure) -> ExitCode {
        Signals.recordInterrupts()
        var session = start
        var worst = ExitCode.success
        var taken = 0
        var previous: [StderrLines.Line] = []
        while true {
            let began = ContinuousClock.now
            let outcome = session.sample()
            if let signal = Signals.pending { return Signals.exitCode(for: signal) }
            worst = worse(worst, exitCode(outcome))
            // A line for people is chatter under --quiet; JSON and Prometheus samples are
            // results. The reader went away (`health --watch | head -3`): it has what it wanted.
            if !(context.output.quiet && format == .table),
               !(try context.output.result(bytes: Array(sampleText(outcome, format: format, color: context.output.color).utf8))) {
                return worst
            }
            // stderr as in a single run, but a line the previous sample already printed word
            // for word is not repeated every interval.
            let lines = StderrLines(outcome).lines
            for line in lines where !previous.contains(line) { line.write(to: context.output) }
            previous = lines
            taken += 1
            if let count, taken >= count { return worst }
            if !WallClock.sleep(until: began + every) { return Signals.exitCode(for: Signals.pending ?? 2) }
        }
    }

    /// One sample's line or document, ending in a newline. JSON samples lead with the time
    /// (ISO 8601 UTC with milliseconds, and as epoch milliseconds), as `watch` events do.
    private static func sampleText(_ outcome: HealthOutcome, format: Format, color: Bool) -> String {
        let now = Timestamp.now()
        let text: String
        switch (outcome, format) {
        case (.report(let r), .table): text = HealthWatchLine.line(r, time: WallClock.timeOfDay(), color: color)
        case (.failure(let f), .table): text = HealthWatchLine.failure(f, time: WallClock.timeOfDay(), color: color)
        case (.report(let r), .json): text = JSONValue.object(now.jsonMembers + HealthJSON.members(r)).serialized()
        case (.failure(let f), .json): text = JSONValue.object(now.jsonMembers + HealthJSON.failureMembers(f)).serialized()
        case (_, .prometheus): text = document(outcome, format: format, color: color)
        }
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// A failure to reach or judge the server outranks a breach; a breach outranks health.
    private static func worse(_ a: ExitCode, _ b: ExitCode) -> ExitCode {
        func rank(_ c: ExitCode) -> Int { c == .success ? 0 : (c == .no ? 1 : 2) }
        return rank(b) > rank(a) ? b : a
    }
}
