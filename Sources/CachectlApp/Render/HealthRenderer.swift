import CacheOps
import CLI
import RESP

/// Health as a human table, and the wording of breaches, warnings and unchecked checks
/// (shared by every output format).
enum HealthRenderer {
    static func table(_ r: HealthReport, color: Bool) -> String {
        let l = r.latency
        let style = Style(enabled: color)
        var rows: [[String]] = []
        let count = r.breaches.count
        rows.append(["status", r.healthy ? style.green("healthy") : style.red("UNHEALTHY (\(count) breach\(count == 1 ? "" : "es"))")])
        rows.append(["version", versionText(r)])
        rows.append(["mode", r.mode ?? "n/a"])
        rows.append(["role", r.role ?? "n/a"])
        rows.append(["uptime", r.uptimeSeconds.map { formatDuration(.seconds($0)) } ?? "n/a"])
        rows.append(["latency", "min \(ms(l.minMs))  avg \(ms(l.avgMs))  p50 \(ms(l.p50Ms))  p99 \(ms(l.p99Ms))  max \(ms(l.maxMs))  (\(l.samples) PINGs)"])
        if let slowest = r.slowestRoundTrip {
            let line = "\(slowest.name) \(ms(slowest.milliseconds)) (of \(r.roundTrips.count) round trips, connection set-up included)"
            let over = r.breaches.contains { $0.metric == .latency && $0.node == nil }
            rows.append(["slowest", over ? style.red(line) : line])
        }
        if let connected = r.connectedClients {
            var clients = "\(connected) connected"
            if let max = r.maxClients { clients += " of \(max)" }
            if let blocked = r.blockedClients { clients += ", \(blocked) blocked" }
            if let rejected = r.rejectedConnections { clients += ", \(rejected) rejected" }
            rows.append(["clients", clients])
        } else {
            rows.append(["clients", "n/a"])
        }
        rows.append(["memory", memoryLine(r)])
        if let hits = r.keyspaceHits, let misses = r.keyspaceMisses {
            let rate = r.hitRatePercent.map { "\(formatFixed($0, decimals: 2))% since start" } ?? "no lookups yet"
            rows.append(["hit rate", "\(rate) (\(hits) hits, \(misses) misses)"])
        } else {
            rows.append(["hit rate", "n/a"])
        }
        rows.append(["evicted keys", r.evictedKeys.map { "\($0)" } ?? "n/a"])
        rows.append(["expired keys", r.expiredKeys.map { "\($0)" } ?? "n/a"])
        if let rates = r.rates {
            let interval = formatTrimmed(rates.intervalMs / 1000, maxDecimals: 2)
            rows.append(["interval", "\(interval)s: \(perSec(rates.opsPerSec)) ops/s, \(perSec(rates.hitsPerSec)) hits/s, \(perSec(rates.missesPerSec)) misses/s"])
            rows.append(["  hit rate", rates.hitRatePercent.map { "\(formatFixed($0, decimals: 2))% over the interval" } ?? "n/a (no lookups)"])
            rows.append(["  evicted/s", "\(perSec(rates.evictedPerSec)), expired/s \(perSec(rates.expiredPerSec))"])
            rows.append(["  network", "in \(formatBytes(Int(saturating: rates.netInputBytesPerSec)))/s, out \(formatBytes(Int(saturating: rates.netOutputBytesPerSec)))/s"])
        }
        if let loading = r.loading {
            var persistence = loading ? style.red("LOADING") : "rdb \(r.rdbLastSaveStatus ?? "n/a")"
            if r.aofEnabled == true { persistence += ", aof \(r.aofLastWriteStatus ?? "n/a")" }
            rows.append(["persistence", persistence])
        }
        rows += replicationRows(r.replication)
        if let keyspace = r.keyspace {
            if keyspace.isEmpty { rows.append(["keys", "0"]) }
            for db in keyspace {
                rows.append(["keys db\(db.database)", "\(db.keys) (\(db.expires) with TTL)"])
            }
        } else {
            rows.append(["keys", "n/a"])
        }
        if !r.unchecked.isEmpty {
            var names: [String] = []
            for u in r.unchecked where !names.contains(u.check) { names.append(u.check) }
            rows.append(["unchecked", style.yellow(names.joined(separator: ", "))])
        }
        rows.append(["slowlog", slowlogLine(r)])
        for entry in r.slowlog ?? [] {
            let args = entry.redactedArguments > 0 ? " (+\(entry.redactedArguments) args)" : ""
            rows.append(["  #\(entry.id)", "\(ms(Double(entry.durationMicros) / 1000))  \(entry.command)\(args)\(entry.client.map { "  from \($0)" } ?? "")"])
        }
        if let s = r.sentinel {
            rows.append(["sentinel", escapingControlCharacters("primary '\(s.masterName)' at \(s.primary.display), \(s.replicas) replica(s), quorum \(s.quorum), \(s.otherSentinels.saturatingAdd(1)) sentinel(s), flags \(s.flags)")])
        }
        if let c = r.cluster {
            let state = c.state.map { "state \($0), \(c.slotsAssigned ?? 0) slots assigned, \(c.slotsFailing ?? 0) failing, \(c.knownNodes ?? 0) nodes" }
            rows.append(["cluster", state ?? "state n/a"])
            rows.append(["cluster keys", c.totalKeys.map { "\($0) (the sum over the primaries)" } ?? "n/a"])
            for n in c.nodes {
                // Server-chosen text (an error reply, a role) is escaped before styling.
                let verdict = n.healthy ? "" : "  " + style.red("UNHEALTHY")
                let detail = n.error.map { style.red("UNREACHABLE: \(escapingControlCharacters($0))") }
                    ?? escapingControlCharacters("\(n.role)  \(n.slots) slots  \(n.latency.map { ms($0.avgMs) } ?? "-")  \(n.usedMemoryHuman ?? "-")"
                                                 + "  \(n.keys.map { "\($0) keys" } ?? "- keys")") + verdict
                rows.append(["  \(n.endpoint.display)", detail])
            }
        }
        var table = TextTable(alignments: [.left, .left])
        for row in rows { table.addRow(row) }
        return table.render()
    }

