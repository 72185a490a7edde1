import RESP
import RedisClient

/// Atomic rate limits: `check` consumes, `status` only looks, `reset` forgets. Keys are
/// used as given (plus the connection's prefix, which the caller has applied).
public enum RateLimits {
    /// Counts `cost` units against `key` when they fit under the policy.
    public static func check(on connection: some KeyedCommands, key: [UInt8], policy: RateLimitPolicy,
                             cost: Int64 = 1) throws(RedisError) -> RateLimitResult {
        try run(on: connection, key: key, policy: policy, cost: cost, consume: true)
    }

    /// What a check of `cost` would answer now, without counting it or writing anything.
    public static func status(on connection: some KeyedCommands, key: [UInt8], policy: RateLimitPolicy,
                              cost: Int64 = 1) throws(RedisError) -> RateLimitResult {
        try run(on: connection, key: key, policy: policy, cost: cost, consume: false)
    }

    /// Every key matching `prefix` + `rate:IP:*`, by SCAN (never KEYS) on every primary,
    /// sorted and without the duplicates SCAN may return.
    public static func seedKeys(on client: RoutedClient, ip: [UInt8], prefix: [UInt8]) throws(RedisError) -> [[UInt8]] {
        let pattern = GlobPattern.escape(prefix + Array("rate:".utf8) + ip + [UInt8(ascii: ":")]) + [UInt8(ascii: "*")]
        var found = Set<[UInt8]>()
        for connection in try client.primaryConnections() {
            // Paced like every SCAN walk: each call sized to the node's load.
            var pacer = ScanPacer(node: connection, settings: PacingController.Settings())
            var cursor: [UInt8] = [UInt8(ascii: "0")]
            repeat {
                _ = pacer.adapt(shouldStop: { false })
                let page = try connection.scan(cursor: cursor, match: pattern, count: pacer.scanSent())
                found.formUnion(page.keys)
                cursor = page.cursor
            } while cursor != [UInt8(ascii: "0")]
        }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Those of `keys` that exist. One command per key, routed by key: these lists are a
    /// handful of endpoints, and a cluster spreads them over slots.
    public static func existing(on client: some KeyedCommands, _ keys: [[UInt8]]) throws(RedisError) -> [[UInt8]] {
        var found: [[UInt8]] = []
        for key in keys where try client.command([Array("EXISTS".utf8), key], key: key).int == 1 {
            found.append(key)
        }
        return found
    }

    /// Deletes `keys` one by one (routed by key, so no CROSSSLOT); returns how many existed.
    public static func delete(on client: some KeyedCommands, keys: [[UInt8]]) throws(RedisError) -> Int64 {
        var deleted: Int64 = 0
        for key in keys { deleted += min(1, try client.command([Array("DEL".utf8), key], key: key).quantity ?? 0) }
        return deleted
    }

    private static func run(on connection: some KeyedCommands, key: [UInt8], policy: RateLimitPolicy, cost: Int64,
                            consume: Bool) throws(RedisError) -> RateLimitResult {
        var args: [[UInt8]] = [ascii(policy.limit), ascii(wholeMilliseconds(policy.window)), ascii(cost),
                               consume ? [UInt8(ascii: "1")] : [UInt8(ascii: "0")]]
        let script: LuaScript
        switch policy.algorithm {
        case .fixed:
            script = RateLimitScripts.fixed
        case .sliding:
            script = RateLimitScripts.sliding
            args.append(nonce())
        case .gcra:
            script = RateLimitScripts.gcra
            args.append(ascii(policy.burst ?? policy.limit))
        }
        let reply = try connection.eval(script, keys: [key], args: args)
        guard let parts = reply.elements, parts.count == 6,
              let allowed = parts[0].int, let total = parts[1].int, let remaining = parts[2].int,
              let reset = parts[3].int, let retry = parts[4].int, let repaired = parts[5].int
        else { throw .protocolViolation("unexpected reply from the \(policy.algorithm.rawValue) rate limit script") }
        return RateLimitResult(allowed: allowed == 1, total: total, remaining: remaining, limit: policy.limit,
                               resetInMs: reset < 0 ? nil : reset,
                               retryAfterMs: allowed == 1 || retry < 0 ? nil : retry,
                               repairedTTL: repaired == 1)
    }

    private static func ascii(_ n: Int64) -> [UInt8] { Array(String(n).utf8) }

    /// 64 random bits in hex: with the server time, makes sliding-log members unique
    /// across clients.
    private static func nonce() -> [UInt8] {
        Array(String(UInt64.random(in: .min ... .max), radix: 16).utf8)
    }
}
