import RedisClient

/// `getOrSet` with a stampede lock: on a miss exactly one caller computes the value
/// while the others poll for it (up to `wait`), then read what it stored.
public enum CacheFetch {
    /// Runs the whole protocol. `compute` is called only while this caller holds the
    /// stampede lock (it should renew it for long computations, see `LockRenewer`); the
    /// lock is released afterwards, whatever `compute` does. Untyped `throws`: errors of
    /// `compute` pass through unchanged, the rest are `RedisError`.
    public static func fetch(on connection: some KeyedCommands, keys: CacheKeys, policy: FetchPolicy,
                             owner: [UInt8] = LockOwner.generate(),
                             compute: (CacheLockGrant) throws -> Computation) throws -> FetchOutcome {
        let clock = ContinuousClock()
        let deadline = clock.now + policy.wait
        var backoff = LockBackoff()
        while true {
            if let entry = try Cache.get(on: connection, key: keys.value, withTTL: true) {
                guard let window = policy.refreshWindow, let left = entry.ttlMs, left < wholeMilliseconds(window) else {
                    return .hit(entry)
                }
                return try refreshAhead(connection, keys, policy, owner, current: entry, compute: compute)
            }
            let sentAt = clock.now
            guard let holder = try Cache.tryLock(on: connection, keys: keys.lock, owner: owner, ttl: policy.lockTTL) else {
                let grant = CacheLockGrant(keys: keys.lock, owner: owner, ttl: policy.lockTTL, sentAt: sentAt)
                return try whileLocked(connection, keys, owner) { () throws -> FetchOutcome in
                    // Somebody may have stored the value between our read and our lock.
                    if let entry = try Cache.get(on: connection, key: keys.value, withTTL: true) { return .hit(entry) }
                    return try computeAndStore(connection, keys, policy, grant, compute: compute, onFailure: { status, output in
                        try staleOrFailed(connection, keys, policy, status: status, output: output)
                    })
                }
            }
            let now = clock.now
            if now >= deadline {
                if policy.staleFor != nil, let stale = try staleCopy(connection, keys) { return .stale(stale, status: nil) }
                return .timedOut(holder)
            }
            var delay = min(backoff.nextDelay(), deadline - now)
            if let left = holder.ttlMs, left >= 0 { delay = min(delay, .milliseconds(left + 1)) }
            pause(delay)
        }
    }

    /// The value is valid but about to expire: whoever gets the lock without waiting
    /// recomputes; everybody else (and the refresher, should CMD fail) serves `current`.
    private static func refreshAhead(_ connection: some KeyedCommands, _ keys: CacheKeys, _ policy: FetchPolicy,
                                     _ owner: [UInt8], current: CacheEntry,
                                     compute: (CacheLockGrant) throws -> Computation) throws -> FetchOutcome {
        let sentAt = ContinuousClock.now
        guard try Cache.tryLock(on: connection, keys: keys.lock, owner: owner, ttl: policy.lockTTL) == nil else {
            return .hit(current)
        }
        let grant = CacheLockGrant(keys: keys.lock, owner: owner, ttl: policy.lockTTL, sentAt: sentAt)
        return try whileLocked(connection, keys, owner) { () throws -> FetchOutcome in
            // Refreshed by the previous lock holder a moment ago: nothing left to do.
            if let entry = try Cache.get(on: connection, key: keys.value, withTTL: true),
               let window = policy.refreshWindow, entry.ttlMs.map({ $0 >= wholeMilliseconds(window) }) ?? true {
                return .hit(entry)
            }
            return try computeAndStore(connection, keys, policy, grant, compute: compute, onFailure: { status, _ in
                .refreshFailed(current, status: status)
            })
        }
    }

    private static func computeAndStore(_ connection: some KeyedCommands, _ keys: CacheKeys, _ policy: FetchPolicy,
                                        _ grant: CacheLockGrant, compute: (CacheLockGrant) throws -> Computation,
                                        onFailure: (Int32, [UInt8]) throws -> FetchOutcome) throws -> FetchOutcome {
        switch try compute(grant) {
        case .succeeded(let value):
            let staleTTL = policy.staleFor.map { policy.ttl + $0 }
            let holder = try Cache.store(on: connection, keys: keys, owner: grant.owner, value: value,
                                         ttl: policy.ttl, staleTTL: staleTTL)
            return .computed(value, stored: holder == nil)
        case .failed(let status, let output):
            return try onFailure(status, output)
        }
    }

    private static func staleOrFailed(_ connection: some KeyedCommands, _ keys: CacheKeys, _ policy: FetchPolicy,
                                      status: Int32, output: [UInt8]) throws -> FetchOutcome {
        if policy.staleFor != nil, let stale = try staleCopy(connection, keys) { return .stale(stale, status: status) }
        return .failed(status: status, output: output)
    }

    private static func staleCopy(_ connection: some KeyedCommands, _ keys: CacheKeys) throws(RedisError) -> [UInt8]? {
        let reply = try connection.command([Array("GET".utf8), keys.stale], key: keys.stale)
        return reply.isNull ? nil : reply.bytes
    }

    /// Runs `body` and releases the lock (owner-checked) however it ends; a failed release
    /// only leaves the lock to expire on its own.
    private static func whileLocked(_ connection: some KeyedCommands, _ keys: CacheKeys, _ owner: [UInt8],
                                    _ body: () throws -> FetchOutcome) throws -> FetchOutcome {
        defer { _ = try? Locks.release(on: connection, keys: keys.lock, owner: owner) }
        return try body()
    }
}
