import CacheOps
import CLI
import RedisClient

/// `cachectl keys expire PATTERN --ttl D`: the fix for `keys audit`'s no-ttl findings,
/// with invalidate's safety rules (asks on a terminal, needs --yes without one).
enum KeysExpireCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let output = context.output
        guard let ttl = options[KeysOptions.expireTTL] else {
            throw context.usageError("'keys expire' needs --ttl, the TTL to give", hint: "for example --ttl 1h")
        }
        guard let pattern = context.parsed.arguments.first?.bytes, !pattern.isEmpty else {
            throw context.usageError("'keys expire' needs a PATTERN ('tmp:*')")
        }
        var request = ExpireRequest(scan: try KeysCommand.scanRequest(context, limit: options[KeysOptions.expireLimit]), ttl: ttl)
        request.onlyMissing = options[KeysOptions.onlyMissing]
        request.dryRun = options[KeysOptions.dryRun]
        request.sampleSize = options[KeysOptions.drySample]
        request.rate = options[KeysOptions.rate]
        if let ms = options[KeysOptions.maxLatencyMs] { request.latencyBudget = .milliseconds(ms) }
        request.batchSize = options[KeysOptions.batch]
        request.unthrottled = options[KeysOptions.noThrottle]

        let connection = try context.connectRouted()
        let scope = KeyScope(prefix: connection.config.keyPrefix)
        try Confirmation.requireUnlessDryRun(request.dryRun, context: context, yes: SharedOptions.yes) {
            let which = request.onlyMissing ? "every key without a TTL" : "every key"
            return "Give \(which) matching '\(quotedKey(scope.pattern(pattern)))' a TTL of \(formatDuration(ttl))?"
        }
        Signals.recordInterrupts()
        if request.pacing.isAdaptive { BatchScheduling.enter() }
        var progress = ProgressLine(options: options, output: output)
        let summary = KeyExpire.run(on: connection, scope: scope, request: request,
                                    shouldStop: { Signals.pending != nil }) { s in
            progress.update(KeysExpireRenderer.progress(s))
        }
        progress.finish()
        let failure = summary.failure.map(context.failure)
        let interrupted = summary.stop == .requested ? Signals.exitCode(for: Signals.pending ?? 2) : nil
        let exitCode = failure?.exitCode ?? interrupted ?? .success
        try output.present(json: KeysExpireRenderer.json(summary, pattern: pattern, ttl: ttl, failure: failure, exitCode: exitCode)
                                     .serialized(),
                           text: KeysExpireRenderer.table(summary, pattern: pattern, ttl: ttl))
        if summary.pacingBlind {
            output.warn("INFO unavailable: batches stayed at the gentle start size instead of following the server's load")
        }
        if let failure { throw failure }
        if let interrupted {
            output.warn("stopped before the end; run the same command again to finish")
            return interrupted
        }
        return .success
    }
}
