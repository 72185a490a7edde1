import RESP

/// Where a subscription may live. In Redis Cluster a classic `PUBLISH` reaches every node,
/// so any node, primary or replica, can serve a subscriber: when one is lost, another
/// will do while the first comes back.
public enum SubscriberTargets {
    /// The settings for every node of the cluster `connection` belongs to, its own node
    /// first; just its own settings on a standalone server, or when the slot map may not
    /// be read (a least-privilege user).
    public static func discover(from connection: RedisConnection) -> [ConnectionConfig] {
        let config = connection.config
        guard config.sentinel == nil, (try? ClusterClient.isClusterNode(connection)) == true,
              let reply = try? connection.command("CLUSTER", "SLOTS") else { return [config] }
        guard case .tcp(let seedHost, _) = config.endpoint,
              let topology = try? ClusterTopology.parse(clusterSlots: reply, defaultHost: seedHost) else { return [config] }
        var endpoints: [Endpoint] = [config.endpoint]
        for shard in topology.shards {
            for node in [shard.primary] + shard.replicas where !endpoints.contains(node) { endpoints.append(node) }
        }
        return endpoints.map { nodeConfig(config, endpoint: $0, seedHost: seedHost) }
    }

    /// The seed's settings aimed at `endpoint`; node certificates are checked against the
    /// name the user gave the cluster when that was a DNS name, as `ClusterClient` does.
    private static func nodeConfig(_ seed: ConnectionConfig, endpoint: Endpoint, seedHost: String) -> ConnectionConfig {
        var c = seed
        c.endpoint = endpoint
        if var tls = c.tls, tls.serverName == nil, !TLSTransport.isIPAddress(seedHost) {
            tls.serverName = seedHost
            c.tls = tls
        }
        return c
    }
}
