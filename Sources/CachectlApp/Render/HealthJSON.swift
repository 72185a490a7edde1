import CacheOps
import CLI
import RedisClient

/// Health as JSON in the `{healthy, status, latency, memory, version}` shape applications read,
/// extended with unit-named fields; facts not seen are `null`.
enum HealthJSON {
    static func document(_ r: HealthReport) -> JSONValue { .object(members(r)) }

    /// The document's members, for `--watch` to lead with the sample's time.
    static func members(_ r: HealthReport) -> [(String, JSONValue)] {
        let node = r.endpoint.display
        let l = r.latency
        var members: [(String, JSONValue)] = [
            ("healthy", .bool(r.healthy)),
            // "Connected" when healthy, as applications report it; never a status that reads
            // well when it is not.
            ("status", .string(r.healthy ? "Connected" : "unhealthy")),
            ("latency", .double(round2(l.avgMs))),
            ("memory", str(r.usedMemoryHuman)),
            ("version", str(r.version)),
            ("server", str(r.server)),
            ("redisVersion", str(r.compatibleRedisVersion ?? (r.server == "redis" ? r.version : nil))),
            ("node", .string(node)),
            ("mode", str(r.mode)),
            ("role", str(r.role)),
            ("uptimeSeconds", int(r.uptimeSeconds)),
            ("latencyMs", .object([
                ("samples", .int(Int64(l.samples))),
                ("min", .double(round3(l.minMs))), ("avg", .double(round3(l.avgMs))),
                ("p50", .double(round3(l.p50Ms))), ("p99", .double(round3(l.p99Ms))),
                ("max", .double(round3(l.maxMs))),
            ])),
            ("slowestRoundTrip", r.slowestRoundTrip.map { t in
                .object([("name", .string(t.name)), ("ms", .double(round3(t.milliseconds)))])
            } ?? .null),
            ("roundTrips", .int(Int64(r.roundTrips.count))),
            ("clients", .object([
                ("connected", int(r.connectedClients)),
                ("blocked", int(r.blockedClients)),
                ("maxClients", int(r.maxClients)),
                ("rejectedConnections", int(r.rejectedConnections)),
            ])),
            ("memoryDetail", .object([
                ("usedMemoryBytes", int(r.usedMemoryBytes)),
                ("usedMemoryRssBytes", int(r.usedMemoryRssBytes)),
                ("maxMemoryBytes", int(r.maxMemoryBytes)),
                ("maxMemoryPolicy", str(r.maxMemoryPolicy)),
                ("usedPercent", r.memoryUsedPercent.map { .double(round2($0)) } ?? .null),
                ("fragmentationRatio", r.fragmentationRatio.map { .double($0) } ?? .null),
            ])),
            ("stats", .object([
                ("keyspaceHits", int(r.keyspaceHits)),
                ("keyspaceMisses", int(r.keyspaceMisses)),
                ("hitRate", r.hitRatePercent.map { .double(round2($0)) } ?? .null),
                ("evictedKeys", int(r.evictedKeys)),
                ("expiredKeys", int(r.expiredKeys)),
            ])),
        ]
        members += rates(r.rates)
        members += [
            ("persistence", r.loading == nil ? .null : .object([
                ("loading", .bool(r.loading == true)),
                ("rdbLastBgsaveStatus", str(r.rdbLastSaveStatus)),
                ("aofEnabled", r.aofEnabled.map { .bool($0) } ?? .null),
                ("aofLastWriteStatus", str(r.aofLastWriteStatus)),
            ])),
            ("replication", replication(r.replication)),
            ("keyspace", r.keyspace.map { ks in
                .array(ks.map { db in
                    .object([("db", .int(Int64(db.database))), ("keys", .int(db.keys)),
                             ("expires", .int(db.expires)), ("avgTtlMs", .int(db.averageTTLMs))])
                })
            } ?? .null),
            ("slowlogLength", int(r.slowlogLength)),
            ("slowlog", r.slowlog.map { entries in
                .array(entries.map { e in
                    .object([("id", .int(e.id))] + Timestamp(seconds: Int(clamping: e.timestamp), milliseconds: 0).jsonMembers
                            + [("durationMicros", .int(e.durationMicros)),
                             ("command", .string(e.command)), ("redactedArguments", .int(Int64(e.redactedArguments))),
                             ("client", str(e.client))])
                })
            } ?? .null),
            ("slowlogEntriesRead", r.slowlogEntriesRead.map { .int(Int64($0)) } ?? .null),
            ("breaches", .array(r.breaches.map { finding($0, node: node) })),
            ("warnings", .array(warnings(r))),
            ("unchecked", .array(r.unchecked.map { u in
                .object([("check", .string(u.check)), ("reason", .string(u.reason)),
                         ("node", .string(u.node?.display ?? node))])
            })),
            ("unavailable", UnavailableRenderer.json(r.unavailable)),
            ("sentinel", r.sentinel.map { s in
                .object([("sentinel", .string(s.sentinel.display)), ("masterName", .string(s.masterName)),
                         ("primary", .string(s.primary.display)), ("quorum", .int(s.quorum)),
                         ("replicas", .int(s.replicas)), ("otherSentinels", .int(s.otherSentinels)),
                         ("flags", .string(s.flags))])
            } ?? .null),
            ("cluster", r.cluster.map { c in
                .object([("state", str(c.state)), ("slotsAssigned", int(c.slotsAssigned)),
                         ("slotsFailing", int(c.slotsFailing)), ("knownNodes", int(c.knownNodes)),
                         ("keys", int(c.totalKeys)),
                         ("nodes", .array(c.nodes.map { n in
                             .object([("node", .string(n.endpoint.display)), ("role", .string(n.role)),
                                      ("slots", .int(Int64(n.slots))), ("healthy", .bool(n.healthy)),
                                      ("latencyMs", n.latency.map { .double(round3($0.avgMs)) } ?? .null),
                                      ("slowestRoundTripMs", n.slowestRoundTrip.map { .double(round3($0.milliseconds)) } ?? .null),
                                      ("usedMemoryBytes", int(n.usedMemoryBytes)),
                                      ("keys", int(n.keys)),
                                      ("error", str(n.error))])
                         }))])
            } ?? .null),
        ]
        return members
    }

