import RESP

/// How much each command's reply may take (see `RESPBudget`): a count or a status needs a
/// few bytes, a page of SCAN keys about what its COUNT asks for, INFO and cluster maps
/// some megabytes. A peer that sends more, or never stops sending, has the connection
/// dropped with a protocol error instead of growing memory without bound.
enum ReplyBudget {
    /// Counts, statuses, TTLs.
    static let scalar = RESPBudget(maxBytes: 64 << 10, maxElements: 64)
    /// A value read back (a lock's owner, a hash field, an echo).
    static let value = RESPBudget(maxBytes: 8 << 20, maxElements: 64)
    /// A whole string read back: `cache get` and `cache fetch` print cached values, and
    /// Redis keeps strings up to 512 MB (proto-max-bulk-len's default). That much, plus
    /// the bulk header, is still a bound.
    static let cachedString = RESPBudget(maxBytes: (512 << 20) + 64, maxElements: 1)
    /// A script's result: cachectl's scripts answer a few values, but a list is possible.
    static let script = RESPBudget(maxBytes: 8 << 20, maxElements: 1 << 16)
    /// Server descriptions: INFO, CLUSTER SLOTS/NODES, SENTINEL, HELLO, ROLE, SLOWLOG LEN.
    static let metadata = RESPBudget(maxBytes: 16 << 20, maxElements: 1 << 20)
    /// Anything else: generous, still bounded.
    static let other = RESPBudget(maxBytes: 64 << 20, maxElements: 1 << 20)

    /// The budget for the reply to `args`, chosen by command name (and COUNT for scans).
    static func forCommand(_ args: [[UInt8]]) -> RESPBudget {
        guard let name = args.first.map(upper) else { return other }
        switch name {
        case "UNLINK", "DEL", "EXISTS", "DBSIZE", "TTL", "PTTL", "EXPIRE", "PEXPIRE", "PERSIST", "TYPE",
             "PING", "SETEX", "PSETEX", "INCR", "INCRBY", "DECR", "AUTH", "SELECT", "SADD", "SREM", "SCARD",
             "PUBLISH", "ASKING", "READONLY", "QUIT", "WATCH", "UNWATCH", "MULTI", "DISCARD", "FLUSHDB", "OBJECT":
            return scalar
        case "MEMORY":
            return args.count > 1 && upper(args[1]) == "USAGE" ? scalar : metadata
        case "CLIENT":
            return args.count > 1 && upper(args[1]) == "LIST" ? metadata : scalar
        case "GET", "GETDEL", "GETEX":
            return cachedString
        case "GETSET", "SET", "HGET", "LINDEX", "ECHO":
            return value
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "SCRIPT", "FUNCTION":
            return script
        case "SLOWLOG":
            // GET reads a whole log (health asks for up to 10,000 entries of up to 33
            // elements and a few KB each); LEN and the rest are small.
            return args.count > 1 && upper(args[1]) == "GET" ? other : metadata
        case "INFO", "CLUSTER", "SENTINEL", "HELLO", "ROLE", "CONFIG", "COMMAND", "ACL",
             "LATENCY", "MODULE":
            return metadata
        case "SCAN", "SSCAN", "HSCAN", "ZSCAN":
            return scanPage(args)
        default:
            return other
        }
    }

    /// A scan page: the cursor and about COUNT keys (values too for HSCAN/ZSCAN). Redis may
    /// return several times COUNT from a crowded bucket, so the bound is generous.
    private static func scanPage(_ args: [[UInt8]]) -> RESPBudget {
        var count = 10
        if let at = args.firstIndex(where: { upper($0) == "COUNT" }), at + 1 < args.count,
           let n = Int(String(decoding: args[at + 1], as: UTF8.self)), n > 0 {
            count = min(n, 1 << 20)
        }
        return RESPBudget(maxBytes: 64 << 20, maxElements: 8 * count + 65_536)
    }

    private static func upper(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(16).map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    }
}
