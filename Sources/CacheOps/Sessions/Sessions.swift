import RESP
import RedisClient

/// `cachectl session`: lists and revokes sessions through the per-user index, as the
/// application's `invalidateUserSessions` does.
///
/// Revoking a user is `invalidate`'s tag run: each session id leaves the index together
/// with its key (one MULTI/EXEC on one server; on a cluster, where they live in different
/// slots, the id first and then its key), and the index is never deleted wholesale. It
/// disappears by itself when its last member goes, so an id added concurrently either is
/// revoked with its key or stays listed with it.
public enum Sessions {
    /// Members read per SSCAN step, and ids handled per MULTI/EXEC.
    static let pageSize = 200

    public static func list(on client: RoutedClient, scope: KeyScope, layout: SessionLayout,
                            user: [UInt8]) throws(RedisError) -> SessionListing {
        let indexKey = layout.indexKey(user)
        let ids = try members(of: scope.key(indexKey), on: client).sorted { $0.lexicographicallyPrecedes($1) }
        let keys = ids.map(layout.sessionKey)
        let ttls = try perKey(keys.map { [Array("PTTL".utf8), scope.key($0)] }, keys: keys.map(scope.key), on: client)
        var sessions: [SessionEntry] = []
        for (i, id) in ids.enumerated() {
            guard let ms = ttls[i].int else { throw .protocolViolation("PTTL did not answer with an integer") }
            sessions.append(SessionEntry(id: id, key: keys[i], ttlMs: ms >= 0 ? ms : nil, exists: ms != -2))
        }
        return SessionListing(user: user, indexKey: indexKey, sessions: sessions)
    }

    /// Revokes every session in `user`'s index, then (by emptying it) the index: the tag
    /// mechanism of `invalidate` with the index as the tag's set and each member naming its
    /// session key (`SessionLayout.invalidation(of:)`), so it is paced, pipelined and
    /// interruptible as invalidations are. Ids added while it runs keep the index alive;
    /// it is read again, up to `maxPasses` times, until it is gone, and what is still there
    /// after that is reported in `remaining`, each id still beside its key.
    public static func revokeUser(on client: RoutedClient, scope: KeyScope, layout: SessionLayout, user: [UInt8],
                                  dryRun: Bool, maxPasses: Int = 5, sampleSize: Int = 1000,
                                  shouldStop: () -> Bool = { false }) throws(RedisError) -> SessionRevocation {
        var result = SessionRevocation()
        result.dryRun = dryRun
        let indexKey = layout.indexKey(user)
        let index = scope.key(indexKey)
        var request = layout.invalidation(of: user)
        request.dryRun = dryRun
        request.sampleSize = sampleSize
        for pass in 1...max(1, maxPasses) {
            result.passes = pass
            let summary = Invalidation.run(on: client, scope: scope, request: request, keys: [[UInt8]](), shouldStop: shouldStop)
            result.matched += summary.matched
            result.deleted += dryRun ? summary.existing ?? 0 : summary.deleted
            result.sample += summary.sample
            if let failure = summary.failure { throw failure }
            if summary.tagSetsDeleted > 0 { result.indexesDeleted = [indexKey] }
            if summary.stop == .requested { result.interrupted = true }
            if dryRun || summary.tagSetsKept == 0 || result.interrupted { break }
        }
        if !dryRun {
            result.remaining = Int(try client.command([Array("SCARD".utf8), index], key: index).int ?? 0)
        }
        return result
    }

    /// Revokes the named sessions; with `user`, also takes them out of that user's index
    /// (and reports the index gone when that emptied it).
    public static func revokeSessions(_ ids: [[UInt8]], user: [UInt8]?, on client: RoutedClient, scope: KeyScope,
                                      layout: SessionLayout, dryRun: Bool) throws(RedisError) -> SessionRevocation {
        var result = SessionRevocation()
        result.dryRun = dryRun
        result.passes = 1
        var unique: [[UInt8]] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        result.sessionIds = unique
        result.matched = unique.count
        let keys = unique.map { scope.key(layout.sessionKey($0)) }
        if dryRun {
            result.deleted = try countExisting(keys, on: client)
            return result
        }
        let delete = try Invalidation.deleteCommand(on: client.seed, scope: scope)
        if let user {
            let indexKey = layout.indexKey(user)
            let index = scope.key(indexKey)
            let (deleted, removed) = try removeTogether(keys: keys, members: unique, index: index, delete: delete, on: client)
            result.deleted = deleted
            if removed > 0, try client.command([Array("EXISTS".utf8), index], key: index).int == 0 {
                result.indexesDeleted = [indexKey]
            }
        } else {
            let replies = try perKey(keys.map { [Array(delete.utf8), $0] }, keys: keys, on: client)
            result.deleted = replies.reduce(0) { $0 + Int($1.int ?? 0) }
        }
        return result
    }

