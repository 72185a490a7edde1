import RESP
import RedisClient

/// The verdict: thresholds the caller gave and the built-in danger signals that need none.
/// Pure, so every signal is tested on hand-made INFO text.
extension HealthCheck {
    /// Appends to `r`'s breaches, warnings and unchecked list. `node` marks findings of one
    /// cluster node.
    public static func judge(_ r: inout HealthReport, _ t: HealthThresholds, node: Endpoint? = nil) {
        var j = Judgement(node: node)
        judgeLatency(r, t, &j)
        judgeHitRate(r, t, &j)
        judgeMemory(r, t, &j)
        judgeEvictions(r, &j)
        judgePersistence(r, &j)
        judgeReplication(r, t, &j)
        judgeClients(r, &j)
        r.breaches += j.breaches
        r.warnings += j.warnings
        r.unchecked += j.unchecked
    }

    /// `--strict`: every check that could not be made is a breach.
    public static func applyStrict(_ r: inout HealthReport) {
        r.breaches += r.unchecked.map {
            HealthFinding(metric: .unchecked, node: $0.node, reason: "\($0.check) not checked: \($0.reason)")
        }
    }

    private static func judgeLatency(_ r: HealthReport, _ t: HealthThresholds, _ j: inout Judgement) {
        guard let limit = t.maxLatencyMs, let slowest = r.slowestRoundTrip, slowest.milliseconds > limit else { return }
        let over = r.roundTrips.filter { $0.milliseconds > limit }.count
        let what = over > 1 ? "\(slowest.name), \(over) of \(r.roundTrips.count) round trips over" : slowest.name
        j.breach(.latency, limit: limit, actual: slowest.milliseconds, reason: what)
    }

    private static func judgeHitRate(_ r: HealthReport, _ t: HealthThresholds, _ j: inout Judgement) {
        guard let limit = t.minHitRatePercent else { return }
        // No lookups yet means nothing to judge: a fresh or idle cache is not an unhealthy one.
        if let rates = r.rates {
            if let rate = rates.hitRatePercent, rate < limit {
                j.breach(.hitRate, limit: limit, actual: rate, reason: "over the last \(seconds(rates.intervalMs))")
            }
        } else if r.keyspaceHits == nil {
            j.unchecked("--min-hit-rate", "INFO stats unavailable")
        } else if let rate = r.hitRatePercent, rate < limit {
            j.breach(.hitRate, limit: limit, actual: rate, reason: "since the server started")
        }
    }

    private static func judgeMemory(_ r: HealthReport, _ t: HealthThresholds, _ j: inout Judgement) {
        guard let used = r.usedMemoryBytes, let max = r.maxMemoryBytes else {
            j.unchecked("memory", "INFO memory unavailable")
            if t.maxMemoryPercent != nil { j.unchecked("--max-memory-pct", "INFO memory unavailable") }
            return
        }
        if max == 0 {
            j.warn(.maxmemory, limit: 0, actual: Double(used),
                   reason: "maxmemory is not set: a cache grows until the machine runs out of memory")
            if t.maxMemoryPercent != nil { j.unchecked("--max-memory-pct", "the server has no maxmemory limit") }
        } else {
            if let limit = t.maxMemoryPercent, let pct = r.memoryUsedPercent, pct > limit {
                j.breach(.memory, limit: limit, actual: pct, reason: "percent of maxmemory")
            }
            if r.maxMemoryPolicy == "noeviction" && used >= max {
                j.breach(.memory, limit: Double(max), actual: Double(used),
                         reason: "used memory is at maxmemory with maxmemory-policy noeviction: writes fail with OOM")
            }
        }
        guard let ratio = r.fragmentationRatio, let rss = r.usedMemoryRssBytes else {
            // A server whose INFO memory lacks the fields cannot be judged on them: said, not passed.
            j.unchecked("fragmentation", "INFO memory has no mem_fragmentation_ratio or used_memory_rss")
            return
        }
        if ratio >= t.maxFragmentationRatio, rss.saturatingSubtract(used) >= t.fragmentationMinBytes {
            j.warn(.fragmentation, limit: t.maxFragmentationRatio, actual: ratio,
                   reason: "memory fragmentation: \(rss.saturatingSubtract(used)) bytes of RSS hold no data (activedefrag or a restart returns it)")
        }
    }

    private static func judgeEvictions(_ r: HealthReport, _ j: inout Judgement) {
        if let rates = r.rates {
            if rates.evictedPerSec > 0 {
                j.warn(.evictions, limit: 0, actual: rates.evictedPerSec,
                       reason: "keys are being evicted now (per second over the last \(seconds(rates.intervalMs))): the cache is full")
            }
        } else if let evicted = r.evictedKeys {
            if evicted > 0 {
                j.warn(.evictions, limit: 0, actual: Double(evicted),
                       reason: "keys evicted since the server started; --interval shows whether evictions happen now")
            }
        } else {
            j.unchecked("evictions", "INFO stats unavailable")
        }
    }

