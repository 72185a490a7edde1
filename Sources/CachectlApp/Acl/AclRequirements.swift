/// Which Redis commands each cachectl subcommand sends, split into the ones it cannot work
/// without (core) and the ones it skips with a warning when refused (optional). The one
/// table behind `cachectl acl`, the NOPERM explanations and the README's permission table.
struct AclRequirements: Equatable {
    /// ACL rule words without the `+`: `scan`, `memory|usage`.
    var core: [String]
    var optional: [String]
    /// Key patterns (without `~`) the subcommand touches when no --prefix scopes it; nil
    /// when it touches whatever keys the user names.
    var namespaces: [String]?
    /// Channels (without `&`) it subscribes or publishes to by default.
    var channels: [String] = []

    /// Sent while connecting by every subcommand: naming the client and finding out
    /// whether the server is a cluster (and following it when it is).
    static let connection = ["client|setname", "cluster|myid", "cluster|slots", "asking"]

    static let lockScripts = ["evalsha", "eval", "set", "get", "del", "exists", "incr", "pexpire", "pttl"]
    /// The semaphore scripts' commands beyond the lock's (`lock … --holders N`).
    static let semaphoreScripts = ["time", "zadd", "zrem", "zscore", "zrank", "zcard", "zcount", "zrange",
                                   "zrangebyscore", "zremrangebyscore"]
    /// `keys show` (type, length, bounded preview) and `keys expire` beyond the scan.
    static let keyCare = ["type", "strlen", "getrange", "hlen", "hscan", "scard", "sscan", "zcard", "zrange",
                          "llen", "lrange", "xlen", "xrange", "pexpire", "exists"]
    static let rateLimitScripts = ["evalsha", "eval", "get", "set", "incrby", "pexpire", "pttl", "time",
                                   "zadd", "zcount", "zrange", "zrangebyscore", "zremrangebyscore"]

    /// The subcommands `cachectl acl` knows, in the order their rules are printed.
    static let names = ["health", "keys", "invalidate", "cache", "lock", "ratelimit", "watch", "session", "bench"]

    static func of(_ command: String) -> AclRequirements? {
        switch command {
        case "health":
            return AclRequirements(core: ["ping"],
                                   optional: ["info", "slowlog|len", "slowlog|get", "cluster|info", "role"], namespaces: [])
        case "keys":
            return AclRequirements(core: ["scan", "pttl"] + keyCare, optional: ["memory|usage", "object|encoding", "info"],
                                   namespaces: nil)
        case "invalidate":
            // SREM in MULTI/EXEC with each UNLINK keeps a tag set's unhandled members listed;
            // INFO stats/commandstats paces the deletions to what other clients feel.
            return AclRequirements(core: ["scan", "unlink", "sscan", "srem", "multi", "exec", "exists"],
                                   optional: ["dbsize", "command|info", "publish", "info"], namespaces: nil)
        case "cache":
            // get: GET (PTTL with --json); set: SET; fetch: its read, stampede-lock and
            // store scripts (GET, PTTL, SET), the lock's renewal (PEXPIRE) and release (DEL),
            // and GET of the stale copy. TYPE only names the type behind a WRONGTYPE.
            return AclRequirements(core: ["get", "set", "pttl", "evalsha", "eval", "pexpire", "del"],
                                   optional: ["type"], namespaces: nil)
        case "lock":
            return AclRequirements(core: lockScripts + semaphoreScripts, optional: ["info"],
                                   namespaces: ["lock:*", "fence:*", "semaphore:*"])
        case "ratelimit":
            return AclRequirements(core: rateLimitScripts + ["scan", "exists", "del"], optional: ["info"], namespaces: nil)
        case "watch":
            // PING proves a quiet subscription is alive; the channels are the default ones.
            return AclRequirements(core: ["subscribe", "psubscribe", "ping"], optional: [], namespaces: [],
                                   channels: ["cache:invalidate", "sessions:invalidate", "permissions:invalidate"])
        case "session":
            // revoke first sends UNLINK to a key that cannot exist (Invalidation.deleteCommand:
            // is UNLINK or only DEL allowed?); outside ~session:* the server refuses the key and
            // the ACL LOG records it on every run.
            return AclRequirements(core: ["sscan", "scard", "pttl", "exists", "unlink", "srem", "multi", "exec", "publish"],
                                   optional: ["command|info", "info"], namespaces: ["session:*", "cachectl:unlink-probe:*"],
                                   channels: ["sessions:invalidate"])
        case "bench":
            return AclRequirements(core: ["ping", "set", "get", "incr", "dbsize", "scan", "unlink"] + lockScripts
                                   + rateLimitScripts, optional: ["script|load"], namespaces: ["bench:*"])
        default:
            return nil
        }
    }

    /// Commands that may stand in for one another when the first is refused or missing.
    static func alternatives(of command: String) -> [String] {
        switch command {
        case "unlink": return ["del"]
        case "del": return ["unlink"]
        case "evalsha": return ["eval"]
        case "eval": return ["evalsha"]
        default: return []
        }
    }
}
