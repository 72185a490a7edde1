import RedisClient

/// What `health` found on one server; the executable renders it, the exit code follows
/// `healthy`. Every field read from INFO is optional: a least-privilege user or a managed
/// service may refuse INFO (or some of its sections), and a fact not seen is `nil`
/// (`n/a`, JSON `null`), never a made-up zero.
public struct HealthReport: Sendable, Equatable {
    /// The server the report is about (the seed, for a cluster).
    public var endpoint: Endpoint
    /// Round trips of the `--samples` PINGs.
    public var latency: LatencySummary
    /// Every timed round trip of the run, the connection set-up included: a stall anywhere
    /// is seen, not only during the PINGs.
    public var roundTrips: [RoundTrip]
    /// The server's own version: Valkey's for Valkey (`valkey_version`), not the Redis
    /// version it answers as.
    public var version: String?
    /// `redis`, or the fork INFO names in `server_name` (`valkey`).
    public var server: String?
    /// The Redis version a fork says it is compatible with (`redis_version`), when the
    /// server is not Redis itself.
    public var compatibleRedisVersion: String?
    /// standalone, cluster or sentinel (INFO `redis_mode`).
    public var mode: String?
    /// master or slave (INFO `role`).
    public var role: String?
    public var uptimeSeconds: Int64?
    public var connectedClients: Int64?
    public var blockedClients: Int64?
    public var maxClients: Int64?
    public var rejectedConnections: Int64?
    public var usedMemoryBytes: Int64?
    /// INFO's own rendering (`2.10M`): the health shape applications read carries this string.
    public var usedMemoryHuman: String?
    public var usedMemoryRssBytes: Int64?
    public var fragmentationRatio: Double?
    /// 0 means no limit.
    public var maxMemoryBytes: Int64?
    public var maxMemoryPolicy: String?
    /// `nil` when there is no memory limit to be a percentage of, or memory is unknown.
    public var memoryUsedPercent: Double?
    public var keyspaceHits: Int64?
    public var keyspaceMisses: Int64?
    /// Percent since the server started (96.15); `nil` before the first lookup.
    public var hitRatePercent: Double?
    public var evictedKeys: Int64?
    public var expiredKeys: Int64?
    public var loading: Bool?
    public var rdbLastSaveStatus: String?
    public var aofEnabled: Bool?
    public var aofLastWriteStatus: String?
    /// `nil` when INFO keyspace was not readable; empty for an empty server.
    public var keyspace: [KeyspaceEntry]?
    public var replication: ReplicationDetail?
    /// Rates over `--interval` (or between two `--watch` samples).
    public var rates: HealthRates?
    /// `nil` where the server keeps no slow log (sentinel) or SLOWLOG was refused.
    public var slowlogLength: Int64?
    /// The slowest `--slowlog N` entries, slowest first; `nil` when not asked or refused.
    public var slowlog: [SlowlogEntry]?
    /// How many entries the slowest were chosen from: the whole log, unless it holds more
    /// than `HealthCheck.slowlogReadLimit` (then the most recent that many).
    public var slowlogEntriesRead: Int?
    public var breaches: [HealthFinding] = []
    public var warnings: [HealthFinding] = []
    /// Checks that could not be made: a refused INFO section, no maxmemory to be a
    /// percentage of. Not breaches, unless `--strict`.
    public var unchecked: [UncheckedCheck] = []
    /// Optional commands the server refused (INFO, SLOWLOG, CLUSTER INFO…).
    public var unavailable = OptionalFacts()
    /// The sentinels' view of the primary, when connected through Sentinel.
    public var sentinel: SentinelView?
    /// Every node and `cluster_state`, when the server is a cluster node.
    public var cluster: ClusterHealth?
    /// The INFO this report was made from and when it arrived: the baseline of the next
    /// `--watch` sample's rates.
    public var sample: InfoSample?

    public var healthy: Bool { breaches.isEmpty }

    /// The slowest round trip of the run, handshake included.
    public var slowestRoundTrip: RoundTrip? { roundTrips.max { $0.milliseconds < $1.milliseconds } }

    public init(endpoint: Endpoint, latency: LatencySummary, roundTrips: [RoundTrip] = []) {
        self.endpoint = endpoint
        self.latency = latency
        self.roundTrips = roundTrips
    }
}

/// One INFO reply and the moment it arrived.
public struct InfoSample: Sendable, Equatable {
    public var info: ServerInfo
    public var at: ContinuousClock.Instant

