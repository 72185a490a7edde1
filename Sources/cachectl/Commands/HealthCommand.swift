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
            if let signal = Signals.pending { return Signals.exitCode(for: signal) }
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

    /// Prints one outcome in `format` and returns its exit code.
    private static func emit(_ outcome: HealthOutcome, format: Format, context: CommandContext) throws(Failure) -> ExitCode {
        let output = context.output
        switch outcome {
        case .report(let report):
            switch format {
            case .json: try output.result(HealthJSON.document(report).serialized())
            case .prometheus: try output.result(HealthPrometheus.render(report))
            case .table: try output.report(HealthRenderer.table(report, color: output.color))
            }
            for line in HealthRenderer.warningLines(report) { output.warn(line) }
            if format == .table {
                for breach in report.breaches { _ = writeStderr("cachectl: breach: \(HealthRenderer.message(breach))\n") }
            }
            return report.healthy ? .success : .no
        case .failure(let failure):
            switch format {
            case .json: try output.result(HealthJSON.failure(failure).serialized())
            case .prometheus: try output.result(HealthPrometheus.failure(failure))
            case .table: break
            }
            _ = writeStderr(Failure(failure.error).rendered)
            return failure.exitCode
        }
    }

    // MARK: Watch

    private static func watch(_ start: HealthSession, every: Duration, count: Int?, format: Format,
                              context: CommandContext) throws(Failure) -> ExitCode {
        Signals.recordInterrupts()
        var session = start
        var worst = ExitCode.success
        var taken = 0
        while true {
            let began = ContinuousClock.now
            let outcome = session.sample()
            if let signal = Signals.pending { return Signals.exitCode(for: signal) }
            let (text, code) = watchText(outcome, format: format, context: context)
            if taken == 0, case .report(let first) = outcome {
                // Once, not every sample: what the server refuses does not change.
                for line in UnavailableRenderer.warnings(first.unavailable) { context.output.warn(line) }
            }
            worst = worse(worst, code)
            // The reader went away (`health --watch | head -3`): it has what it wanted.
            // A line for people is chatter under --quiet; JSON and Prometheus samples are results.
            if !(context.output.quiet && format == .table),
               !(try context.output.result(bytes: Array((text.hasSuffix("\n") ? text : text + "\n").utf8))) { return worst }
            taken += 1
            if let count, taken >= count { return worst }
            if !WallClock.sleep(until: began + every) { return Signals.exitCode(for: Signals.pending ?? 2) }
        }
    }

    /// One sample's line (or document); nil text under `--quiet`.
    private static func watchText(_ outcome: HealthOutcome, format: Format, context: CommandContext) -> (String, ExitCode) {
        let color = context.output.color
        func stamped(_ document: JSONValue) -> String {
            guard case .object(let members) = document else { return document.serialized() }
            return JSONValue.object([("timestamp", .int(WallClock.unixSeconds()))] + members).serialized()
        }
        switch outcome {
        case .report(let report):
            let code: ExitCode = report.healthy ? .success : .no
            switch format {
            case .json: return (stamped(HealthJSON.document(report)), code)
            case .prometheus: return (HealthPrometheus.render(report), code)
            case .table: return (HealthWatchLine.line(report, time: WallClock.timeOfDay(), color: color), code)
            }
        case .failure(let failure):
            switch format {
            case .json: return (stamped(HealthJSON.failure(failure)), failure.exitCode)
            case .prometheus: return (HealthPrometheus.failure(failure), failure.exitCode)
            case .table: return (HealthWatchLine.failure(failure, time: WallClock.timeOfDay(), color: color), failure.exitCode)
            }
        }
    }

    /// A failure to reach or judge the server outranks a breach; a breach outranks health.
    private static func worse(_ a: ExitCode, _ b: ExitCode) -> ExitCode {
        func rank(_ c: ExitCode) -> Int { c == .success ? 0 : (c == .no ? 1 : 2) }
        return rank(b) > rank(a) ? b : a
    }
}
