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
    private var redirects: ClusterClient?
    /// The name node certificates are checked against when the user named the cluster by
    /// a DNS name (certificates usually carry it, not every node's IP); `nil` when the user
    /// gave an IP address, so each node is checked against its own.
    private let seedTLSName: String?

    /// How many redirections or retries one command may take before giving up.
    public var maxAttempts = 8

    /// Connects to the node in `config`, reads the slot map and keeps that connection.
    public convenience init(seed: RedisConnection) throws(RedisError) {
        try self.init(seed: seed, tlsServerName: nil)
    }

    init(seed: RedisConnection, tlsServerName: String?) throws(RedisError) {
        config = seed.config
        if case .tcp(let host, _) = seed.config.endpoint { seedHost = host } else { seedHost = "127.0.0.1" }
        if let name = tlsServerName {
            seedTLSName = name
        } else if let explicit = seed.config.tls?.serverName {
            seedTLSName = explicit
        } else if case .tcp(let host, _) = seed.config.endpoint, !TLSTransport.isIPAddress(host) {
            seedTLSName = host
        } else {
            seedTLSName = nil
        }
        topology = try Self.readTopology(from: seed, defaultHost: seedHost)
        connections[seed.config.endpoint] = seed
    }

    /// A client for the same cluster with connections of its own, made on first use, for
    /// work that must not share a connection with replies still in flight (redirected
    /// deletions during a pipelined invalidate).
    public func redirectClient() throws(RedisError) -> ClusterClient {
        if let redirects { return redirects }
        let seedConfig = nodeConfig(for: topology.primaries.first ?? config.endpoint)
        let client = try ClusterClient(seed: try RedisConnection.connect(seedConfig), tlsServerName: seedTLSName)
        redirects = client
        return client
    }

    /// True when `connection` talks to a cluster node. Asks `CLUSTER MYID` (a standalone
    /// server answers "cluster support disabled"), not INFO, which least-privilege users and
    /// managed services often may not run. When CLUSTER is refused too, INFO `cluster` is
    /// tried, and when both are refused the server counts as standalone: key-routed
    /// commands still find a cluster by its first `MOVED`.
    public static func isClusterNode(_ connection: RedisConnection) throws(RedisError) -> Bool {
        do {
            _ = try connection.command("CLUSTER", "MYID")
            return true
        } catch .server(let text) where text.lowercased().contains("cluster support disabled") {
            return false
        } catch where error.refusal != nil || error.category == .server {
            do {
                let info = try connection.command("INFO", "cluster").string ?? ""
                return info.contains("cluster_enabled:1")
            } catch where error.refusal != nil {
                return false
            }
        }
    }

    public var primaries: [Endpoint] { topology.primaries }

    /// The connection to `endpoint`, opened (with the same credentials and TLS) on first use
    /// and again after it broke (a node that timed out once may answer the next command).
    public func connection(to endpoint: Endpoint) throws(RedisError) -> RedisConnection {
        if let c = connections[endpoint], !c.isBroken { return c }
        let c = try RedisConnection.connect(nodeConfig(for: endpoint))
        connections[endpoint] = c
        return c
    }

    /// The seed's settings aimed at `endpoint`, with the TLS name node certificates are
    /// checked against.
    private func nodeConfig(for endpoint: Endpoint) -> ConnectionConfig {
        var c = config
        c.endpoint = endpoint
        if var tls = c.tls {
            tls.serverName = seedTLSName
            c.tls = tls
        }
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
