import RESP
import RedisClient

/// What `keys expire` is asked to do: give matching keys a TTL.
public struct ExpireRequest: Sendable {
    public var scan: KeyScanRequest
    public var ttl: Duration
    /// Leave keys that already have a TTL alone (`PEXPIRE … NX` on 7.0+).
    public var onlyMissing = false
    /// Read and count; write nothing.
    public var dryRun = false
    /// Keys per second, a hard cap; nil for as fast as pacing allows.
    public var rate: Double?
    /// Server time our writes in flight may take while other clients use the server
    /// (`--max-latency-ms`), as for `invalidate`.
    public var latencyBudget = PacingController.Settings.defaultBudget
    /// Keys per PEXPIRE batch (`--batch`); nil: adapted to the server's load.
    public var batchSize: Int?
    /// `--no-throttle`: full-size batches whatever the load.
    public var unthrottled = false
    /// Keys to show in a dry run.
    public var sampleSize = 10

    public init(scan: KeyScanRequest, ttl: Duration) {
        self.scan = scan
        self.ttl = ttl
    }

    /// The pacing of the writes (and of the scan, unless its COUNT is fixed).
    public var pacing: PacingController.Settings {
        var s = PacingController.Settings()
        s.budgetMicroseconds = max(1, latencyBudget.inMilliseconds * 1000)
        s.fixedBatch = batchSize
        s.unthrottled = unthrottled
        return s
    }
}

/// What `keys expire` did; every figure is true for the work done, also when it stopped.
public struct ExpireSummary: Sendable {
    public var dryRun = false
    /// Keys the scan found matching the pattern (and `--type`).
    public var matched = 0
    /// Keys that got the TTL (in a dry run: that would get it).
    public var updated = 0
    /// Keys left alone because they had a TTL already (`--only-missing`), also when
    /// they got one from somebody else between our look and our write.
    public var kept = 0
    /// Keys deleted or expired between the scan and the write.
    public var vanished = 0
    /// `PEXPIRE NX` (atomic), or `PTTL+PEXPIRE` on servers before 7.0 (a key given a TTL
    /// in between gets ours), or `PEXPIRE`; `none` when no key matched.
    public var method = "PEXPIRE"
    public var elapsed: Duration = .zero
    /// Pauses of `--rate` and of pacing, and their total length.
    public var pauses = 0
    public var paused: Duration = .zero
    /// The server refused what pacing reads (INFO): batches stayed at the gentle start.
    public var pacingBlind = false
    /// The first keys to change, without the prefix (dry runs).
    public var sample: [[UInt8]] = []
    /// Stopped by the caller (SIGINT, SIGTERM) or `--limit`.
    public var stop: InvalidationSummary.Stop?
    /// The error that ended the run; the figures above are what was done before it.
    public var failure: RedisError?

    public init() {}
}

