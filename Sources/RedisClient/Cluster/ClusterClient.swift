import RESP
#if canImport(Glibc)
import Glibc
#endif

/// Routes commands across a Redis Cluster: by key slot, following `MOVED` (with a topology
/// refresh) and `ASK` (with `ASKING`), and retrying `TRYAGAIN`, `CLUSTERDOWN` and `LOADING`
/// with bounded backoff. Fan-out operations take `primaries` and talk to each node directly.
public final class ClusterClient {
    public let config: ConnectionConfig
    public private(set) var topology: ClusterTopology
    private var connections: [Endpoint: RedisConnection] = [:]
    private let seedHost: String

    /// How many redirections or retries one command may take before giving up.
    public var maxAttempts = 8

    /// Connects to the node in `config`, reads the slot map and keeps that connection.
    public init(seed: RedisConnection) throws(RedisError) {
        config = seed.config
        if case .tcp(let host, _) = seed.config.endpoint { seedHost = host } else { seedHost = "127.0.0.1" }
        topology = try Self.readTopology(from: seed, defaultHost: seedHost)
        connections[seed.config.endpoint] = seed
    }

    /// A client for the same cluster with connections of its own, for work that must not
    /// share a connection with replies still in flight.
    public func sibling() throws(RedisError) -> ClusterClient {
        var seedConfig = config
        if let first = topology.primaries.first { seedConfig.endpoint = first }
        return try ClusterClient(seed: try RedisConnection.connect(seedConfig))
    }

    /// True when `connection` talks to a cluster node (INFO `cluster_enabled:1`).
    public static func isClusterNode(_ connection: RedisConnection) throws(RedisError) -> Bool {
        let info = try connection.command("INFO", "cluster").string ?? ""
        return info.contains("cluster_enabled:1")
    }

    public var primaries: [Endpoint] { topology.primaries }

    /// The connection to `endpoint`, opened (with the same credentials and TLS) on first use.
    public func connection(to endpoint: Endpoint) throws(RedisError) -> RedisConnection {
        if let c = connections[endpoint] { return c }
        var nodeConfig = config
        nodeConfig.endpoint = endpoint
        if var tls = nodeConfig.tls, tls.serverName == nil, case .tcp(let host, _) = config.endpoint {
            // Certificates usually name the address users configured, not every node's IP.
            tls.serverName = host
            nodeConfig.tls = tls
        }
        let c = try RedisConnection.connect(nodeConfig)
        connections[endpoint] = c
        return c
    }

    /// Re-reads the slot map from any reachable node.
    public func refreshTopology() throws(RedisError) {
        var lastError: RedisError = .connectionFailed(endpoint: config.endpoint.display, reason: "no cluster node reachable")
        for endpoint in [config.endpoint] + topology.primaries {
            do {
                topology = try Self.readTopology(from: try connection(to: endpoint), defaultHost: seedHost)
                return
            } catch {
                connections[endpoint] = nil
                lastError = error
            }
        }
        throw lastError
    }

    /// Runs a command whose slot is decided by `key`; error replies are thrown.
    @discardableResult
    public func command(_ args: [[UInt8]], key: [UInt8]) throws(RedisError) -> RESPValue {
        let reply = try send(args, slot: KeySlot.slot(for: key))
        if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
        return reply
    }

    /// Sends a command to the node serving `slot`, following redirections; returns the final
    /// reply, which may be an error reply other than a redirection.
    public func send(_ args: [[UInt8]], slot: Int) throws(RedisError) -> RESPValue {
        var target = topology.primary(forSlot: slot)
        var asking = false
        var backoffMs = 25
        for _ in 0..<maxAttempts {
            guard let endpoint = target else {
                try refreshTopology()
                target = topology.primary(forSlot: slot)
                guard target != nil else { throw .connectionFailed(endpoint: "the cluster", reason: "slot \(slot) is not served by any node") }
                continue
            }
            let conn = try connection(to: endpoint)
            let reply: RESPValue
            if asking {
                let replies = try conn.pipeline([[Array("ASKING".utf8)], args])
                reply = replies[1]
                asking = false
            } else {
                conn.enqueue(args)
                reply = try conn.readReply()
            }
            guard let errBytes = reply.errorBytes else { return reply }
            let text = String(decoding: errBytes, as: UTF8.self)
            if let redirect = ClusterRedirect(text, defaultHost: seedHost) {
                target = redirect.endpoint
                if redirect.kind == .moved { try refreshTopology() } else { asking = true }
                continue
            }
            if text.hasPrefix("TRYAGAIN") || text.hasPrefix("CLUSTERDOWN") || text.hasPrefix("LOADING") {
                usleep(UInt32(backoffMs * 1000))
                backoffMs = min(backoffMs * 2, 1000)
                if text.hasPrefix("CLUSTERDOWN") { try? refreshTopology(); target = topology.primary(forSlot: slot) }
                continue
            }
            return reply
        }
        throw .connectionFailed(endpoint: "the cluster", reason: "slot \(slot) still unavailable after \(maxAttempts) redirections or retries")
    }

    private static func readTopology(from connection: RedisConnection, defaultHost: String) throws(RedisError) -> ClusterTopology {
        let t = try ClusterTopology.parse(clusterSlots: try connection.command("CLUSTER", "SLOTS"), defaultHost: defaultHost)
        guard !t.shards.isEmpty else { throw .server("CLUSTERDOWN the cluster has no slots assigned") }
        return t
    }
}
