import RedisClient

/// One atomic script per algorithm. Each takes KEYS[1] and ARGV = limit, window in ms,
/// cost, consume ('1' for check, '0' for status), then its own extra, and answers
/// `{allowed, total, remaining, resetMs, retryMs, repaired}`. Time comes from the
/// server (`TIME`) wherever it matters, so clients with skewed clocks agree. Public so
/// benchmarks can replay the exact workload through other clients.
public enum RateLimitScripts {
    /// The fixed-window counter applications keep: INCRBY and PEXPIRE together, so a
    /// counter never lives without a TTL; one found without (written by an older client)
    /// gets the window as its TTL. Denied requests are not counted. resetMs is -1 when
    /// status finds no TTL.
    public static let fixed = LuaScript("""
        local limit, window, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local raw = redis.call('GET', KEYS[1])
        local count = 0
        if raw then
          count = tonumber(raw)
          if not count then return redis.error_reply('ERR rate limit key does not hold a counter') end
        end
        local ttl = redis.call('PTTL', KEYS[1])
        local repaired = 0
        if ARGV[4] == '1' then
          if raw and ttl == -1 then
            redis.call('PEXPIRE', KEYS[1], window)
            ttl, repaired = window, 1
          end
          if count + cost <= limit then
            count = redis.call('INCRBY', KEYS[1], cost)
            if not raw then
              redis.call('PEXPIRE', KEYS[1], window)
              ttl = window
            end
            return {1, count, math.max(0, limit - count), ttl, 0, repaired}
          end
        end
        if ttl == -2 then ttl = 0 end
        local allowed = 0
        local retry = ttl
        if count + cost <= limit then allowed, retry = 1, 0 end
        return {allowed, count, math.max(0, limit - count), ttl, retry, repaired}
        """)

    /// An exact sliding log: one sorted-set member per unit of cost, scored with the
    /// server time in microseconds and made unique by ARGV[5] (a random nonce). A request
    /// fits when fewer than `limit` members are younger than the window. The set expires
    /// a window after its newest member.
    public static let sliding = LuaScript("""
        if redis.replicate_commands then redis.replicate_commands() end
        local limit, window, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local function num(x) return string.format('%.0f', x) end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local span = window * 1000
        local oldest = '(' .. num(now - span)
        if ARGV[4] == '1' then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', num(now - span)) end
        local count = redis.call('ZCOUNT', KEYS[1], oldest, '+inf')
        local allowed, retry = 0, 0
        if count + cost <= limit then
          allowed = 1
          if ARGV[4] == '1' then
            for i = 1, cost do
              redis.call('ZADD', KEYS[1], num(now), num(now) .. ':' .. ARGV[5] .. ':' .. i)
            end
            count = count + cost
            redis.call('PEXPIRE', KEYS[1], window)
          end
        else
          local k = count + cost - limit
          local entry = redis.call('ZRANGEBYSCORE', KEYS[1], oldest, '+inf', 'WITHSCORES', 'LIMIT', k - 1, 1)
          retry = math.ceil((tonumber(entry[2]) + span - now) / 1000)
        end
        local reset = 0
        local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        if count > 0 and newest[2] then reset = math.max(0, math.ceil((tonumber(newest[2]) + span - now) / 1000)) end
        return {allowed, count, math.max(0, limit - count), reset, retry, 0}
        """)

    /// GCRA (as redis-cell): the key holds the theoretical arrival time (TAT) in server
    /// microseconds. One request is "emitted" every window/limit; up to ARGV[5] (burst)
    /// may arrive at once. Integer microseconds keep the arithmetic exact in Lua's doubles.
    public static let gcra = LuaScript("""
        if redis.replicate_commands then redis.replicate_commands() end
        local limit, window, cost, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5])
        local function num(x) return string.format('%.0f', x) end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = math.max(1, math.floor(window * 1000 / limit))
        local capacity = interval * burst
        local raw = redis.call('GET', KEYS[1])
        local tat = now
        if raw then
          tat = tonumber(raw)
          if not tat then return redis.error_reply('ERR rate limit key does not hold a GCRA timestamp') end
          if tat < now then tat = now end
        end
        local newTat = tat + interval * cost
        local allowAt = newTat - capacity
        local allowed, retry = 0, 0
        if now >= allowAt then
          allowed = 1
          if ARGV[4] == '1' then
            redis.call('SET', KEYS[1], num(newTat), 'PX', math.ceil((newTat - now) / 1000))
            tat = newTat
          end
        else
          retry = math.ceil((allowAt - now) / 1000)
        end
        local remaining = math.min(burst, math.max(0, math.floor((now + capacity - tat) / interval)))
        return {allowed, burst - remaining, remaining, math.ceil((tat - now) / 1000), retry, 0}
        """)
}