    /// `the 5 slowest of 128 entries`: what the rows below were chosen from, so they are
    /// not taken for the most recent. The count read, not SLOWLOG LEN: the LEN before it in
    /// the pipeline is itself logged, so the two differ by one.
    private static func slowlogLine(_ r: HealthReport) -> String {
        guard let shown = r.slowlog?.count, shown > 0, let read = r.slowlogEntriesRead else {
            return r.slowlogLength.map { "\($0) entries" } ?? "n/a"
        }
        if read >= HealthCheck.slowlogReadLimit, let length = r.slowlogLength, length > Int64(read) {
            return "the \(shown) slowest of the \(read) most recent (\(length) entries)"
        }
        return "the \(shown) slowest of \(read) entr\(read == 1 ? "y" : "ies")"
    }

    private static func memoryLine(_ r: HealthReport) -> String {
        guard let used = r.usedMemoryBytes else { return "n/a" }
        var memory = "\(formatBytes(Int(used))) used"
        if let max = r.maxMemoryBytes, max > 0 {
            memory += " of \(formatBytes(Int(max)))"
            if let pct = r.memoryUsedPercent { memory += " (\(formatFixed(pct, decimals: 1))%)" }
        } else {
            memory += ", no maxmemory"
        }
        memory += ", policy \(r.maxMemoryPolicy ?? "n/a")"
        if let ratio = r.fragmentationRatio { memory += ", fragmentation \(formatFixed(ratio, decimals: 2))" }
        return memory
    }

    private static func replicationRows(_ rep: ReplicationDetail?) -> [[String]] {
        guard let rep else { return [["replication", "n/a"]] }
        var rows: [[String]] = []
        if rep.isReplica {
            var line = "replica of \(rep.primary ?? "?"), link \(rep.linkStatus ?? "?")"
            if let io = rep.lastIOSecondsAgo, io >= 0 { line += ", last heard \(io)s ago" }
            if let down = rep.linkDownSinceSeconds { line += ", down for \(down)s" }
            if rep.syncInProgress == true { line += ", sync in progress" }
            if let offset = rep.offset { line += ", offset \(offset)" }
            rows.append(["replication", line])
        } else {
            rows.append(["replication", "primary, \(rep.connectedReplicas ?? 0) replica(s), offset \(rep.offset ?? 0)"])
        }
        for replica in rep.replicas {
            rows.append(["  \(replica.address)", "\(replica.state), offset \(replica.offset)"
                         + (replica.bytesBehind.map { " (\($0) bytes behind)" } ?? "")
                         + (replica.lagSeconds.map { ", lag \($0)s" } ?? "")])
        }
        return rows
    }