    private static func judgePersistence(_ r: HealthReport, _ j: inout Judgement) {
        guard let loading = r.loading else {
            j.unchecked("loading", "INFO persistence unavailable")
            j.unchecked("persistence", "INFO persistence unavailable")
            return
        }
        if loading {
            j.breach(.loading, reason: "the server is loading its dataset and answers LOADING to commands")
        }
        if r.rdbLastSaveStatus == nil {
            j.unchecked("persistence", "INFO persistence has no rdb_last_bgsave_status")
        }
        if r.rdbLastSaveStatus == "err" {
            j.breach(.persistence, reason: "the last RDB save failed (rdb_last_bgsave_status:err): "
                     + "with stop-writes-on-bgsave-error the server refuses writes")
        }
        if r.aofEnabled == true, r.aofLastWriteStatus == "err" {
            j.breach(.persistence, reason: "the last AOF write failed (aof_last_write_status:err): the server refuses writes")
        }
    }

    private static func judgeReplication(_ r: HealthReport, _ t: HealthThresholds, _ j: inout Judgement) {
        guard let rep = r.replication else {
            j.unchecked("replication", "INFO replication unavailable")
            if t.minReplicas != nil { j.unchecked("--min-replicas", "INFO replication unavailable") }
            return
        }
        let primary = rep.primary ?? "the primary"
        if rep.isReplica {
            if rep.linkStatus == nil {
                // No field is not a link that is down.
                j.unchecked("replication", "INFO replication has no master_link_status")
            } else if rep.linkStatus != "up" {
                let since = rep.linkDownSinceSeconds.map { Double($0) }
                j.breach(.replication, actual: since,
                         reason: "the link to primary \(primary) is down" + (since.map { " (for \(Int64(saturating: $0))s)" } ?? ""))
            } else if let io = rep.lastIOSecondsAgo, Double(io) > t.maxReplicationLagSeconds {
                j.breach(.replication, limit: t.maxReplicationLagSeconds, actual: Double(io),
                         reason: "primary \(primary) last heard from \(io)s ago")
            }
        }
        for replica in rep.replicas where replica.state != "online" || Double(replica.lagSeconds ?? 0) > t.maxReplicationLagSeconds {
            j.warn(.replication, limit: t.maxReplicationLagSeconds, actual: replica.lagSeconds.map { Double($0) },
                   reason: "replica \(replica.address) is \(replica.state), last acknowledged \(replica.lagSeconds.map { "\($0)s" } ?? "?") ago")
        }
        if let min = t.minReplicas {
            guard let connected = rep.connectedReplicas else {
                j.unchecked("--min-replicas", "INFO replication has no connected_slaves")
                return
            }
            if connected < Int64(min) {
                j.breach(.replicas, limit: Double(min), actual: Double(connected), reason: "connected replicas")
            }
        }
    }

    private static func judgeClients(_ r: HealthReport, _ j: inout Judgement) {
        if r.connectedClients == nil {
            j.unchecked("clients", "INFO clients unavailable")
        } else if r.maxClients == nil {
            // Redis before 6.2 has no maxclients in INFO: the check cannot be made, and says so.
            j.unchecked("clients at maxclients", "INFO clients has no maxclients (Redis 6.0 and older)")
        }
        if let max = r.maxClients, let connected = r.connectedClients, max > 0, connected >= max {
            j.breach(.clients, limit: Double(max), actual: Double(connected),
                     reason: "connected clients at maxclients: new connections are rejected")
        }
        if let rates = r.rates {
            if rates.rejectedConnectionsPerSec > 0 {
                j.breach(.clients, limit: 0, actual: rates.rejectedConnectionsPerSec,
                         reason: "connections are being rejected now (per second; maxclients reached)")
            }
            if let grew = rates.blockedClientsChange, grew > 0 {
                j.warn(.clients, limit: 0, actual: Double(r.blockedClients ?? grew),
                       reason: "blocked clients grew by \(grew) over the last \(seconds(rates.intervalMs))")
            }
        } else if let rejected = r.rejectedConnections, rejected > 0 {
            j.warn(.clients, limit: 0, actual: Double(rejected),
                   reason: "connections rejected since the server started (maxclients); --interval shows whether now")
        }
    }

    static func seconds(_ ms: Double) -> String {
        let s = ms / 1000
        return s.rounded() == s || s >= 10 ? "\(Int64(saturating: s.rounded()))s" : "\((s * 10).rounded() / 10)s"
    }
}

/// Findings as they are made, each tagged with the node being judged.
private struct Judgement {
    var node: Endpoint?
    var breaches: [HealthFinding] = []
    var warnings: [HealthFinding] = []
    var unchecked: [UncheckedCheck] = []

    mutating func breach(_ m: HealthFinding.Metric, limit: Double? = nil, actual: Double? = nil, reason: String) {
        breaches.append(HealthFinding(metric: m, limit: limit, actual: actual, node: node, reason: reason))
    }

    mutating func warn(_ m: HealthFinding.Metric, limit: Double? = nil, actual: Double? = nil, reason: String) {
        warnings.append(HealthFinding(metric: m, limit: limit, actual: actual, node: node, reason: reason))
    }

    mutating func unchecked(_ check: String, _ reason: String) {
        unchecked.append(UncheckedCheck(check: check, reason: reason, node: node))
    }
}
