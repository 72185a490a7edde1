import RESP
import RedisClient

/// `cachectl invalidate`: deletes keys by pattern, by name and by tag, fast and gently.
///
/// Pattern and tag runs keep the pipeline full: each write carries the next `SCAN` (or
/// `SSCAN`) first and the `UNLINK` of the page just read second. The scan reply comes
/// back while the server is still unlinking, so the next write is on its way before the
/// server is idle: one round trip per page, and scanning overlaps deleting.
public enum Invalidation {
    /// - Parameters:
    ///   - keys: named keys (`--key`, `--keys-from`), without the prefix; read once, lazily.
    ///   - shouldStop: polled between batches; true stops after the batch in flight.
    /// Never throws: a failure mid-run is returned in `failure` with the partial figures.
    ///
    /// On a cluster, each pattern is scanned on every primary in turn and deletions are
    /// grouped by slot. When the slot map changed during a pass (a live resharding), the
    /// pass runs again, so keys that moved to a node already scanned are not missed.
    public static func run<Keys: Sequence>(
        on client: RoutedClient, scope: KeyScope, request: InvalidationRequest, keys: Keys,
        shouldStop: () -> Bool = { false },
        progress: (InvalidationProgress) -> Void = { _ in }
    ) -> InvalidationSummary where Keys.Element == [UInt8] {
        let connection = client.seed
        var runner = InvalidationRunner(connection: connection, scope: scope, request: request,
                                        throttle: Throttle(rate: request.rate))
        do {
            let cluster = try client.clusterIfAny()
            runner.cluster = cluster
            if !request.dryRun { runner.summary.deleteCommand = try deleteCommand(on: connection, scope: scope) }
            for pattern in request.patterns where runner.canContinue(shouldStop) {
                if let cluster {
                    try runner.drainPatternOnCluster(pattern, cluster: cluster, shouldStop: shouldStop, progress: progress)
                } else {
                    try runner.drainPattern(pattern, shouldStop: shouldStop, progress: progress)
                }
            }
            runner.connection = connection
            if runner.canContinue(shouldStop, moreWork: false) {
                try runner.drainKeys(keys, shouldStop: shouldStop, progress: progress)
            } else if runner.summary.stop == nil {
                // The limit was reached exactly: only named keys still waiting make it a stop.
                var pending = keys.makeIterator()
                if pending.next() != nil { runner.summary.stop = .limit }
            }
            for tag in request.tags where runner.canContinue(shouldStop) {
                if let cluster, let owner = cluster.topology.primary(forSlot: KeySlot.slot(for: scope.key(request.tagSetKey(tag)))) {
                    runner.connection = try cluster.connection(to: owner)
                }
                try runner.drainTag(tag, shouldStop: shouldStop, progress: progress)
            }
        } catch {
            runner.summary.failure = error
        }
        runner.finish()
        return runner.summary
    }

    /// `DBSIZE`, for the confirmation prompt: summed over every primary of a cluster.
    public static func databaseSize(on client: RoutedClient) throws(RedisError) -> Int {
        var total = 0
        for node in try client.primaryConnections() { total = total.saturatingAdd(try databaseSize(on: node)) }
        return total
    }

    static func databaseSize(on connection: RedisConnection) throws(RedisError) -> Int {
        let reply = try connection.command("DBSIZE")
        guard let n = reply.quantity else {
            throw .protocolViolation("DBSIZE answered " + (reply.int.map { "\($0)" } ?? "something other than an integer"))
        }
        return Int(n)
    }

    /// Publishes an invalidation event (applications listen on `cache:invalidate`); returns
    /// how many subscribers received it.
    @discardableResult
    public static func publish(on connection: RedisConnection, channel: [UInt8], message: [UInt8]) throws(RedisError) -> Int {
        Int(try connection.command([Array("PUBLISH".utf8), channel, message]).quantity ?? 0)
    }

    /// `UNLINK` frees memory off the main thread; servers before 4.0 only know `DEL`.
    /// `COMMAND INFO` answers `[nil]` for an unknown command; a server or user that may
    /// not run `COMMAND` gets `UNLINK`, the modern default.
    ///
    /// An ACL user may be allowed DEL and not UNLINK: an UNLINK of a key that cannot exist
    /// tells, since the server checks the command before the keys.
    static func deleteCommand(on connection: RedisConnection, scope: KeyScope) throws(RedisError) -> String {
        do {
            let reply = try connection.command("COMMAND", "INFO", "UNLINK")
            if let first = reply.elements?.first, first.isNull { return "DEL" }
        } catch .server, .permissionDenied {
        }
        let probe = scope.key(Array("cachectl:unlink-probe:\(UInt64.random(in: 1...UInt64.max))".utf8))
        for command in ["UNLINK", "DEL"] {
            do {
                try connection.command([Array(command.utf8), probe])
                return command
            } catch .permissionDenied(let text) where text.lowercased().contains("'\(command.lowercased())'") {
                continue
            } catch .server, .permissionDenied {
                return command
            }
        }
        // Neither: the first deletion fails and names UNLINK, the command meant.
        return "UNLINK"
    }
}
