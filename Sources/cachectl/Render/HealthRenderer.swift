import CacheOps
import CLI

/// Health as a human table or as JSON in the seeds' `{healthy, latency, memory, version}`
/// shape, extended with unit-named fields.
enum HealthRenderer {
    static func json(_ r: HealthReport) -> JSONValue {
        let l = r.latency
        return .object([
            ("healthy", .bool(r.healthy)),
            ("status", .string("Connected")),
            ("latency", .double(round2(l.avgMs))),
            ("memory", .string(r.usedMemoryHuman)),
            ("version", .string(r.version)),
            ("mode", .string(r.mode)),
            ("role", .string(r.role)),
            ("uptimeSeconds", .int(r.uptimeSeconds)),
            ("latencyMs", .object([
                ("samples", .int(Int64(l.samples))),
                ("min", .double(round3(l.minMs))), ("avg", .double(round3(l.avgMs))),
                ("p50", .double(round3(l.p50Ms))), ("p99", .double(round3(l.p99Ms))),
                ("max", .double(round3(l.maxMs))),
            ])),
            ("clients", .object([
                ("connected", .int(r.connectedClients)),
                ("rejectedConnections", .int(r.rejectedConnections)),
            ])),
            ("memoryDetail", .object([
                ("usedMemoryBytes", .int(r.usedMemoryBytes)),
                ("maxMemoryBytes", .int(r.maxMemoryBytes)),
                ("maxMemoryPolicy", .string(r.maxMemoryPolicy)),
                ("usedPercent", r.memoryUsedPercent.map { .double(round2($0)) } ?? .null),
            ])),
            ("stats", .object([
                ("keyspaceHits", .int(r.keyspaceHits)),
                ("keyspaceMisses", .int(r.keyspaceMisses)),
                ("hitRate", r.hitRatePercent.map { .double(round2($0)) } ?? .null),
                ("evictedKeys", .int(r.evictedKeys)),
                ("expiredKeys", .int(r.expiredKeys)),
            ])),
            ("keyspace", .array(r.keyspace.map { db in
                .object([("db", .int(Int64(db.database))), ("keys", .int(db.keys)),
                         ("expires", .int(db.expires)), ("avgTtlMs", .int(db.averageTTLMs))])
            })),
            ("slowlogLength", r.slowlogLength.map { .int($0) } ?? .null),
            ("breaches", .array(r.breaches.map { b in
                .object([("metric", .string(b.metric.rawValue)), ("limit", b.limit.map { .double($0) } ?? .null),
                         ("actual", b.actual.map { .double(round2($0)) } ?? .null),
                         ("node", b.node.map { .string($0.display) } ?? .null),
                         ("message", .string(message(b)))])
            })),
            ("warnings", .array(warnings(r).map { .string($0) })),
            ("sentinel", r.sentinel.map { s in
                .object([("sentinel", .string(s.sentinel.display)), ("masterName", .string(s.masterName)),
                         ("primary", .string(s.primary.display)), ("quorum", .int(s.quorum)),
                         ("replicas", .int(s.replicas)), ("otherSentinels", .int(s.otherSentinels)),
                         ("flags", .string(s.flags))])
            } ?? .null),
            ("cluster", r.cluster.map { c in
                .object([("state", .string(c.state)), ("slotsAssigned", .int(c.slotsAssigned)),
                         ("slotsFailing", .int(c.slotsFailing)), ("knownNodes", .int(c.knownNodes)),
                         ("nodes", .array(c.nodes.map { n in
                             .object([("node", .string(n.endpoint.display)), ("role", .string(n.role)),
                                      ("slots", .int(Int64(n.slots))),
                                      ("latencyMs", n.latency.map { .double(round3($0.avgMs)) } ?? .null),
                                      ("usedMemoryBytes", n.usedMemoryBytes.map { .int($0) } ?? .null),
                                      ("error", n.error.map { .string($0) } ?? .null)])
                         }))])
            } ?? .null),
        ])
    }

