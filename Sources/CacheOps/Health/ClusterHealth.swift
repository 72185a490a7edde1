import RESP
import RedisClient

/// One node of a cluster as `health` sees it; `error` is set when it could not be reached,
/// which makes a breach rather than a failed command.
public struct ClusterNodeHealth: Sendable, Equatable {
    public var endpoint: Endpoint
    public var role: String
    public var slots: Int
    public var latency: LatencySummary?
    public var usedMemoryBytes: Int64?
    public var usedMemoryHuman: String?
    public var error: String?
}

/// The whole cluster: `CLUSTER INFO` and every node.
public struct ClusterHealth: Sendable, Equatable {
    public var state: String
    public var slotsAssigned: Int64
    public var slotsFailing: Int64
    public var knownNodes: Int64
    public var nodes: [ClusterNodeHealth]
}

extension HealthCheck {
    /// Visits every primary and replica of the cluster `client` knows; unreachable nodes and
    /// a `cluster_state` other than `ok` become breaches.
    public static func cluster(_ client: ClusterClient, seed: RedisConnection, samples: Int,
                               thresholds: HealthThresholds) throws(RedisError) -> (ClusterHealth, [HealthBreach]) {
        let info = ServerInfo(try seed.command("CLUSTER", "INFO").string ?? "")
        var nodes: [ClusterNodeHealth] = []
        var breaches: [HealthBreach] = []
        for shard in client.topology.shards {
            let slotCount = shard.slots.reduce(0) { $0 + $1.count }
            for (endpoint, role) in [(shard.primary, "master")] + shard.replicas.map({ ($0, "slave") }) {
                var node = ClusterNodeHealth(endpoint: endpoint, role: role, slots: role == "master" ? slotCount : 0,
                                             latency: nil, usedMemoryBytes: nil, usedMemoryHuman: nil, error: nil)
                do throws(RedisError) {
                    let conn = try client.connection(to: endpoint)
                    node.latency = try pingLatency(conn, samples: samples)
                    let nodeInfo = ServerInfo(try conn.command("INFO", "memory").string ?? "")
                    node.usedMemoryBytes = nodeInfo.int("used_memory")
                    node.usedMemoryHuman = nodeInfo["used_memory_human"]
                    if let limit = thresholds.maxLatencyMs, let max = node.latency?.maxMs, max > limit {
                        breaches.append(HealthBreach(metric: .latency, limit: limit, actual: max, node: endpoint))
                    }
                } catch {
                    node.error = error.description
                    breaches.append(HealthBreach(metric: .node, node: endpoint, reason: error.description))
                }
                nodes.append(node)
            }
        }
        let state = info["cluster_state"] ?? "unknown"
        if state != "ok" {
            breaches.append(HealthBreach(metric: .clusterState, reason: state))
        }
        let health = ClusterHealth(state: state, slotsAssigned: info.int("cluster_slots_assigned") ?? 0,
                                   slotsFailing: info.int("cluster_slots_fail") ?? 0,
                                   knownNodes: info.int("cluster_known_nodes") ?? 0, nodes: nodes)
        return (health, breaches)
    }
}
