import RESP
import RedisClient

/// One node of a cluster as `health` sees it; `error` is set when it could not be reached,
/// which makes a breach rather than a failed command.
public struct ClusterNodeHealth: Sendable, Equatable {
    public var endpoint: Endpoint
    public var role: String
    public var slots: Int
    public var latency: LatencySummary?
    /// The slowest round trip to this node, its connection set-up included.
    public var slowestRoundTrip: RoundTrip?
    public var usedMemoryBytes: Int64?
    public var usedMemoryHuman: String?
    /// Keys in the node's database 0 (INFO keyspace); a cluster has no other.
    public var keys: Int64?
    /// This node's own verdict.
    public var healthy: Bool
    public var error: String?
}

/// The whole cluster: `CLUSTER INFO` and every node.
public struct ClusterHealth: Sendable, Equatable {
    /// nil when CLUSTER INFO was refused.
    public var state: String?
    public var slotsAssigned: Int64?
    public var slotsFailing: Int64?
    public var knownNodes: Int64?
    public var nodes: [ClusterNodeHealth]

    /// Keys in the whole cluster: the sum over its primaries (replicas hold copies); nil
    /// when a primary's count is unknown, so a partial sum is never shown as the total.
    public var totalKeys: Int64? {
        var total: Int64 = 0
        for node in nodes where node.role == "master" {
            guard let keys = node.keys else { return nil }
            total = total.saturatingAdd(keys)
        }
        return total
    }
}

extension HealthCheck {
    /// Visits every primary and replica of the cluster and judges each node on its own
    /// INFO (memory, persistence, replication…); the report's verdict is the worst of
    /// them. Unreachable nodes and a `cluster_state` other than `ok` are breaches.
    static func addCluster(to report: inout HealthReport, seed: RedisConnection, request: HealthRequest,
                           facts: inout OptionalFacts) throws(RedisError) {
        let clusterInfo = try facts.attempt("CLUSTER INFO", provides: "cluster_state") { () throws(RedisError) in
            ServerInfo(try seed.command("CLUSTER", "INFO").string ?? "")
        }
        guard let client = try facts.attempt("CLUSTER SLOTS", provides: "the cluster's nodes", { () throws(RedisError) in
            try ClusterClient(seed: seed)
        }) else {
            report.unchecked.append(UncheckedCheck(check: "cluster nodes", reason: "CLUSTER SLOTS unavailable"))
            return
        }
        var nodes: [ClusterNodeHealth] = []
        for shard in client.topology.shards {
            let slotCount = shard.slots.reduce(0) { $0 + $1.count }
            for (endpoint, role) in [(shard.primary, "master")] + shard.replicas.map({ ($0, "slave") }) {
                var node = ClusterNodeHealth(endpoint: endpoint, role: role, slots: role == "master" ? slotCount : 0,
                                             latency: nil, slowestRoundTrip: nil, usedMemoryBytes: nil,
                                             usedMemoryHuman: nil, keys: nil, healthy: true, error: nil)
                do throws(RedisError) {
                    let nodeReport = try nodeHealth(client, endpoint: endpoint, isSeed: endpoint == seed.config.endpoint,
                                                    request: request, facts: &facts)
                    node.latency = nodeReport.latency
                    node.slowestRoundTrip = nodeReport.slowestRoundTrip
                    node.usedMemoryBytes = nodeReport.usedMemoryBytes
                    node.usedMemoryHuman = nodeReport.usedMemoryHuman
                    node.keys = Self.keysInDatabaseZero(nodeReport.keyspace)
                    node.healthy = nodeReport.healthy
                    if endpoint != seed.config.endpoint {
                        report.breaches += nodeReport.breaches
                        report.warnings += nodeReport.warnings
                        report.unchecked += nodeReport.unchecked
                    } else {
                        // The seed's INFO was read once, for the report itself.
                        node.usedMemoryBytes = report.usedMemoryBytes
                        node.usedMemoryHuman = report.usedMemoryHuman
                        node.keys = Self.keysInDatabaseZero(report.keyspace)
                        node.healthy = report.healthy
                    }
                } catch {
                    node.error = error.description
                    node.healthy = false
                    report.breaches.append(HealthFinding(metric: .node, node: endpoint, reason: error.description))
                }
                nodes.append(node)
            }
        }
        var cluster = ClusterHealth(state: nil, slotsAssigned: nil, slotsFailing: nil, knownNodes: nil, nodes: nodes)
        if let info = clusterInfo {
            let state = info["cluster_state"] ?? "unknown"
            cluster.state = state
            cluster.slotsAssigned = info.int("cluster_slots_assigned")
            cluster.slotsFailing = info.int("cluster_slots_fail")
            cluster.knownNodes = info.int("cluster_known_nodes")
            if state != "ok" {
                report.breaches.append(HealthFinding(metric: .clusterState, reason: state))
            }
        } else {
            report.unchecked.append(UncheckedCheck(check: "cluster_state", reason: "CLUSTER INFO unavailable"))
        }
        report.cluster = cluster
    }

    /// One node's latency (its connection set-up included) and INFO, judged like a server
    /// of its own; rates and the slow log are the seed's only.
    /// db0's key count from INFO keyspace: 0 when the section is there without db0 (an
    /// empty node), nil when the section was not read.
    static func keysInDatabaseZero(_ keyspace: [KeyspaceEntry]?) -> Int64? {
        keyspace.map { $0.first { $0.database == 0 }?.keys ?? 0 }
    }

    private static func nodeHealth(_ client: ClusterClient, endpoint: Endpoint, isSeed: Bool, request: HealthRequest,
                                   facts: inout OptionalFacts) throws(RedisError) -> HealthReport {
        var timer = RoundTripTimer()
        let (conn, _) = try timer.time("handshake") { () throws(RedisError) in try client.connection(to: endpoint) }
        let (latency, loading) = try pingLatency(conn, samples: request.samples, timer: &timer)
        var r = HealthReport(endpoint: endpoint, latency: latency)
        if !isSeed, let sample = try readInfo(conn, timer: &timer, facts: &facts) {
            fill(&r, from: sample.info)
        }
        if loading { r.loading = true }
        r.roundTrips = timer.trips
        if !isSeed {
            var thresholds = request.thresholds
            thresholds.minHitRatePercent = nil  // judged on the seed's view, with its interval
            judge(&r, thresholds, node: endpoint)
        }
        return r
    }
}