    static func table(_ r: HealthReport, color: Bool) -> String {
        let l = r.latency
        let style = Style(enabled: color)
        var rows: [[String]] = []
        rows.append(["status", r.healthy ? style.green("healthy") : style.red("UNHEALTHY (\(r.breaches.count) breach\(r.breaches.count == 1 ? "" : "es"))")])
        rows.append(["version", r.version])
        rows.append(["mode", r.mode])
        rows.append(["role", r.role])
        rows.append(["uptime", formatDuration(.seconds(r.uptimeSeconds))])
        rows.append(["latency", "min \(ms(l.minMs))  avg \(ms(l.avgMs))  p50 \(ms(l.p50Ms))  p99 \(ms(l.p99Ms))  max \(ms(l.maxMs))  (\(l.samples) PINGs)"])
        rows.append(["clients", "\(r.connectedClients) connected, \(r.rejectedConnections) rejected"])
        var memory = "\(formatBytes(Int(r.usedMemoryBytes))) used"
        if r.maxMemoryBytes > 0 {
            memory += " of \(formatBytes(Int(r.maxMemoryBytes)))"
            if let pct = r.memoryUsedPercent { memory += " (\(formatFixed(pct, decimals: 1))%)" }
        } else {
            memory += ", no maxmemory"
        }
        memory += ", policy \(r.maxMemoryPolicy)"
        rows.append(["memory", memory])
        let rate = r.hitRatePercent.map { "\(formatFixed($0, decimals: 2))%" } ?? "n/a"
        rows.append(["hit rate", "\(rate) (\(r.keyspaceHits) hits, \(r.keyspaceMisses) misses)"])
        rows.append(["evicted keys", "\(r.evictedKeys)"])
        rows.append(["expired keys", "\(r.expiredKeys)"])
        if r.keyspace.isEmpty {
            rows.append(["keys", "0"])
        }
        for db in r.keyspace {
            rows.append(["keys db\(db.database)", "\(db.keys) (\(db.expires) with TTL)"])
        }
        rows.append(["slowlog", r.slowlogLength.map { "\($0) entries" } ?? "n/a"])
        if let s = r.sentinel {
            rows.append(["sentinel", escapingControlCharacters("primary '\(s.masterName)' at \(s.primary.display), \(s.replicas) replica(s), quorum \(s.quorum), \(s.otherSentinels.saturatingAdd(1)) sentinel(s), flags \(s.flags)")])
        }
        if let c = r.cluster {
            rows.append(["cluster", "state \(c.state), \(c.slotsAssigned) slots assigned, \(c.slotsFailing) failing, \(c.knownNodes) nodes"])
            for n in c.nodes {
                // Server-chosen text (an error reply, a role) is escaped before styling.
                let detail = n.error.map { style.red("UNREACHABLE: \(escapingControlCharacters($0))") }
                    ?? escapingControlCharacters("\(n.role)  \(n.slots) slots  \(n.latency.map { ms($0.avgMs) } ?? "-")  \(n.usedMemoryHuman ?? "-")")
                rows.append(["  \(n.endpoint.display)", detail])
            }
        }
        var table = TextTable(alignments: [.left, .left])
        for row in rows { table.addRow(row) }
        return table.render()
    }

    /// One line per breach, naming the option whose threshold was crossed.
    static func message(_ b: HealthBreach) -> String {
        let on = b.node.map { "node \($0.display): " } ?? ""
        let actual = formatFixed(b.actual ?? 0, decimals: 2)
        let limit = formatFixed(b.limit ?? 0, decimals: 2)
        switch b.metric {
        case .latency: return "\(on)latency \(actual) ms is above --max-latency-ms \(limit)"
        case .hitRate: return "hit rate \(actual)% is below --min-hit-rate \(limit)%"
        case .memory: return "memory \(actual)% of maxmemory is above --max-memory-pct \(limit)%"
        case .node: return "\(on)unreachable: \(b.reason ?? "no answer")"
        case .clusterState: return "cluster_state is \(b.reason ?? "unknown")"
        }
    }

    static func warnings(_ r: HealthReport) -> [String] {
        r.memoryThresholdUnchecked ? ["--max-memory-pct not checked: the server has no maxmemory limit"] : []
    }

    private static func ms(_ x: Double) -> String { "\(formatFixed(x, decimals: 2))ms" }

    private static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    private static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
