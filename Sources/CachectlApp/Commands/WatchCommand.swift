import CacheOps
import CLI
import RedisClient

/// `cachectl watch`: streams the messages of some channels until --count, --for, the
/// reader leaving, or a signal.
enum WatchCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let output = context.output
        let channels = channels(context.parsed)
        if channels.contains(where: \.isEmpty) { throw context.usageError("a channel name cannot be empty") }
        // Bounds (count at least 1, --for above zero) were checked while parsing.
        let count = options[WatchOptions.count]
        let span = options[WatchOptions.forSpan]

        let config = try context.resolveConfig()
        output.debug("connecting to \(config)")
        if config.tls?.insecure == true { output.warn("--insecure: the server's TLS certificate is not verified") }
        // A silence as long as the reply timeout (at most 5s) is checked with a PING.
        let liveness = min(max(config.replyTimeout, .milliseconds(100)), .seconds(5))
        let request = WatchRequest(channels: channels, patterns: options[WatchOptions.pattern], livenessInterval: liveness)

        Signals.recordInterrupts()
        let deadline = span.map { ContinuousClock.now + $0 }
        var received = 0
        var failure: Failure?
        let end = try EventWatch.run(config: config, request: request, until: deadline,
                                     shouldStop: { Signals.pending != nil }) { event in
            switch event {
            case .subscribed(let endpoint, let resumed):
                if resumed {
                    output.warn(WatchRenderer.resumed(endpoint: endpoint))
                } else {
                    output.notice(WatchRenderer.subscribed(request, endpoint: endpoint))
                }
            case .lost(let error, let endpoint, let retryIn):
                output.warn(WatchRenderer.lost(error, endpoint: endpoint, retryIn: retryIn))
            case .retryFailed(let error, let endpoint, let retryIn):
                output.warn(WatchRenderer.retryFailed(error, endpoint: endpoint, retryIn: retryIn))
            case .message(let message):
                let time = Timestamp.now()
                let text = output.json ? WatchRenderer.json(message, at: time)
                    : WatchRenderer.line(message, at: time, color: output.color)
                do throws(Failure) {
                    // The reader went away (`watch | head -1`): it has what it wanted.
                    guard try output.result(bytes: Array((text + "\n").utf8)) else { return false }
                } catch {
                    failure = error
                    return false
                }
                received += 1
                if let count, received >= count { return false }
            }
            return true
        }
        if let failure { throw failure }
        if end == .stopRequested { return Signals.exitCode(for: Signals.pending ?? 2) }
        return .success
    }

    /// The CHANNEL arguments, or the three invalidation channels.
    static func channels(_ parsed: ParsedCommandLine) -> [[UInt8]] {
        let given = parsed.arguments.map(\.bytes)
        return given.isEmpty ? WatchRequest.defaultChannels.map { Array($0.utf8) } : given
    }
}
