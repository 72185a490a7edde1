import CacheOps
import CLI
import RedisClient

/// `cachectl keys expire PATTERN --ttl D`: the fix for `keys audit`'s no-ttl findings,
/// with invalidate's safety rules (asks on a terminal, needs --yes without one).
enum KeysExpireCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let output = context.output
        guard let ttl = options.duration("ttl") else {
            throw context.usageError("'keys expire' needs --ttl, the TTL to give", hint: "for example --ttl 1h")
        }
        guard ttl >= .milliseconds(1) else { throw context.usageError("--ttl must be at least 1ms") }
        guard let pattern = context.parsed.arguments.first?.bytes, !pattern.isEmpty else {
            throw context.usageError("'keys expire' needs a PATTERN ('tmp:*')")
        }
        var request = ExpireRequest(scan: try KeysCommand.scanRequest(context, limit: options.int("limit")), ttl: ttl)
        request.onlyMissing = options.has("only-missing")
        request.dryRun = options.has("dry-run")
        request.sampleSize = options.int("sample") ?? 10
        if let rate = options.double("rate") {
            guard rate >= 0.001 && rate <= 1_000_000_000 else {
                throw context.usageError("--rate must be from 0.001 to 1000000000 keys per second")
            }
            request.rate = rate
        }
        if let ms = options.double("max-latency-ms") {
            guard ms > 0 && ms <= 86_400_000 else {
                throw context.usageError("--max-latency-ms must be greater than zero and at most 86400000 (a day)")
            }
            request.latencyBudget = .milliseconds(ms)
        }
        request.batchSize = options.int("batch")
        if let batch = request.batchSize, batch < 1 { throw context.usageError("--batch must be at least 1") }
        request.unthrottled = options.has("no-throttle")

        let connection = try context.connectRouted()
        let scope = KeyScope(prefix: connection.config.keyPrefix)
        if !request.dryRun {
            let which = request.onlyMissing ? "every key without a TTL" : "every key"
            try Confirmation.require("Give \(which) matching '\(quotedKey(scope.pattern(pattern)))' a TTL of \(formatDuration(ttl))?",
                                     context: context)
        }
        Signals.recordInterrupts()
        var progress = ProgressLine(options: options, output: output)
        let summary = KeyExpire.run(on: connection, scope: scope, request: request,
                                    shouldStop: { Signals.pending != nil }) { s in
            progress.update(KeysExpireRenderer.progress(s))
        }
        progress.finish()
        if output.json {
            try output.result(KeysExpireRenderer.json(summary, pattern: pattern, ttl: ttl).serialized())
        } else {
            try output.report(KeysExpireRenderer.table(summary, pattern: pattern, ttl: ttl))
        }
        if summary.pacingBlind {
            output.warn("INFO unavailable: batches stayed at the gentle start size instead of following the server's load")
        }
        if let failure = summary.failure { throw failure }
        if summary.stop == .requested {
            output.warn("stopped before the end; run the same command again to finish")
            return Signals.exitCode(for: Signals.pending ?? 2)
        }
        return .success
    }
}