    /// One line per finding, naming the option whose threshold was crossed or the signal.
    static func message(_ b: HealthFinding) -> String {
        let on = b.node.map { "node \($0.display): " } ?? ""
        let actual = formatFixed(b.actual ?? 0, decimals: 2)
        let limit = formatFixed(b.limit ?? 0, decimals: 2)
        switch b.metric {
        case .latency where b.limit == nil:
            return "\(on)latency \(actual) ms: \(b.reason ?? "round trip")"
        case .latency:
            return "\(on)latency \(actual) ms (\(b.reason ?? "round trip")) is above --max-latency-ms \(limit)"
        case .hitRate:
            return "\(on)hit rate \(actual)% is below --min-hit-rate \(limit)%" + (b.reason.map { " (\($0))" } ?? "")
        case .memory where b.reason == "percent of maxmemory":
            return "\(on)memory \(actual)% of maxmemory is above --max-memory-pct \(limit)%"
        case .memory:
            let used = formatBytes(Int(saturating: b.actual ?? 0)), max = formatBytes(Int(saturating: b.limit ?? 0))
            return "\(on)memory: \(b.reason ?? "") (\(used) used, maxmemory \(max))"
        case .replicas:
            return "\(on)replicas: \(Int64(saturating: b.actual ?? 0)) connected, fewer than --min-replicas \(Int64(saturating: b.limit ?? 0))"
        case .replication where b.limit != nil && b.actual != nil:
            return "\(on)replication: \(b.reason ?? "") (--max-lag \(formatTrimmed(b.limit ?? 0, maxDecimals: 1))s)"
        case .fragmentation:
            return "\(on)fragmentation ratio \(actual) (at least \(limit)): \(b.reason ?? "")"
        case .evictions:
            return "\(on)evictions: \(formatTrimmed(b.actual ?? 0, maxDecimals: 1)) \(b.reason ?? "")"
        case .node: return "\(on)unreachable: \(b.reason ?? "no answer")"
        case .clusterState: return "cluster_state is \(b.reason ?? "unknown")"
        case .unchecked: return "\(on)\(b.reason ?? "a check was not made") (--strict)"
        case .replication:
            return "\(on)replication: \(b.reason ?? "")"
        case .maxmemory, .loading, .clients, .persistence:
            return "\(on)\(b.reason ?? b.metric.rawValue)"
        }
    }

    static func uncheckedMessage(_ u: UncheckedCheck) -> String {
        "\(u.node.map { "node \($0.display): " } ?? "")\(u.check) not checked: \(u.reason)"
    }

    /// Every warning line, in the order printed: refused commands, unchecked checks, signals.
    /// Unchecked checks sharing a reason (a refused INFO section) share one line.
    static func warningLines(_ r: HealthReport) -> [String] {
        var groups: [(key: String, checks: [String])] = []
        for u in r.unchecked {
            let key = "\(u.node.map { "node \($0.display): " } ?? "")|\(u.reason)"
            if let i = groups.firstIndex(where: { $0.key == key }) {
                groups[i].checks.append(u.check)
            } else {
                groups.append((key, [u.check]))
            }
        }
        let unchecked = groups.map { g -> String in
            let parts = g.key.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            return "\(parts[0])\(g.checks.joined(separator: ", ")) not checked: \(parts.count > 1 ? parts[1] : "")"
        }
        return UnavailableRenderer.warnings(r.unavailable) + unchecked + r.warnings.map(message)
    }

    static func ms(_ x: Double) -> String { "\(formatFixed(x, decimals: 2))ms" }

    static func perSec(_ x: Double) -> String { formatTrimmed(x, maxDecimals: x < 10 ? 1 : 0) }

    /// `7.0.15`, or `valkey 9.1.2 (redis 7.2.4 compatible)` for a fork.
    static func versionText(_ r: HealthReport) -> String {
        guard let version = r.version else { return "n/a" }
        guard let server = r.server, server != "redis" else { return version }
        return "\(server) \(version)" + (r.compatibleRedisVersion.map { " (redis \($0) compatible)" } ?? "")
    }
}
