import RedisClient

/// The cache's server-side steps that must be atomic.
public enum CacheScripts {
    /// The stampede lock, as `LockScripts.acquire` but without a fencing counter: a counter
    /// kept forever for every cached key would be the never-expiring key a cache must not
    /// leave behind. The owner-checked `store` is the fence instead. KEYS[1] the lock,
    /// ARGV[1] the owner, ARGV[2] ms. `{1}` or `{0, holder, pttl}`.
    public static let acquire = LuaScript("""
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          return {1}
        end
        return {0, redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
        """)

    /// Writes the value for ARGV[3] ms only while ARGV[1] still holds the stampede lock,
    /// so a runner whose lock expired never overwrites a newer value; with KEYS[3] and
    /// ARGV[4] > 0 also the stale copy for ARGV[4] ms. KEYS[1] lock, KEYS[2] value.
    /// `{1}` or `{0, holder, pttl}`.
    public static let store = LuaScript("""
        local holder = redis.call('GET', KEYS[1])
        if holder ~= ARGV[1] then
          return {0, holder, redis.call('PTTL', KEYS[1])}
        end
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
        if KEYS[3] and tonumber(ARGV[4]) > 0 then
          redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[4])
        end
        return {1}
        """)
}