/// `cachectl keys expire`: SCAN each primary, and give every matching key (without a TTL,
/// with `onlyMissing`) the TTL from a second connection to the same node, in pipelined
/// batches paced as invalidation's deletions are: sized by the node's own `ScanPacer`
/// (its load, read from INFO), capped by `--rate`.
public enum KeyExpire {
    public static func run(on client: RoutedClient, scope: KeyScope, request: ExpireRequest,
                           shouldStop: () -> Bool = { false },
                           progress: (ExpireSummary) -> Void = { _ in }) -> ExpireSummary {
        let clock = ContinuousClock()
        let started = clock.now
        var summary = ExpireSummary()
        summary.dryRun = request.dryRun
        var throttle = Throttle(rate: request.rate)
        var pacingPauses = 0
        var pacingPaused = 0.0
        var nx = request.onlyMissing
        summary.method = request.onlyMissing ? "PEXPIRE NX" : "PEXPIRE"
        let ms = Array(String(max(1, wholeMilliseconds(request.ttl))).utf8)
        var stoppedByCaller = false
        do throws(RedisError) {
            var remaining = request.scan.limit
            for node in try client.primaryConnections() {
                let writer = request.dryRun ? nil : try RedisConnection.connect(node.config)
                defer { writer?.close() }
                var pacer = request.dryRun ? ScanPacer(fixed: request.pacing) : ScanPacer(node: node, settings: request.pacing)
                if pacer.blind { summary.pacingBlind = true }
                var sentKeys = 0, sentCommands = 0
                var nodeRequest = request.scan
                nodeRequest.limit = remaining
                if nodeRequest.pacing != nil {
                    var scanPacing = request.pacing
                    scanPacing.fixedBatch = nil
                    nodeRequest.pacing = scanPacing
                }
                var failure: RedisError?
                let outcome = try KeyScanner.walk(on: node, scope: scope, request: nodeRequest,
                                                  details: { _ in KeyDetailRequest(expiry: request.onlyMissing) },
                                                  shouldStop: shouldStop) { entries, _ in
                    summary.matched += entries.count
                    let targets = request.onlyMissing ? entries.filter { $0.expiry == .never }.map(\.key) : entries.map(\.key)
                    summary.kept += entries.count - targets.count
                    for key in targets.prefix(max(0, request.sampleSize - summary.sample.count)) { summary.sample.append(key) }
                    guard let writer else {
                        summary.updated += targets.count
                        progress(summary)
                        return true
                    }
                    var start = 0
                    while start < targets.count {
                        let size = throttle.batchSize(max(1, pacer.plan.batchSize))
                        let batch = Array(targets[start..<min(targets.count, start + size)])
                        start += batch.count
                        do throws(RedisError) {
                            guard try throttle.admit(batch.count, beforeWaiting: {}, shouldStop: shouldStop) else {
                                stoppedByCaller = true
                                return false
                            }
                            try write(batch, ms: ms, nx: &nx, scope: scope, on: writer, summary: &summary)
                            sentKeys += batch.count
                            sentCommands += nx ? batch.count * 2 : batch.count
                            guard pacer.adapt(commandsSent: sentCommands, keysSent: sentKeys, shouldStop: shouldStop) else {
                                stoppedByCaller = true
                                return false
                            }
                        } catch {
                            failure = error
                            return false
                        }
                    }
                    progress(summary)
                    return true
                }
                pacingPauses += pacer.controller.pauses
                pacingPaused += pacer.controller.pausedMicroseconds
                if let failure { throw failure }
                if let limit = remaining { remaining = limit - outcome.keys }
                if request.onlyMissing && !nx { summary.method = "PTTL+PEXPIRE" }
                if stoppedByCaller || shouldStop() { summary.stop = .requested; break }
                if !outcome.complete {
                    summary.stop = remaining.map { $0 <= 0 } == true ? .limit : .requested
                    break
                }
                if let left = remaining, left <= 0 { summary.stop = .limit; break }
            }
        } catch {
            summary.failure = error
        }
        summary.pauses = throttle.pauses + pacingPauses
        summary.paused = throttle.paused + .microseconds(pacingPaused)
        summary.elapsed = clock.now - started
        // Nothing was sent, so no method was used (before 7.0 NX would have fallen back).
        if summary.matched == 0 { summary.method = "none" }
        return summary
    }

    /// One pipelined batch: `PEXPIRE key ms [NX]`, and after each NX an `EXISTS` that
    /// tells a key that has a TTL from one that is gone. A server before 7.0 refuses NX:
    /// the batch is sent again without it (the keys were checked with PTTL just before),
    /// and so is every later one.
    static func write(_ keys: [[UInt8]], ms: [UInt8], nx: inout Bool, scope: KeyScope, on connection: RedisConnection,
                      summary: inout ExpireSummary) throws(RedisError) {
        var commands: [[[UInt8]]] = []
        for key in keys {
            let full = scope.key(key)
            if nx {
                commands.append([Array("PEXPIRE".utf8), full, ms, Array("NX".utf8)])
                commands.append([Array("EXISTS".utf8), full])
            } else {
                commands.append([Array("PEXPIRE".utf8), full, ms])
            }
        }
        let replies = try connection.pipeline(commands)
        if nx, let text = replies.first?.errorBytes.map({ String(decoding: $0, as: UTF8.self) }),
           isUnknownOption(text) {
            nx = false
            return try write(keys, ms: ms, nx: &nx, scope: scope, on: connection, summary: &summary)
        }
        var i = 0
        while i < replies.count {
            let reply = replies[i]
            if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
            if nx {
                if reply.int == 1 { summary.updated += 1 } else if replies[i + 1].int == 1 { summary.kept += 1 } else { summary.vanished += 1 }
                i += 2
            } else {
                if reply.int == 1 { summary.updated += 1 } else { summary.vanished += 1 }
                i += 1
            }
        }
    }

    /// Redis before 7.0 answers `PEXPIRE key ms NX` with a syntax or arity error.
    static func isUnknownOption(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.contains("wrong number of arguments") || lower.contains("syntax") || lower.contains("unsupported option")
    }
}
