import RESP
import RedisClient

/// Whether the server may evict lock keys: under any `maxmemory-policy` but `noeviction`
/// a full server drops keys, and an evicted lock (or fencing counter) lets a second owner
/// in. Read from INFO `memory`, else `CONFIG GET`; both are optional.
public struct EvictionRisk: Sendable, Equatable {
    public var policy: String
    /// `maxmemory` in bytes; 0 means no limit, so nothing is evicted.
    public var maxMemory: Int64?

    /// True when keys with a TTL (locks) can be evicted.
    public var evictsLocks: Bool {
        policy != "noeviction" && maxMemory != 0
    }

    /// The policy, or nil (with the refusals in `facts`) when the server would not say.
    public static func read(on connection: RedisConnection, facts: inout OptionalFacts) throws(RedisError) -> EvictionRisk? {
        let info = try facts.attempt("INFO", provides: "the eviction policy") { () throws(RedisError) in
            ServerInfo(try connection.command("INFO", "memory").string ?? "")
        }
        if let info, let policy = info["maxmemory_policy"] {
            return EvictionRisk(policy: policy, maxMemory: info.int("maxmemory"))
        }
        let reply = try facts.attempt("CONFIG GET", provides: "the eviction policy") { () throws(RedisError) in
            try connection.command("CONFIG", "GET", "maxmemory*")
        }
        guard let items = reply.flatMap({ pairs($0) }), let policy = items["maxmemory-policy"] else { return nil }
        return EvictionRisk(policy: policy, maxMemory: items["maxmemory"].flatMap { Int64($0) })
    }

    /// CONFIG GET answers a flat array in RESP2 and a map in RESP3.
    private static func pairs(_ reply: RESPValue) -> [String: String]? {
        if let elements = reply.elements {
            var out: [String: String] = [:]
            var i = 0
            while i + 1 < elements.count {
                if let k = elements[i].string, let v = elements[i + 1].string { out[k] = v }
                i += 2
            }
            return out
        }
        if case .map(let list) = reply {
            var out: [String: String] = [:]
            for pair in list { if let k = pair.key.string, let v = pair.value.string { out[k] = v } }
            return out
        }
        return nil
    }
}
