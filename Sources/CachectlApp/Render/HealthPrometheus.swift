import CacheOps
import CLI

/// Health in the Prometheus text exposition format (version 0.0.4), for node_exporter's
/// textfile collector or a pushgateway. Every series carries `node`; a fact not seen is
/// left out (Prometheus reads a missing series as "no data"), never written as 0.
enum HealthPrometheus {
    static func render(_ r: HealthReport) -> String {
        var w = ExpositionWriter()
        let node = ("node", r.endpoint.display)
        w.gauge("up", "1 when the server answered", [([node], 1)])
        w.gauge("healthy", "1 when no breach was found", [([node], r.healthy ? 1 : 0)])
        w.gauge("breaches", "breaches found, by metric", counts(r.breaches, node: node))
        w.gauge("warnings", "warnings found, by metric", counts(r.warnings, node: node))
        w.gauge("unchecked", "checks that could not be made (refused INFO, no maxmemory)", [([node], Double(r.unchecked.count))])
        w.gauge("unavailable_commands", "optional commands the server refused", [([node], Double(r.unavailable.unavailable.count))])
        let l = r.latency
        w.gauge("ping_latency_seconds", "round trip of the PING samples",
                [("min", l.minMs), ("avg", l.avgMs), ("p50", l.p50Ms), ("p99", l.p99Ms), ("max", l.maxMs)]
                    .map { ([node, ("stat", $0.0)], $0.1 / 1000) })
        if let slowest = r.slowestRoundTrip {
            w.gauge("slowest_round_trip_seconds", "the slowest round trip of the run, connection set-up included",
                    [([node, ("request", slowest.name)], slowest.milliseconds / 1000)])
        }
        if r.version != nil || r.role != nil {
            w.gauge("server_info", "constant 1, labelled with the server (redis, valkey), its version, role and mode",
                    [([node, ("server", r.server ?? ""), ("version", r.version ?? ""),
                       ("redis_version", r.compatibleRedisVersion ?? (r.server == "redis" ? r.version ?? "" : "")),
                       ("role", r.role ?? ""), ("mode", r.mode ?? "")], 1)])
        }
        w.gauge("uptime_seconds", "seconds since the server started", one(node, r.uptimeSeconds))
        w.gauge("connected_clients", "client connections", one(node, r.connectedClients))
        w.gauge("blocked_clients", "clients blocked in BLPOP and similar", one(node, r.blockedClients))
        w.gauge("max_clients", "the maxclients setting", one(node, r.maxClients))
        w.counter("rejected_connections_total", "connections rejected since start (maxclients)", one(node, r.rejectedConnections))
        w.gauge("used_memory_bytes", "memory used by the dataset and overhead (INFO used_memory)", one(node, r.usedMemoryBytes))
        w.gauge("used_memory_rss_bytes", "resident set size of the server process", one(node, r.usedMemoryRssBytes))
        w.gauge("max_memory_bytes", "the maxmemory setting; 0 means no limit", one(node, r.maxMemoryBytes))
        w.gauge("memory_fragmentation_ratio", "RSS / used memory", r.fragmentationRatio.map { [([node], $0)] } ?? [])
        w.counter("keyspace_hits_total", "successful key lookups since start", one(node, r.keyspaceHits))
        w.counter("keyspace_misses_total", "failed key lookups since start", one(node, r.keyspaceMisses))
        w.gauge("hit_ratio", "hits / lookups since start (0-1)", r.hitRatePercent.map { [([node], $0 / 100)] } ?? [])
        w.counter("evicted_keys_total", "keys evicted since start", one(node, r.evictedKeys))
        w.counter("expired_keys_total", "keys expired since start", one(node, r.expiredKeys))
        if let x = r.rates {
            w.gauge("interval_seconds", "length of the sampling interval", [([node], x.intervalMs / 1000)])
            w.gauge("ops_per_second", "commands processed per second over the interval", [([node], x.opsPerSec)])
            w.gauge("hits_per_second", "keyspace hits per second over the interval", [([node], x.hitsPerSec)])
            w.gauge("misses_per_second", "keyspace misses per second over the interval", [([node], x.missesPerSec)])
            w.gauge("interval_hit_ratio", "hits / lookups over the interval (0-1)", x.hitRatePercent.map { [([node], $0 / 100)] } ?? [])
            w.gauge("evicted_keys_per_second", "keys evicted per second over the interval", [([node], x.evictedPerSec)])
            w.gauge("expired_keys_per_second", "keys expired per second over the interval", [([node], x.expiredPerSec)])
            w.gauge("net_input_bytes_per_second", "network bytes read per second over the interval", [([node], x.netInputBytesPerSec)])
            w.gauge("net_output_bytes_per_second", "network bytes written per second over the interval", [([node], x.netOutputBytesPerSec)])
        }
        w.gauge("loading", "1 while the server loads its dataset", r.loading.map { [([node], $0 ? 1 : 0)] } ?? [])
        if let rep = r.replication {
            w.gauge("connected_replicas", "replicas connected to this server", one(node, rep.connectedReplicas))
            w.gauge("replication_offset_bytes", "master_repl_offset", one(node, rep.offset))
            if rep.isReplica {
                w.gauge("replication_link_up", "replica: 1 when the link to the primary is up",
                        [([node, ("primary", rep.primary ?? "")], rep.linkStatus == "up" ? 1 : 0)])
                w.gauge("replication_last_io_seconds", "replica: seconds since the primary was last heard from",
                        rep.lastIOSecondsAgo.flatMap { $0 >= 0 ? [([node], Double($0))] : nil } ?? [])
            }
            w.gauge("replica_lag_seconds", "primary: seconds since each replica last acknowledged",
                    rep.replicas.compactMap { x in x.lagSeconds.map { ([node, ("replica", x.address)], Double($0)) } })
            w.gauge("replica_behind_bytes", "primary: replication stream bytes each replica has not acknowledged",
                    rep.replicas.compactMap { x in x.bytesBehind.map { ([node, ("replica", x.address)], Double($0)) } })
        }
        if let ks = r.keyspace {
            w.gauge("keys", "keys per database", ks.map { ([node, ("db", "\($0.database)")], Double($0.keys)) })
            w.gauge("keys_with_expiry", "keys with a TTL per database", ks.map { ([node, ("db", "\($0.database)")], Double($0.expires)) })
        }
        w.gauge("slowlog_length", "entries in the slow log", one(node, r.slowlogLength))
        if let c = r.cluster {
            w.gauge("cluster_state_ok", "1 when cluster_state is ok", c.state.map { [([node], $0 == "ok" ? 1 : 0)] } ?? [])
            w.gauge("cluster_node_healthy", "1 when the cluster node answered and has no breach",
                    c.nodes.map { ([("node", $0.endpoint.display), ("role", $0.role)], $0.healthy ? 1 : 0) })
            w.gauge("cluster_node_latency_seconds", "average PING round trip of each cluster node",
                    c.nodes.compactMap { n in n.latency.map { ([("node", n.endpoint.display)], $0.avgMs / 1000) } })
            w.gauge("cluster_node_used_memory_bytes", "used memory of each cluster node",
                    c.nodes.compactMap { n in n.usedMemoryBytes.map { ([("node", n.endpoint.display)], Double($0)) } })
        }
        return w.text
    }

