import RESP
import RedisClient

/// Cache-aside on plain string keys, compatible with applications' `get`/`setex`/`getOrSet`.
public enum Cache {
    /// GET, and with `withTTL` the remaining time (PTTL, a second round trip: a script
    /// could read both at once, but its reply may not carry a 512 MB value). nil when the
    /// key is absent; 0 left when it expired between the two reads.
    public static func get(on connection: some KeyedCommands, key: [UInt8],
                           withTTL: Bool) throws(RedisError) -> CacheEntry? {
        let reply = try connection.command([Array("GET".utf8), key], key: key)
        guard let value = reply.bytes else { return nil }
        guard withTTL else { return CacheEntry(value: value, ttlMs: nil) }
        let pttl = try connection.command([Array("PTTL".utf8), key], key: key).int ?? -1
        return CacheEntry(value: value, pttl: pttl)
    }

    /// The key's type (`TYPE`), to name what a WRONGTYPE met; nil when it cannot be read.
    public static func typeName(on connection: some KeyedCommands, key: [UInt8]) -> String? {
        (try? connection.command([Array("TYPE".utf8), key], key: key))?.string
    }

    /// SET with PX, or without a TTL when `ttl` is nil (which also clears an earlier TTL).
    public static func set(on connection: some KeyedCommands, key: [UInt8], value: [UInt8],
                           ttl: Duration?) throws(RedisError) {
        var args = [Array("SET".utf8), key, value]
        if let ttl { args += [Array("PX".utf8), ms(ttl)] }
        try connection.command(args, key: key)
    }

    /// One attempt at the stampede lock (SET NX PX, no fencing counter).
    public static func tryLock(on connection: some KeyedCommands, keys: LockKeys, owner: [UInt8],
                               ttl: Duration) throws(RedisError) -> LockState? {
        let parts = try connection.eval(CacheScripts.acquire, keys: [keys.key], args: [owner, ms(ttl)]).elements ?? []
        if parts.first?.int == 1 { return nil }
        return try state(parts, "acquire")
    }

    /// Writes the value (and the stale copy when `staleMs` > 0) only while `owner` holds
    /// the lock. nil when written, else who holds the lock now.
    public static func store(on connection: some KeyedCommands, keys: CacheKeys, owner: [UInt8], value: [UInt8],
                             ttl: Duration, staleTTL: Duration?) throws(RedisError) -> LockState? {
        var names = [keys.lock.key, keys.value]
        var args = [owner, value, ms(ttl)]
        if let staleTTL {
            names.append(keys.stale)
            args.append(ms(staleTTL))
        }
        let parts = try connection.eval(CacheScripts.store, keys: names, args: args).elements ?? []
        if parts.first?.int == 1 { return nil }
        return try state(parts, "store")
    }

    static func ms(_ d: Duration) -> [UInt8] { Array(String(wholeMilliseconds(d)).utf8) }

    private static func state(_ parts: [RESPValue], _ name: String) throws(RedisError) -> LockState {
        guard parts.count == 3, parts[0].int == 0, let pttl = parts[2].int else { throw malformed(name) }
        return LockState(owner: parts[1].isNull ? nil : parts[1].bytes, ttlMs: pttl)
    }

    static func malformed(_ name: String) -> RedisError {
        .protocolViolation("unexpected reply from the cache \(name) script")
    }
}