    // MARK: Building blocks

    /// Every member of the set at `index` (prefixed), by SSCAN.
    /// How many sessions a user's index lists (`SCARD`), for the confirmation question; nil
    /// when it cannot be read (a courtesy, not a requirement).
    public static func indexSize(_ index: [UInt8], on client: RoutedClient) -> Int64? {
        (try? client.command([Array("SCARD".utf8), index], key: index))?.int
    }

    static func members(of index: [UInt8], on client: RoutedClient) throws(RedisError) -> [[UInt8]] {
        var cursor: [UInt8] = [UInt8(ascii: "0")]
        var all = Set<[UInt8]>()
        var convergence = ScanConvergence(command: "SSCAN")
        repeat {
            let page = try client.command([Array("SSCAN".utf8), index, cursor, Array("COUNT".utf8),
                                           Array(String(pageSize).utf8)], key: index)
            let (next, members) = try parseSScan(page)
            try convergence.check(next)
            cursor = next
            all.formUnion(members)
        } while cursor != [UInt8(ascii: "0")]
        return Array(all)
    }

    static func parseSScan(_ reply: RESPValue) throws(RedisError) -> (cursor: [UInt8], members: [[UInt8]]) {
        let page = try RedisConnection.parseScanReply(reply)
        return (page.cursor, page.keys)
    }

    /// Deletes `keys` and takes `members` out of the index: atomically on one server; on a
    /// cluster the member first, then its key, as `invalidate --tag` does. Returns how many
    /// keys existed and how many members were in the index.
    static func removeTogether(keys: [[UInt8]], members: [[UInt8]], index: [UInt8], delete: String,
                               on client: RoutedClient) throws(RedisError) -> (deleted: Int, removed: Int) {
        if let cluster = try client.clusterIfAny() {
            var deleted = 0, removed = 0
            for (key, member) in zip(keys, members) {
                removed += Int(try cluster.command([Array("SREM".utf8), index, member], key: index).int ?? 0)
                deleted += Int(try cluster.command([Array(delete.utf8), key], key: key).int ?? 0)
            }
            return (deleted, removed)
        }
        let replies = try client.seed.pipeline([
            [Array("MULTI".utf8)],
            [Array(delete.utf8)] + keys,
            [Array("SREM".utf8), index] + members,
            [Array("EXEC".utf8)],
        ])
        for reply in replies {
            if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
        }
        guard let results = replies[3].elements, results.count == 2 else {
            throw .protocolViolation("EXEC did not answer with two replies")
        }
        for r in results {
            if let err = r.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
        }
        return (Int(results[0].int ?? 0), Int(results[1].int ?? 0))
    }

    static func countExisting(_ keys: [[UInt8]], on client: RoutedClient) throws(RedisError) -> Int {
        let replies = try perKey(keys.map { [Array("EXISTS".utf8), $0] }, keys: keys, on: client)
        return replies.reduce(0) { $0 + Int($1.int ?? 0) }
    }

    /// One command per key: pipelined on one server, routed one by one on a cluster. Error
    /// replies are thrown.
    static func perKey(_ commands: [[[UInt8]]], keys: [[UInt8]], on client: RoutedClient) throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        if let cluster = try client.clusterIfAny() {
            var replies: [RESPValue] = []
            for (command, key) in zip(commands, keys) { replies.append(try cluster.command(command, key: key)) }
            return replies
        }
        var replies: [RESPValue] = []
        var start = 0
        while start < commands.count {
            let end = min(commands.count, start + 1000)
            for reply in try client.seed.pipeline(Array(commands[start..<end])) {
                if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
                replies.append(reply)
            }
            start = end
        }
        return replies
    }
}