    /// The few series a failed run can still state: the server did not answer.
    static func failure(_ f: HealthFailure) -> String {
        var w = ExpositionWriter()
        w.gauge("up", "1 when the server answered", [([("node", f.endpoint), ("status", f.status)], 0)])
        w.gauge("healthy", "1 when no breach was found", [([("node", f.endpoint)], 0)])
        return w.text
    }

    private static func one(_ node: (String, String), _ value: Int64?) -> [([(String, String)], Double)] {
        value.map { [([node], Double($0))] } ?? []
    }

    /// One series per metric name, valued with how many findings it had; always the total
    /// too, so "no breach" is a 0 and not a missing series.
    private static func counts(_ findings: [HealthFinding], node: (String, String)) -> [([(String, String)], Double)] {
        var result: [([(String, String)], Double)] = [([node, ("metric", "all")], Double(findings.count))]
        for metric in HealthFinding.Metric.allCases {
            let n = findings.filter { $0.metric == metric }.count
            if n > 0 { result.append(([node, ("metric", metric.rawValue)], Double(n))) }
        }
        return result
    }
}

/// Writes metric families with their HELP and TYPE lines, escaping as the format asks.
struct ExpositionWriter {
    private(set) var text = ""

    mutating func gauge(_ name: String, _ help: String, _ samples: [([(String, String)], Double)]) {
        family(name, "gauge", help, samples)
    }

    mutating func counter(_ name: String, _ help: String, _ samples: [([(String, String)], Double)]) {
        family(name, "counter", help, samples)
    }

    private mutating func family(_ name: String, _ type: String, _ help: String, _ samples: [([(String, String)], Double)]) {
        guard !samples.isEmpty else { return }
        let full = "cachectl_" + name
        text += "# HELP \(full) \(escapeHelp(help))\n# TYPE \(full) \(type)\n"
        for (labels, value) in samples {
            let rendered = labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",")
            text += full + (labels.isEmpty ? "" : "{\(rendered)}") + " " + format(value) + "\n"
        }
    }

    private func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    private func escapeHelp(_ s: String) -> String {
        s.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    private func escapeLabel(_ s: String) -> String {
        s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