    public init(info: ServerInfo, at: ContinuousClock.Instant) {
        self.info = info
        self.at = at
    }
}

/// One request and its reply, timed from the write to the reply's arrival.
public struct RoundTrip: Sendable, Equatable {
    /// What was sent: `handshake` (connect, AUTH, SELECT, CLIENT SETNAME), `PING`, `INFO`…
    public var name: String
    public var milliseconds: Double

    public init(name: String, milliseconds: Double) {
        self.name = name
        self.milliseconds = milliseconds
    }
}

/// Limits a caller wants checked; `nil` means "do not check". The built-in danger
/// signals need no threshold; their defaults are here so they are written once.
public struct HealthThresholds: Sendable, Equatable {
    public var maxLatencyMs: Double?
    /// Percent, 0–100; over `--interval` when rates were sampled.
    public var minHitRatePercent: Double?
    /// Percent of maxmemory, 0–100.
    public var maxMemoryPercent: Double?
    /// Fewer connected replicas is a breach.
    public var minReplicas: Int?
    /// A replica whose primary has been silent longer is a breach (the primary pings its
    /// replicas every 10 s by default, so 30 s means three missed pings).
    public var maxReplicationLagSeconds: Double
    /// Fragmentation at or above this ratio, with at least `fragmentationMinBytes` wasted,
    /// is a warning; small datasets have meaningless ratios.
    public var maxFragmentationRatio: Double
    public var fragmentationMinBytes: Int64
    /// Unchecked checks become breaches (for CI gates that insist on every check).
    public var strict: Bool

    public static let defaultReplicationLagSeconds = 30.0
    public static let defaultFragmentationRatio = 1.5
    public static let defaultFragmentationMinBytes: Int64 = 64 * 1024 * 1024

    public init(maxLatencyMs: Double? = nil, minHitRatePercent: Double? = nil, maxMemoryPercent: Double? = nil,
                minReplicas: Int? = nil, maxReplicationLagSeconds: Double = defaultReplicationLagSeconds,
                maxFragmentationRatio: Double = defaultFragmentationRatio,
                fragmentationMinBytes: Int64 = defaultFragmentationMinBytes, strict: Bool = false) {
        self.maxLatencyMs = maxLatencyMs
        self.minHitRatePercent = minHitRatePercent
        self.maxMemoryPercent = maxMemoryPercent
        self.minReplicas = minReplicas
        self.maxReplicationLagSeconds = maxReplicationLagSeconds
        self.maxFragmentationRatio = maxFragmentationRatio
        self.fragmentationMinBytes = fragmentationMinBytes
        self.strict = strict
    }
}

/// One breach or warning, as facts; the executable words it.
public struct HealthFinding: Sendable, Equatable {
    public enum Metric: String, Sendable, Equatable, CaseIterable {
        /// A round trip (handshake, PING, INFO…) took longer than `limit` ms; `reason` names it.
        case latency
        /// Keyspace hit rate (percent) below `limit`.
        case hitRate
        /// Used memory above `--max-memory-pct`, or at maxmemory with noeviction (`reason`).
        case memory
        /// No maxmemory: a cache grows until the machine runs out of memory.
        case maxmemory
        /// Keys are being evicted (per second over the interval, or since start).
        case evictions
        /// The server is loading its dataset and answers LOADING.
        case loading
        /// A replica's link to its primary is down or silent.
        case replication
        /// Fewer connected replicas than `--min-replicas`.
        case replicas
        /// Connections rejected (maxclients reached) or clients blocked.
        case clients
        /// The last RDB save or AOF write failed.
        case persistence
        /// Memory fragmentation ratio above the default.
        case fragmentation
        /// A cluster node could not be reached; `reason` says why.
        case node
        /// `cluster_state` is not `ok`; `reason` holds it.
        case clusterState
        /// A check could not be made and `--strict` asks for every check.
        case unchecked
    }

    public var metric: Metric
    public var limit: Double?
    public var actual: Double?
    /// The cluster node concerned, when the finding is one node's.
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

/// The name the breaches have always had.
public typealias HealthBreach = HealthFinding

/// A check `health` could not make, and why.
public struct UncheckedCheck: Sendable, Equatable {
    /// The option (`--min-hit-rate`) or built-in signal (`replication link`).
    public var check: String
    public var reason: String
    public var node: Endpoint?

    public init(check: String, reason: String, node: Endpoint? = nil) {
        self.check = check
        self.reason = reason
        self.node = node
    }
}
