import RESP
import RedisClient

/// Owner-checked distributed locks compatible with seed 001's keys: the lock key holds
/// the owner string and expires on its own; every change is one atomic script.
public enum Locks {
    public static func acquire(on connection: some KeyedCommands, keys: LockKeys, owner: [UInt8],
                               ttl: Duration) throws(RedisError) -> LockAttempt {
        let reply = try connection.eval(LockScripts.acquire, keys: [keys.key, keys.fenceKey],
                                        args: [owner, ms(ttl)])
        let parts = try elements(reply, "acquire")
        if parts.first?.int == 1 {
            guard parts.count == 2, let token = parts[1].int else { throw malformed("acquire") }
            return .acquired(token: token)
        }
        return .held(try state(parts, from: 1, "acquire"))
    }

    /// Retries until `wait` has passed, sleeping by `backoff` (exponential with jitter) but
    /// never past the holder's expiry or the deadline, so a lock that frees up is taken
    /// promptly. `wait` zero makes one attempt. `sentAt` is when the last attempt was sent:
    /// a granted lock lives at least until `sentAt + ttl`.
    public static func acquire(on connection: some KeyedCommands, keys: LockKeys, owner: [UInt8], ttl: Duration,
                               wait: Duration, backoff: inout LockBackoff)
        throws(RedisError) -> (attempt: LockAttempt, sentAt: ContinuousClock.Instant) {
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        while true {
            let sentAt = clock.now
            let attempt = try acquire(on: connection, keys: keys, owner: owner, ttl: ttl)
            guard case .held(let state) = attempt else { return (attempt, sentAt) }
            let now = clock.now
            if now >= deadline { return (attempt, sentAt) }
            var delay = min(backoff.nextDelay(), deadline - now)
            if let left = state.ttlMs, left >= 0 {
                delay = min(delay, .milliseconds(left.saturatingAdd(1)))
            }
            pause(delay)
        }
    }

    /// Compare-and-delete: releases only when `owner` holds the lock.
    public static func release(on connection: some KeyedCommands, keys: LockKeys,
                               owner: [UInt8]) throws(RedisError) -> OwnerCheck {
        try ownerChecked(LockScripts.release, "release", connection, keys, args: [owner])
    }

    /// Compare-and-PEXPIRE: sets the remaining time to `ttl` only when `owner` holds the lock.
    public static func extend(on connection: some KeyedCommands, keys: LockKeys, owner: [UInt8],
                              ttl: Duration) throws(RedisError) -> OwnerCheck {
        try ownerChecked(LockScripts.extend, "extend", connection, keys, args: [owner, ms(ttl)])
    }

    public static func status(on connection: some KeyedCommands, keys: LockKeys) throws(RedisError) -> LockState {
        let reply = try connection.eval(LockScripts.status, keys: [keys.key], args: [])
        return try state(try elements(reply, "status"), from: 0, "status")
    }

    // MARK: Replies

    private static func ownerChecked(_ script: LuaScript, _ name: String, _ connection: some KeyedCommands,
                                     _ keys: LockKeys, args: [[UInt8]]) throws(RedisError) -> OwnerCheck {
        let parts = try elements(try connection.eval(script, keys: [keys.key], args: args), name)
        if parts.first?.int == 1 { return .done }
        return .notOwner(try state(parts, from: 1, name))
    }

    private static func ms(_ d: Duration) -> [UInt8] { Array(String(wholeMilliseconds(d)).utf8) }

    private static func elements(_ reply: RESPValue, _ name: String) throws(RedisError) -> [RESPValue] {
        guard let parts = reply.elements, !parts.isEmpty else { throw malformed(name) }
        return parts
    }

    /// `holder, pttl` starting at `index`; the holder is nil (absent) when the lock is free.
    private static func state(_ parts: [RESPValue], from index: Int, _ name: String) throws(RedisError) -> LockState {
        guard parts.count >= index + 2 else { throw malformed(name) }
        let holder = parts[index]
        guard holder.isNull || holder.bytes != nil, let pttl = parts[index + 1].int else { throw malformed(name) }
        return LockState(owner: holder.isNull ? nil : holder.bytes, ttlMs: pttl)
    }

    private static func malformed(_ name: String) -> RedisError {
        .protocolViolation("unexpected reply from the lock \(name) script")
    }
}
