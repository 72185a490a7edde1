import RESP
import RedisClient

/// Counting semaphores: at most `limit` owners hold a lease at once, each lease owner-
/// checked and expiring on its own, granted in ticket order to waiters so nobody starves.
/// Every step is one atomic script (`SemaphoreScripts`) over keys in one cluster slot.
/// All users of one NAME must agree on `limit`: each call enforces the limit it is given.
public enum Semaphores {
    /// How long a waiter's place in the queue lasts without a new attempt. Waiters retry
    /// well within it (backoff is capped far below), and a waiter that died loses its
    /// place after it, so nobody behind it waits longer than this for a dead one.
    public static let queuePlace: Duration = .seconds(3)

    /// One attempt. `enqueue` false: take a free slot only when nobody waits ahead, and
    /// leave no trace otherwise (a single try). `enqueue` true: wait in line (draw a
    /// ticket once, refresh the place on every attempt).
    public static func acquire(on connection: some KeyedCommands, keys: SemaphoreKeys, owner: [UInt8],
                               ttl: Duration, limit: Int, enqueue: Bool,
                               queuePlace: Duration = Semaphores.queuePlace) throws(RedisError) -> SemaphoreAttempt {
        let reply = try connection.eval(SemaphoreScripts.acquire, keys: keys.all,
                                        args: [owner, LockScriptReply.ms(ttl), Array(String(limit).utf8),
                                               LockScriptReply.ms(queuePlace), Array((enqueue ? "1" : "0").utf8),
                                               keys.lock.legacyFenceKey ?? []])
        let parts = try parse.elements(reply, "acquire")
        if let token = try parse.grantedToken(parts, "acquire") { return .acquired(token: token) }
        guard parts.count >= 3, let position = parts[1].int else { throw parse.malformed("acquire") }
        return .full(position: Int(position), try state(parts, from: 2, "acquire"))
    }

    /// Waits in line until `wait` has passed: sleeps by `backoff`, never past the next
    /// lease's expiry or the deadline. `wait` zero makes one attempt without queueing. A
    /// caller that gives up leaves the queue, so it holds nobody up. `sentAt` is when the
    /// last attempt was sent: a granted lease lives at least until `sentAt + ttl`.
    public static func acquire(on connection: some KeyedCommands, keys: SemaphoreKeys, owner: [UInt8], ttl: Duration,
                               limit: Int, wait: Duration, backoff: inout LockBackoff)
        throws(RedisError) -> (attempt: SemaphoreAttempt, sentAt: ContinuousClock.Instant) {
        let queueing = wait > .zero
        let last: (attempt: SemaphoreAttempt, sentAt: ContinuousClock.Instant)
        do {
            last = try AcquireRetry.run(wait: wait, backoff: &backoff) { () throws(RedisError) in
                try acquire(on: connection, keys: keys, owner: owner, ttl: ttl, limit: limit, enqueue: queueing)
            } verdict: { attempt in
                guard case .full(let position, let state) = attempt, position >= 0 else { return .stop }
                return .retry(freesInMs: state.nextExpiryMs)
            }
        } catch {
            if queueing { _ = try? leave(on: connection, keys: keys, owner: owner) }
            throw error
        }
        // Still full: this caller gives up its place in the queue.
        if queueing, case .full = last.attempt { try leave(on: connection, keys: keys, owner: owner) }
        return last
    }

    /// Gives up a place in the queue (nothing happens when the owner has none).
    public static func leave(on connection: some KeyedCommands, keys: SemaphoreKeys, owner: [UInt8]) throws(RedisError) {
        _ = try connection.eval(SemaphoreScripts.leave, keys: keys.all, args: [owner])
    }

    /// Owner-checked: removes `owner`'s lease only when it holds a live one.
    public static func release(on connection: some KeyedCommands, keys: SemaphoreKeys,
                               owner: [UInt8]) throws(RedisError) -> SemaphoreCheck {
        try ownerChecked(SemaphoreScripts.release, "release", connection, keys, args: [owner])
    }

    /// Owner-checked: `owner`'s lease then ends `ttl` from now.
    public static func extend(on connection: some KeyedCommands, keys: SemaphoreKeys, owner: [UInt8],
                              ttl: Duration) throws(RedisError) -> SemaphoreCheck {
        try ownerChecked(SemaphoreScripts.extend, "extend", connection, keys, args: [owner, LockScriptReply.ms(ttl)])
    }

    public static func status(on connection: some KeyedCommands, keys: SemaphoreKeys) throws(RedisError) -> SemaphoreState {
        let reply = try connection.eval(SemaphoreScripts.status, keys: keys.all, args: [])
        return try state(try parse.elements(reply, "status"), from: 0, "status")
    }

    // MARK: Replies

    private static let parse = LockScriptReply(kind: "semaphore")

    private static func ownerChecked(_ script: LuaScript, _ name: String, _ connection: some KeyedCommands,
                                     _ keys: SemaphoreKeys, args: [[UInt8]]) throws(RedisError) -> SemaphoreCheck {
        guard let found = try parse.ownerChecked(script, name, connection, keys: keys.all, args: args,
                                                 state: state) else { return .done }
        return .notOwner(found)
    }

    /// `waiting, holder, pttl, holder, pttl…` starting at `index`.
    private static func state(_ parts: [RESPValue], from index: Int, _ name: String) throws(RedisError) -> SemaphoreState {
        guard parts.count > index, let waiting = parts[index].int, (parts.count - index - 1) % 2 == 0 else {
            throw parse.malformed(name)
        }
        var holders: [SemaphoreState.Holder] = []
        var i = index + 1
        while i + 1 < parts.count {
            guard let owner = parts[i].bytes, let ttl = parts[i + 1].int else { throw parse.malformed(name) }
            holders.append(.init(owner: owner, ttlMs: ttl))
            i += 2
        }
        return SemaphoreState(holders: holders, waiting: Int(waiting))
    }
}