    /// The document a failed run prints, so a dashboard always has something to read.
    static func failure(_ f: HealthFailure) -> JSONValue { .object(failureMembers(f)) }

    /// With `error` and `exitCode` as every `--json` failure document has them.
    static func failureMembers(_ f: HealthFailure) -> [(String, JSONValue)] {
        [
            ("healthy", .bool(false)),
            ("status", .string(f.status)),
            ("latency", .null), ("memory", .null), ("version", .null),
            ("node", .string(f.endpoint)),
            ("breaches", .array(f.breach.map { [finding($0, node: f.endpoint)] } ?? [])),
            ("warnings", .array([])),
            ("unchecked", .array([])),
            ("error", .string(f.error.description)),
            ("exitCode", .int(Int64(f.exitCode.rawValue))),
        ]
    }

    /// A breach or warning; `node` is the one it was seen on when the finding names none
    /// (every per-node fact carries its node).
    static func finding(_ b: HealthFinding, node: String) -> JSONValue {
        .object([("metric", .string(b.metric.rawValue)), ("limit", b.limit.map { .double($0) } ?? .null),
                 ("actual", b.actual.map { .double(round2($0)) } ?? .null),
                 ("node", .string(b.node?.display ?? node)),
                 ("reason", str(b.reason)),
                 ("message", .string(HealthRenderer.message(b)))])
    }

    /// Signal warnings as findings, then one `{metric:"unavailable"|"unchecked", message}`
    /// entry per refused command and unchecked check, so every warning line is here.
    private static func warnings(_ r: HealthReport) -> [JSONValue] {
        let node = r.endpoint.display
        return r.warnings.map { finding($0, node: node) }
            + UnavailableRenderer.warnings(r.unavailable).map {
                .object([("metric", "unavailable"), ("node", .string(node)), ("message", .string($0))])
            }
            + r.unchecked.map {
                .object([("metric", "unchecked"), ("node", .string($0.node?.display ?? node)),
                         ("message", .string(HealthRenderer.uncheckedMessage($0)))])
            }
    }

    private static func rates(_ rates: HealthRates?) -> [(String, JSONValue)] {
        guard let x = rates else { return [("intervalMs", .null)] }
        return [
            ("intervalMs", .double(round3(x.intervalMs))),
            ("opsPerSec", .double(round2(x.opsPerSec))),
            ("hitsPerSec", .double(round2(x.hitsPerSec))),
            ("missesPerSec", .double(round2(x.missesPerSec))),
            ("intervalHitRate", x.hitRatePercent.map { .double(round2($0)) } ?? .null),
            ("evictedPerSec", .double(round2(x.evictedPerSec))),
            ("expiredPerSec", .double(round2(x.expiredPerSec))),
            ("netInputBytesPerSec", .double(round2(x.netInputBytesPerSec))),
            ("netOutputBytesPerSec", .double(round2(x.netOutputBytesPerSec))),
            ("rejectedConnectionsPerSec", .double(round2(x.rejectedConnectionsPerSec))),
        ]
    }

    private static func replication(_ rep: ReplicationDetail?) -> JSONValue {
        guard let rep else { return .null }
        return .object([
            ("role", .string(rep.role)),
            ("primary", str(rep.primary)),
            ("linkStatus", str(rep.linkStatus)),
            ("lastIoSecondsAgo", int(rep.lastIOSecondsAgo)),
            ("linkDownSinceSeconds", int(rep.linkDownSinceSeconds)),
            ("syncInProgress", rep.syncInProgress.map { .bool($0) } ?? .null),
            ("offset", int(rep.offset)),
            ("connectedReplicas", int(rep.connectedReplicas)),
            ("replicas", .array(rep.replicas.map { x in
                .object([("address", .string(x.address)), ("state", .string(x.state)), ("offset", .int(x.offset)),
                         ("lagSeconds", int(x.lagSeconds)), ("bytesBehind", int(x.bytesBehind))])
            })),
        ])
    }

    private static func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    private static func int(_ i: Int64?) -> JSONValue { i.map { .int($0) } ?? .null }
    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
