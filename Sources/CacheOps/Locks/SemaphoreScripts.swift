import RedisClient

/// The semaphore's server-side steps, each one atomic script over `SemaphoreKeys.all`:
/// KEYS[1] holders, KEYS[2] queue, KEYS[3] deadlines, KEYS[4] tickets, KEYS[5] fence.
/// Times come from the server (`TIME`), so clients with skewed clocks agree on who holds
/// a lease. Every script that writes first purges lapsed leases and lapsed places in the
/// queue, and leaves every key (but the fence counter) expiring when its last entry does,
/// so an abandoned semaphore leaves nothing behind.
public enum SemaphoreScripts {
    /// Shared Lua: the server clock, the purge, the live holders, the keys' expiry.
    static let prelude = """
        if redis.replicate_commands then redis.replicate_commands() end
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function purge(now)
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
          local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
          for _, m in ipairs(gone) do redis.call('ZREM', KEYS[2], m) end
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
        end
        local function expire_with_last(key, now)
          local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
          if last[2] then redis.call('PEXPIRE', key, math.max(1, tonumber(last[2]) - now + 1)) end
        end
        local function tidy(now)
          expire_with_last(KEYS[1], now)
          expire_with_last(KEYS[3], now)
          local left = redis.call('PTTL', KEYS[3])
          if left > 0 then
            redis.call('PEXPIRE', KEYS[2], left)
            if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], left) end
          else
            redis.call('DEL', KEYS[2], KEYS[4])
          end
        end
        local function state(now)
          local out = {redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf')}
          local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES')
          for i = 1, #live, 2 do
            out[#out + 1] = live[i]
            out[#out + 1] = tonumber(live[i + 1]) - now
          end
          return out
        end

        """

    /// ARGV: owner, lease ms, holder limit, queue-place ms, enqueue (1/0), the fence
    /// counter's earlier key or empty (see `LockScripts.drawToken`).
    /// A free slot goes to the first `free` places of the FIFO queue; a caller that is not
    /// queued takes one only when nobody waits ahead for it. With enqueue 1 a caller that
    /// has to wait draws a ticket (once) and keeps its place alive for queue-place ms.
    /// Returns `{1, token}`, or `{0, position, waiting, holder, pttl, …}` (position -1 when
    /// the owner already holds a lease: a grant is never silently repeated).
    public static let acquire = LuaScript(prelude + LockScripts.drawToken + """
        local now = now_ms()
        purge(now)
        local owner = ARGV[1]
        if redis.call('ZSCORE', KEYS[1], owner) then
          local s = state(now)
          table.insert(s, 1, -1)
          table.insert(s, 1, 0)
          return s
        end
        local free = tonumber(ARGV[3]) - redis.call('ZCARD', KEYS[1])
        local rank = redis.call('ZRANK', KEYS[2], owner)
        if not rank then
          if ARGV[5] == '1' then
            redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), owner)
            rank = redis.call('ZRANK', KEYS[2], owner)
          else
            rank = redis.call('ZCARD', KEYS[2])
          end
        end
        if rank < free then
          redis.call('ZREM', KEYS[2], owner)
          redis.call('ZREM', KEYS[3], owner)
          local token = draw_token(KEYS[5], ARGV[6])
          redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), owner)
          tidy(now)
          return {1, token}
        end
        if ARGV[5] == '1' then redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), owner) end
        tidy(now)
        local s = state(now)
        table.insert(s, 1, rank)
        table.insert(s, 1, 0)
        return s
        """)

    /// Owner-checked release (ARGV: owner). `{1}` or `{0, waiting, holder, pttl, …}`.
    public static let release = ownerChecked(if: "redis.call('ZREM', KEYS[1], ARGV[1]) == 1")

    /// Owner-checked renewal (ARGV: owner, lease ms): the lease then ends lease ms from
    /// now. `{1}` or `{0, waiting, holder, pttl, …}`.
    public static let extend = ownerChecked(if: "redis.call('ZSCORE', KEYS[1], ARGV[1])",
                                            then: "redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])")

    /// The shape of every owner-checked step: purge, then when `check` holds (it may make
    /// the change itself) run `change` and answer `{1}`; otherwise change nothing and
    /// answer `{0, waiting, holder, pttl, …}`. Either way the keys' expiry is tidied.
    private static func ownerChecked(if check: String, then change: String = "") -> LuaScript {
        LuaScript(prelude + """
            local now = now_ms()
            purge(now)
            if \(check) then
              \(change)
              tidy(now)
              return {1}
            end
            tidy(now)
            local s = state(now)
            table.insert(s, 1, 0)
            return s
            """)
    }

    /// A waiter that gives up leaves the queue at once (ARGV: owner). Returns 1.
    public static let leave = LuaScript(prelude + """
        local now = now_ms()
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        purge(now)
        tidy(now)
        return 1
        """)

    /// Read-only: `{waiting, holder, pttl, …}` over live leases and places only.
    public static let status = LuaScript(prelude + """
        return state(now_ms())
        """)
}
