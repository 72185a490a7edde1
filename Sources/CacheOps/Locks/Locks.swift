import RESP
import RedisClient

/// Owner-checked distributed locks compatible with the applications' lock keys: the lock
/// key holds the owner string and expires on its own; every change is one atomic script.
public enum Locks {
    public static func acquire(on connection: some KeyedCommands, keys: LockKeys, owner: [UInt8],
                               ttl: Duration) throws(RedisError) -> LockAttempt {
        let reply = try connection.eval(LockScripts.acquire, keys: [keys.key, keys.fenceKey],
                                        args: [owner, LockScriptReply.ms(ttl), keys.legacyFenceKey ?? []])
        let parts = try parse.elements(reply, "acquire")
        if let token = try parse.grantedToken(parts, "acquire") { return .acquired(token: token) }
        return .held(try state(parts, from: 1, "acquire"))
    }

    /// Retries until `wait` has passed, sleeping by `backoff` (exponential with jitter) but
    /// never past the holder's expiry or the deadline, so a lock that frees up is taken
    /// promptly. `wait` zero makes one attempt. `sentAt` is when the last attempt was sent:
    /// a granted lock lives at least until `sentAt + ttl`.
    public static func acquire(on connection: some KeyedCommands, keys: LockKeys, owner: [UInt8], ttl: Duration,
                               wait: Duration, backoff: inout LockBackoff)
        throws(RedisError) -> (attempt: LockAttempt, sentAt: ContinuousClock.Instant) {
        try AcquireRetry.run(wait: wait, backoff: &backoff) { () throws(RedisError) in
            try acquire(on: connection, keys: keys, owner: owner, ttl: ttl)
        } verdict: { attempt in
            guard case .held(let state) = attempt else { return .stop }
            return .retry(freesInMs: state.ttlMs)
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
        try ownerChecked(LockScripts.extend, "extend", connection, keys, args: [owner, LockScriptReply.ms(ttl)])
    }

    public static func status(on connection: some KeyedCommands, keys: LockKeys) throws(RedisError) -> LockState {
        let reply = try connection.eval(LockScripts.status, keys: [keys.key], args: [])
        return try state(try parse.elements(reply, "status"), from: 0, "status")
    }

    // MARK: Replies

    private static let parse = LockScriptReply(kind: "lock")

    private static func ownerChecked(_ script: LuaScript, _ name: String, _ connection: some KeyedCommands,
                                     _ keys: LockKeys, args: [[UInt8]]) throws(RedisError) -> OwnerCheck {
        guard let found = try parse.ownerChecked(script, name, connection, keys: [keys.key], args: args,
                                                 state: state) else { return .done }
        return .notOwner(found)
    }

    /// `holder, pttl` starting at `index`; the holder is nil (absent) when the lock is free.
    private static func state(_ parts: [RESPValue], from index: Int, _ name: String) throws(RedisError) -> LockState {
        guard parts.count >= index + 2 else { throw parse.malformed(name) }
        let holder = parts[index]
        guard holder.isNull || holder.bytes != nil, let pttl = parts[index + 1].int else { throw parse.malformed(name) }
        return LockState(owner: holder.isNull ? nil : holder.bytes, ttlMs: pttl)
    }
}
