import RedisClient

/// The lock's server-side steps, each one atomic script so that no check can be
/// separated from the write it guards. KEYS[1] is the lock key, KEYS[2] its fence counter.
/// Public so benchmarks can replay the exact workload through other clients.
public enum LockScripts {
    /// Grants the lock to ARGV[1] for ARGV[2] ms when nobody holds it (`SET NX PX`) and
    /// draws the next fencing token in the same step. The token is drawn before the
    /// write so a broken counter fails the call without leaving a lock behind.
    /// Returns `{1, token}`, or `{0, holder, pttl}`. ARGV[3]: the counter's earlier key
    /// (see `drawToken`), or empty.
    public static let acquire = LuaScript(drawToken + """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          local token = draw_token(KEYS[2], ARGV[3])
          redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
          return {1, token}
        end
        return {0, redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
        """)

    /// Lua: `draw_token(counter, legacy)` increments the fencing counter. A counter not yet
    /// there first takes the value of its earlier layout's key (`legacy`,
    /// `{PREFIX lock:NAME}:fence`, same slot) when that holds a positive count INCR can add
    /// to, so tokens never go back after an upgrade; anything else there (text, `007`, 20
    /// digits) is ignored, never copied (a copied bad value would fail every later INCR).
    /// The old key is read with `pcall` and undeclared: a user whose ACL rules do not cover
    /// it (it lies outside `~PREFIX*`) still gets the lock, and the server's ACL LOG notes
    /// the refused read once per new lock name. Read once, when the new counter is created:
    /// clients of the earlier version that keep running go on counting on the old key, so
    /// upgrade every client of a lock together. Effects replication, so a replica never
    /// re-reads the old key with other permissions than the primary had.
    static let drawToken = """
        if redis.replicate_commands then redis.replicate_commands() end
        local function draw_token(counter, legacy)
          if legacy ~= '' and redis.call('EXISTS', counter) == 0 then
            local old = redis.pcall('GET', legacy)
            -- A positive count INCR can still add to (at most 18 digits), nothing else.
            if type(old) == 'string' and #old <= 18 and string.match(old, '^[1-9]%d*$') then
              redis.call('SET', counter, old)
            end
          end
          return redis.call('INCR', counter)
        end

        """

    /// Compare-and-delete: only the owner ARGV[1] may release. `{1}` or `{0, holder, pttl}`.
    public static let release = LuaScript("""
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return {1}
        end
        return {0, holder, redis.call('PTTL', KEYS[1])}
        """)

    /// Compare-and-PEXPIRE: replaces the TTL with ARGV[2] ms only for the owner ARGV[1].
    /// `{1}` or `{0, holder, pttl}`.
    public static let extend = LuaScript("""
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {1}
        end
        return {0, holder, redis.call('PTTL', KEYS[1])}
        """)

    /// Holder and remaining time read together, so they describe the same moment.
    /// `{holder, pttl}` (holder nil when free).
    public static let status = LuaScript("""
        return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
        """)
}
