import RedisClient

/// What `health` found; the executable renders it, the exit code follows `healthy`.
public struct HealthReport: Sendable, Equatable {
    public var latency: LatencySummary
    public var version: String
    /// standalone, cluster or sentinel (INFO `redis_mode`).
    public var mode: String
    /// master or slave (INFO `role`).
    public var role: String
    public var uptimeSeconds: Int64
    public var connectedClients: Int64
    public var rejectedConnections: Int64
    public var usedMemoryBytes: Int64
    /// INFO's own rendering (`2.10M`): the seeds' health shape carries this string.
    public var usedMemoryHuman: String
    /// 0 means no limit.
    public var maxMemoryBytes: Int64
    public var maxMemoryPolicy: String
    /// `nil` when there is no memory limit to be a percentage of.
    public var memoryUsedPercent: Double?
    public var keyspaceHits: Int64
    public var keyspaceMisses: Int64
    /// Percent, as the seeds report it (96.15); `nil` before the first lookup.
    public var hitRatePercent: Double?
    public var evictedKeys: Int64
    public var expiredKeys: Int64
    public var keyspace: [KeyspaceEntry]
    /// `nil` where the server does not keep a slow log (sentinel).
    public var slowlogLength: Int64?
    public var breaches: [HealthBreach]
    /// `--max-memory-pct` was asked for but the server has no maxmemory to be a percentage
    /// of: not a breach (a default server would always fail), but worth saying.
    public var memoryThresholdUnchecked: Bool
    /// The sentinels' view of the primary, when connected through Sentinel.
    public var sentinel: SentinelView?
    /// Every node and `cluster_state`, when the server is a cluster node.
    public var cluster: ClusterHealth?

    public var healthy: Bool { breaches.isEmpty }
}

/// Limits a caller wants checked; `nil` means "do not check".
public struct HealthThresholds: Sendable, Equatable {
    public var maxLatencyMs: Double?
    /// Percent, 0–100.
    public var minHitRatePercent: Double?
    /// Percent of maxmemory, 0–100.
    public var maxMemoryPercent: Double?

    public init(maxLatencyMs: Double? = nil, minHitRatePercent: Double? = nil, maxMemoryPercent: Double? = nil) {
        self.maxLatencyMs = maxLatencyMs
        self.minHitRatePercent = minHitRatePercent
        self.maxMemoryPercent = maxMemoryPercent
    }
}

/// One threshold that was not met, as facts; the executable words it.
public struct HealthBreach: Sendable, Equatable {
    public enum Metric: String, Sendable, Equatable {
        /// The slowest PING took longer than `limit` ms.
        case latency
        /// Keyspace hit rate (percent) below `limit`.
        case hitRate
        /// Used memory (percent of maxmemory) above `limit`.
        case memory
        /// A cluster node could not be reached; `reason` says why.
        case node
        /// `cluster_state` is not `ok`; `reason` holds it.
        case clusterState
    }

    public var metric: Metric
    public var limit: Double?
    public var actual: Double?
    /// The cluster node concerned, when the breach is one node's.
    public var node: Endpoint?
    public var reason: String?

    public init(metric: Metric, limit: Double? = nil, actual: Double? = nil, node: Endpoint? = nil, reason: String? = nil) {
        self.metric = metric
        self.limit = limit
        self.actual = actual
        self.node = node
        self.reason = reason
    }
}
