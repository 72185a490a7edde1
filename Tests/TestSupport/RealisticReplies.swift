import RESP

/// Replies shaped like a Redis 7 standalone primary's, for every command cachectl sends:
/// the fake server's default, which fault-injection tests then delay, cut or mutate.
public enum RealisticReplies {
    public static let info = """
        # Server\r
        redis_version:7.0.15\r
        redis_mode:standalone\r
        os:Linux 6.1.0 x86_64\r
        uptime_in_seconds:86400\r
        # Clients\r
        connected_clients:3\r
        maxclients:10000\r
        # Memory\r
        used_memory:1048576\r
        used_memory_human:1.00M\r
        used_memory_rss:1310720\r
        maxmemory:0\r
        maxmemory_human:0B\r
        maxmemory_policy:noeviction\r
        mem_fragmentation_ratio:1.25\r
        # Stats\r
        total_connections_received:10\r
        rejected_connections:0\r
        expired_keys:5\r
        evicted_keys:0\r
        keyspace_hits:90\r
        keyspace_misses:10\r
        # Replication\r
        role:master\r
        connected_slaves:0\r
        # Cluster\r
        cluster_enabled:0\r
        # Keyspace\r
        db0:keys=3,expires=1,avg_ttl=5000\r

        """

    /// The keys the fake keyspace holds.
    public static let keys = ["p:1", "p:2", "lock:job"]

    /// The reply a healthy server would give to `command`; with `clusterPort`, a
    /// one-node cluster at 127.0.0.1 on that port owning every slot.
    public static func reply(to command: FakeCommand, clusterPort: Int? = nil) -> RESPValue {
        let args = command.arguments
        if let port = clusterPort {
            switch command.name {
            case "INFO":
                return .bulkString(Array(info.replacingOccurrences(of: "cluster_enabled:0", with: "cluster_enabled:1").utf8))
            case "CLUSTER SLOTS":
                return .array([.array([.integer(0), .integer(16383),
                                       .array([.bulk("127.0.0.1"), .integer(Int64(port)), .bulk(String(repeating: "f", count: 40))])])])
            case "CLUSTER INFO":
                return .bulk("cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n"
                             + "cluster_slots_fail:0\r\ncluster_known_nodes:1\r\ncluster_size:1\r\n")
            case "READONLY": return .simpleString(RESPWireOK.ok)
            default: break
            }
        }
        if command.isQueued { return .simpleString(Array("QUEUED".utf8)) }
        switch command.name {
        case "MULTI": return .simpleString(RESPWireOK.ok)
        case "EXEC":
            // The queued commands' replies, in order, as the transaction ran them.
            guard let queued = command.transaction else { return .error(Array("ERR EXEC without MULTI".utf8)) }
            var unqueued = queued
            for i in unqueued.indices { unqueued[i].isQueued = false }
            return .array(unqueued.map { reply(to: $0, clusterPort: clusterPort) })
        case "DISCARD":
            return command.transaction == nil ? .error(Array("ERR DISCARD without MULTI".utf8)) : .simpleString(RESPWireOK.ok)
        case "SREM", "SADD": return .integer(Int64(max(0, args.count - 2)))
        case "SCARD": return .integer(Int64(keys.count))
        case "HELLO":
            return .map([RESPPair(.bulk("server"), .bulk("redis")), RESPPair(.bulk("version"), .bulk("7.0.15")),
                         RESPPair(.bulk("proto"), .integer(3)), RESPPair(.bulk("id"), .integer(7)),
                         RESPPair(.bulk("mode"), .bulk("standalone")), RESPPair(.bulk("role"), .bulk("master")),
                         RESPPair(.bulk("modules"), .array([]))])
        case "PING": return .simpleString(Array("PONG".utf8))
        case "INFO": return .bulkString(Array(info.utf8))
        case "DBSIZE": return .integer(Int64(keys.count))
        case "SCAN", "SSCAN":
            let page = keys.map { RESPValue.bulk($0) }
            return .array([.bulk("0"), .array(page)])
        case "TYPE": return .simpleString(Array("string".utf8))
        case "TTL": return .integer(5)
        case "PTTL": return .integer(5000)
        case "MEMORY USAGE": return .integer(56)
        case "EXISTS": return .integer(1)
        case "UNLINK", "DEL": return .integer(Int64(max(0, args.count - 1)))
        case "GET": return .bulk("node1:1234:abc")
        case "PUBLISH": return .integer(0)
        case "SLOWLOG LEN": return .integer(2)
        case "SCRIPT LOAD": return .bulk(String(repeating: "a", count: 40))
        case "CLUSTER SLOTS", "CLUSTER SHARDS", "CLUSTER NODES", "CLUSTER INFO":
            return .error(Array("ERR This instance has cluster support disabled".utf8))
        case "EVALSHA", "EVAL":
            let key = args.count > 3 ? String(decoding: args[3], as: UTF8.self) : ""
            if !key.contains("lock:") {
                // allowed, total, remaining, reset (ms), retry-after (ms), repaired
                return .array([.integer(1), .integer(1), .integer(99), .integer(60_000), .integer(0), .integer(0)])
            }
            if args.count <= 4 {  // status: holder, PTTL
                return .array([.bulk("node1:1234:abc"), .integer(25_000)])
            }
            return .array([.integer(1), .integer(1)])  // acquired, fencing token
        case "SET", "SETEX", "AUTH", "SELECT", "CLIENT SETNAME", "FLUSHDB": return .simpleString(RESPWireOK.ok)
        case "INCR", "INCRBY": return .integer(1)
        default:
            return .error(Array("ERR unknown command '\(command.text.first ?? "")'".utf8))
        }
    }
}

private enum RESPWireOK {
    static let ok = Array("OK".utf8)
}
