import RedisClient

// PROVISIONAL — to be replaced by issue-4's scripts (CacheOps/Locks, CacheOps/RateLimits)
// once that branch is merged, so that `bench -t lock,ratelimit` measures exactly what
// `cachectl lock` and `cachectl ratelimit` run. Until then these follow the seeds:
// a lock is `SET key owner NX PX ttl` released by compare-and-delete, and a rate limit is
// a fixed window (INCR, EXPIRE on the first hit) answering `{allowed, remaining, resetIn,
// total, limit}`.
enum ProvisionalScripts {
    /// KEYS[1] lock, ARGV[1] owner token: 1 when released, 0 when held by someone else or gone.
    static let lockRelease = LuaScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """)

    /// KEYS[1] counter, ARGV[1] limit, ARGV[2] window in seconds.
    static let rateLimitCheck = LuaScript("""
        local total = redis.call('INCR', KEYS[1])
        if total == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
        local limit = tonumber(ARGV[1])
        local resetIn = redis.call('TTL', KEYS[1])
        local remaining = limit - total
        if remaining < 0 then remaining = 0 end
        return {total <= limit and 1 or 0, remaining, resetIn, total, limit}
        """)
}
