import RESP
import RedisClient

/// `cachectl health`: latency by repeated PING, the rest from one INFO and SLOWLOG LEN.
public enum HealthCheck {
    public static func run(on connection: RedisConnection, samples: Int,
                           thresholds: HealthThresholds) throws(RedisError) -> HealthReport {
        let latency = try pingLatency(connection, samples: samples)

        let replies = try connection.pipeline([[Array("INFO".utf8)], [Array("SLOWLOG".utf8), Array("LEN".utf8)]])
        if let err = replies[0].errorBytes {
            throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self))
        }
        guard let text = replies[0].string else {
            throw .protocolViolation("INFO did not answer with text")
        }
        let info = ServerInfo(text)
        let slowlog = replies[1].isError ? nil : replies[1].int
        var result = report(latency: latency, info: info, slowlogLength: slowlog, thresholds: thresholds)
        if let sentinel = connection.config.sentinel {
            result.sentinel = try SentinelResolver.view(connection.config, sentinel: sentinel)
        }
        if info["cluster_enabled"] == "1" {
            let client = try ClusterClient(seed: connection)
            let (cluster, breaches) = try Self.cluster(client, seed: connection, samples: samples, thresholds: thresholds)
            result.cluster = cluster
            result.breaches += breaches
        }
        return result
    }

    /// Round trips of `samples` PINGs, one at a time so each measures a full round trip.
    static func pingLatency(_ connection: RedisConnection, samples: Int) throws(RedisError) -> LatencySummary {
        var millis: [Double] = []
        millis.reserveCapacity(samples)
        let clock = ContinuousClock()
        for _ in 0..<max(1, samples) {
            let start = clock.now
            let reply = try connection.command("PING")
            let elapsed = clock.now - start
            guard reply.string == "PONG" else {
                throw .protocolViolation("PING answered \(reply) instead of PONG")
            }
            millis.append(elapsed.inMilliseconds)
        }
        return LatencySummary(millis: millis)
    }

    /// Pure assembly and judgement, separate from I/O so thresholds can be tested on
    /// hand-made INFO text.
    public static func report(latency: LatencySummary, info: ServerInfo, slowlogLength: Int64?,
                              thresholds: HealthThresholds) -> HealthReport {
        let used = info.int("used_memory") ?? 0
        let maxMemory = info.int("maxmemory") ?? 0
        let hits = info.int("keyspace_hits") ?? 0
        let misses = info.int("keyspace_misses") ?? 0
        let lookups = hits.saturatingAdd(misses)
        var report = HealthReport(
            latency: latency,
            version: info["redis_version"] ?? info["valkey_version"] ?? "unknown",
            mode: info["redis_mode"] ?? info["server_mode"] ?? "standalone",
            role: info["role"] ?? "unknown",
            uptimeSeconds: info.int("uptime_in_seconds") ?? 0,
            connectedClients: info.int("connected_clients") ?? 0,
            rejectedConnections: info.int("rejected_connections") ?? 0,
            usedMemoryBytes: used,
            usedMemoryHuman: info["used_memory_human"] ?? "\(used)B",
            maxMemoryBytes: maxMemory,
            maxMemoryPolicy: info["maxmemory_policy"] ?? "unknown",
            memoryUsedPercent: maxMemory > 0 ? Double(used) / Double(maxMemory) * 100 : nil,
            keyspaceHits: hits,
            keyspaceMisses: misses,
            hitRatePercent: lookups > 0 ? Double(hits) / Double(lookups) * 100 : nil,
            evictedKeys: info.int("evicted_keys") ?? 0,
            expiredKeys: info.int("expired_keys") ?? 0,
            keyspace: info.keyspace,
            slowlogLength: slowlogLength,
            breaches: [],
            memoryThresholdUnchecked: thresholds.maxMemoryPercent != nil && maxMemory == 0,
            sentinel: nil,
            cluster: nil)
        report.breaches = judge(report, thresholds)
        return report
    }

    static func judge(_ r: HealthReport, _ t: HealthThresholds) -> [HealthBreach] {
        var breaches: [HealthBreach] = []
        if let limit = t.maxLatencyMs, r.latency.maxMs > limit {
            breaches.append(HealthBreach(metric: .latency, limit: limit, actual: r.latency.maxMs))
        }
        if let limit = t.minHitRatePercent {
            // No lookups yet means nothing to judge: a fresh cache is not an unhealthy one.
            if let rate = r.hitRatePercent, rate < limit {
                breaches.append(HealthBreach(metric: .hitRate, limit: limit, actual: rate))
            }
        }
        if let limit = t.maxMemoryPercent {
            if let pct = r.memoryUsedPercent {
                if pct > limit {
                    breaches.append(HealthBreach(metric: .memory, limit: limit, actual: pct))
                }
            }
            // Without maxmemory there is no percentage: `memoryThresholdUnchecked` says so
            // instead of failing every check against a default server.
        }
        return breaches
    }
}
